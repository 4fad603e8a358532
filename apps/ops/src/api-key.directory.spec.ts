import { apiKeyDigest } from '@replywatch/persistence';
import type { ApiKeyRecord, ApiKeyRepository } from '@replywatch/persistence';
import { AppError } from '@replywatch/platform';
import { ApiKeyDirectory } from './api-key.directory';

/** A stand-in for the table: counts lookups, so caching is visible. */
class KeyTable {
  lookups = 0;
  failing = false;
  readonly records = new Map<string, ApiKeyRecord>();

  add(key: string, record: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt'>): void {
    this.records.set(apiKeyDigest(key).toString('hex'), {
      ...record,
      createdAt: new Date(0),
      revokedAt: null,
    });
  }

  async findActive(digest: Buffer): Promise<ApiKeyRecord | undefined> {
    this.lookups += 1;
    if (this.failing) throw new Error('connection refused');
    return this.records.get(digest.toString('hex'));
  }
}

describe('ApiKeyDirectory', () => {
  let now = 0;
  const table = new KeyTable();
  table.add('rw_lead_carla', { id: 'k1', name: 'Carla', role: 'lead', fingerprint: 'abc' });
  const directory = new ApiKeyDirectory(
    ['env-ops-key-0000000'],
    ['env-admin-key-00000'],
    table as unknown as ApiKeyRepository,
    10000,
    () => now,
  );

  it('knows environment keys without asking the database', async () => {
    const before = table.lookups;
    expect(await directory.caller('env-ops-key-0000000')).toMatchObject({ role: 'ops' });
    expect(await directory.caller('env-admin-key-00000')).toMatchObject({ role: 'admin' });
    expect(table.lookups).toBe(before);
  });

  it('finds CLI keys with their role and name, and caches the answer', async () => {
    expect(await directory.caller('rw_lead_carla')).toEqual({
      role: 'lead',
      keyFingerprint: 'abc',
      name: 'Carla',
    });
    const lookups = table.lookups;
    await directory.caller('rw_lead_carla');
    expect(table.lookups).toBe(lookups);
    expect(await directory.caller('rw_lead_nobody')).toBeUndefined();
  });

  it('sees a revocation once the cache entry is older than the cache time', async () => {
    table.records.clear();
    expect(await directory.caller('rw_lead_carla')).toBeDefined(); // still cached
    now += 10001;
    expect(await directory.caller('rw_lead_carla')).toBeUndefined();
  });

  it('answers 503 when the keys cannot be checked', async () => {
    table.failing = true;
    now += 20000;
    await expect(directory.caller('rw_lead_someone')).rejects.toMatchObject({
      code: 'OPS.AUTH_UNAVAILABLE',
      status: 503,
    });
    await expect(directory.caller('rw_lead_someone')).rejects.toBeInstanceOf(AppError);
    table.failing = false;
  });
});
