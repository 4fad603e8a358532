import { createHash } from 'node:crypto';
import { AppError } from '@replywatch/platform';
import { ConnectorKeyAuthenticator } from './connector-key.authenticator';
import type { KeyLookup, KeyLookupSource } from './database-key.cache';

const hex = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex');

/** The database keys as the cache would answer them, by key. */
class FakeStoredKeys implements KeyLookupSource {
  lookups = 0;
  unavailable = false;
  readonly answers = new Map<string, KeyLookup>();

  async lookup(digest: Buffer): Promise<KeyLookup> {
    this.lookups += 1;
    const answer = this.answers.get(digest.toString('hex'));
    if (answer !== undefined) return answer;
    return this.unavailable ? { kind: 'unavailable' } : { kind: 'unknown' };
  }
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected a refusal');
}

describe('connector key authentication', () => {
  const stored = new FakeStoredKeys();
  stored.answers.set(hex('rw_connector_db-pbx'), {
    kind: 'found',
    role: 'connector',
    name: 'pbx-2',
  });
  stored.answers.set(hex('rw_ops_someone'), { kind: 'found', role: 'ops', name: 'Dana' });
  stored.answers.set(hex('rw_connector_spaces'), {
    kind: 'found',
    role: 'connector',
    name: 'Twilio bridge',
  });
  const auth = new ConnectorKeyAuthenticator(
    [
      { source: 'pbx', key: 'pbx-key-0123456789' },
      { source: 'crm', key: 'crm-key-0123456789' },
    ],
    stored,
  );

  beforeEach(() => {
    stored.unavailable = false;
  });

  it('maps a key to its connector source', async () => {
    expect(await auth.authenticate('Bearer crm-key-0123456789')).toBe('crm');
    expect(await auth.authenticate('bearer pbx-key-0123456789')).toBe('pbx');
  });

  it('answers environment keys without asking the database, even when it is down', async () => {
    stored.unavailable = true;
    const before = stored.lookups;
    expect(await auth.authenticate('Bearer crm-key-0123456789')).toBe('crm');
    expect(stored.lookups).toBe(before);
  });

  it('accepts a database connector key, its name being the source id', async () => {
    expect(await auth.authenticate('Bearer rw_connector_db-pbx')).toBe('pbx-2');
  });

  it('refuses a database key of another role with 403 INGEST.FORBIDDEN', async () => {
    const error = await refusal(auth.authenticate('Bearer rw_ops_someone'));
    expect(error).toMatchObject({ status: 403, code: 'INGEST.FORBIDDEN' });
    expect(error.message).toContain('role ops cannot send events');
  });

  it('refuses a connector key whose name is not a source id, saying how to name it', async () => {
    const error = await refusal(auth.authenticate('Bearer rw_connector_spaces'));
    expect(error).toMatchObject({ status: 403, code: 'INGEST.FORBIDDEN' });
    expect(error.message).toContain('named after the source id');
  });

  it('answers 503 INGEST.AUTH_UNAVAILABLE when an unknown key cannot be checked', async () => {
    stored.unavailable = true;
    const error = await refusal(auth.authenticate('Bearer rw_connector_brand-new'));
    expect(error).toMatchObject({ status: 503, code: 'INGEST.AUTH_UNAVAILABLE' });
  });

  it.each([
    undefined,
    '',
    'Basic abc',
    'Bearer',
    'Bearer wrong-key-0123456789',
    'Bearer crm-key-0123456789x',
  ])('refuses %p with 401', async (header) => {
    const error = await refusal(auth.authenticate(header));
    expect(error.status).toBe(401);
    expect(error.code).toBe('INGEST.UNAUTHENTICATED');
    expect(error.message).not.toContain('0123456789');
  });

  it('refuses unknown keys with 401 when there is no key database', async () => {
    const envOnly = new ConnectorKeyAuthenticator([{ source: 'pbx', key: 'pbx-key-0123456789' }]);
    expect(await refusal(envOnly.authenticate('Bearer rw_connector_db-pbx'))).toMatchObject({
      status: 401,
      code: 'INGEST.UNAUTHENTICATED',
    });
  });
});
