import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiKeyFingerprint } from '@replywatch/persistence';
import { startStack, TEST_ADMIN_KEY, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';

const policies = { policies: [{ id: 'default', targets: { first_response: '1h' } }] };

const callOn =
  (stack: () => Stack) =>
  (method: string, key: string | undefined, body?: unknown): Promise<Response> =>
    fetch(`${stack().urls.ops}/v1/chains`, {
      method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

/** The escalation document through the ops API: shown as the escalation service picks it, saved as a new row. */
describe('ops API /v1/chains', () => {
  let stack: Stack;
  const call = callOn(() => stack);
  const rows = async () =>
    (
      await stack.db.query<{ document: unknown; saved_by: string | null; version: string }>(
        `SELECT document, saved_by, version FROM "${stack.id}".escalation_document ORDER BY id`,
      )
    ).rows;

  beforeAll(async () => {
    stack = await startStack(policies, ['ops']);
  });
  afterAll(async () => stack?.close());

  it('shows the built-in document from ALERT_EMAIL_TO when nothing is saved and no file is set', async () => {
    const response = await call('GET', TEST_OPS_KEY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      source: 'builtin',
      document: {
        people: [{ id: 'alert-recipient-1', email: 'lead@example.com' }],
        chains: [
          {
            id: 'default',
            name: 'E-mail ALERT_EMAIL_TO (no ESCALATION_FILE set)',
            levels: [{ notify: [{ target: 'person:alert-recipient-1' }] }],
          },
        ],
      },
    });
  });

  it('needs a key to read, and an admin key to change', async () => {
    const document = { chains: [{ id: 'x', levels: [{ notify: [{ target: 'assignee' }] }] }] };
    expect((await call('GET', undefined)).status).toBe(401);
    expect((await call('PUT', undefined, document)).status).toBe(401);
    const forbidden = await call('PUT', TEST_OPS_KEY, document);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: { code: string } }).error.code).toBe(
      'OPS.FORBIDDEN',
    );
    expect(await rows()).toEqual([]);
  });

  it('refuses an invalid document, naming every invalid field by its path', async () => {
    const shape = await call('PUT', TEST_ADMIN_KEY, {
      people: [{ id: 'ana', email: 'not-an-address' }],
      chains: [{ id: 'standard', levels: [{ notify: [{ target: 'boss' }] }] }],
      routes: [{ chain: 'standard', colour: 'red' }],
    });
    expect(shape.status).toBe(400);
    const shapeBody = (await shape.json()) as {
      error: { code: string; details: { path: string; code: string; message: string }[] };
    };
    expect(shapeBody.error.code).toBe('OPS.INVALID_CHAINS');
    expect(shapeBody.error.details.map((d) => d.path).sort()).toEqual([
      'chains.0.levels.0.notify.0.target',
      'people.0.email',
      'routes.0',
    ]);
    expect(shapeBody.error.details.every((d) => d.code === 'invalid' && d.message !== '')).toBe(
      true,
    );

    // References are checked once the shape is right: unknown people, chains, endpoints.
    const references = await call('PUT', TEST_ADMIN_KEY, {
      people: [{ id: 'ana', email: 'ana@example.com', calendar: 'office' }],
      chains: [{ id: 'standard', levels: [{ notify: [{ target: 'person:bob' }] }] }],
      routes: [{ match: { events: ['sla.breached'] }, chain: 'urgent' }],
    });
    expect(references.status).toBe(400);
    const referencesBody = (await references.json()) as {
      error: { code: string; details: { path: string; message: string }[] };
    };
    expect(referencesBody.error.code).toBe('OPS.INVALID_CHAINS');
    expect(referencesBody.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'people.0.calendar',
          message: 'unknown calendar "office"',
        }),
        expect.objectContaining({
          path: 'chains.0.levels.0.notify.0.target',
          message: 'unknown person "bob"',
        }),
        expect.objectContaining({ path: 'routes.0.chain', message: 'unknown chain "urgent"' }),
      ]),
    );
    expect((await call('PUT', TEST_ADMIN_KEY, [])).status).toBe(400);

    expect(await rows()).toEqual([]);
    expect(await (await call('GET', TEST_OPS_KEY)).json()).toMatchObject({ source: 'builtin' });
  });

  it('saves a valid document as the newest escalation_document row, which GET then shows', async () => {
    const document = {
      people: [{ id: 'ana', email: 'ana@example.com' }],
      teams: [{ id: 'support', members: ['ana'] }],
      chains: [
        {
          id: 'standard',
          levels: [{ notify: [{ target: 'team:support' }], wait: '10m' }],
        },
      ],
      defaultChain: 'standard',
    };
    const saved = await call('PUT', TEST_ADMIN_KEY, document);
    expect(saved.status).toBe(200);
    const savedBody = (await saved.json()) as { savedAt: string };
    const savedBy = `api key ${apiKeyFingerprint(TEST_ADMIN_KEY)}`;
    expect(savedBody).toEqual({ source: 'api', document, savedAt: expect.any(String), savedBy });
    expect(Date.now() - Date.parse(savedBody.savedAt)).toBeLessThan(60000);

    // Stored as sent (durations unparsed), so the escalation service can parse it again.
    expect(await rows()).toEqual([
      { document, saved_by: savedBy, version: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) },
    ]);
    expect(await (await call('GET', TEST_OPS_KEY)).json()).toEqual(savedBody);

    const next = { ...document, defaultChain: undefined, routes: [{ chain: 'standard' }] };
    const second = await call('PUT', TEST_ADMIN_KEY, next);
    expect(second.status).toBe(200);
    expect(await rows()).toHaveLength(2);
    expect(await (await call('GET', TEST_OPS_KEY)).json()).toMatchObject({
      source: 'api',
      document: { routes: [{ chain: 'standard' }] },
    });
  });
});

describe('ops API /v1/chains with ESCALATION_FILE', () => {
  let stack: Stack;
  const call = callOn(() => stack);
  const file = join(__dirname, '../config/escalation.json');

  beforeAll(async () => {
    stack = await startStack(policies, ['ops'], { ESCALATION_FILE: file });
  });
  afterAll(async () => stack?.close());

  it('shows the file until a document is saved', async () => {
    const response = await call('GET', TEST_OPS_KEY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      source: 'file',
      document: JSON.parse(readFileSync(file, 'utf8')),
    });
  });
});
