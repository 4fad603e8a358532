import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait-for';

const run = promisify(execFile);
const CLI = join(__dirname, '../dist/scripts/api-keys.js');

/** API keys with roles: created by the CLI (a real process), stored hashed, checked per endpoint. */
describe('API keys with roles (real PostgreSQL, the keys CLI, the ops API)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ policies: [{ id: 'default', targets: { first_response: '1h' } }] }, [
      'escalation',
      'ops',
    ]);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const cli = (...args: string[]) =>
    run(process.execPath, [CLI, ...args], {
      env: {
        ...process.env,
        DATABASE_URL: stack.env.DATABASE_URL,
        DATABASE_SCHEMA: stack.env.DATABASE_SCHEMA,
      },
    });

  async function createKey(
    role: string,
    name: string,
  ): Promise<{ key: string; fingerprint: string }> {
    const { stdout } = await cli('create', '--role', role, '--name', name);
    const key = /^key: (\S+)$/m.exec(stdout)?.[1];
    const fingerprint = /fingerprint ([0-9a-f]{12})\)/.exec(stdout)?.[1];
    expect(key).toMatch(new RegExp(`^rw_${role}_[A-Za-z0-9_-]{32}$`));
    return { key: key!, fingerprint: fingerprint! };
  }

  const call = (key: string, path: string, init: RequestInit = {}) =>
    fetch(`${stack.urls.ops}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });

  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; message: string } }).error;

  it('gives each role what it may do, and says why when it may not', async () => {
    const lead = await createKey('lead', 'Carla Lead');
    const connector = await createKey('connector', 'twilio bridge');
    const admin = await createKey('admin', 'platform team');

    expect((await call(lead.key, '/v1/alerts')).status).toBe(200);
    expect((await call(lead.key, '/v1/queue')).status).toBe(200);
    // Acknowledging is allowed (the alert does not exist, so 404 after authorisation).
    const ack = await call(lead.key, '/v1/alerts/00000000-0000-4000-8000-000000000000/ack', {
      method: 'POST',
    });
    expect(ack.status).toBe(404);

    const policies = (await (await call(admin.key, '/v1/policies')).json()) as {
      document: unknown;
    };
    const forbidden = await call(lead.key, '/v1/policies', {
      method: 'PUT',
      body: JSON.stringify(policies.document),
    });
    expect(forbidden.status).toBe(403);
    expect(await errorOf(forbidden)).toMatchObject({
      code: 'OPS.FORBIDDEN',
      message: 'a lead key cannot do this; it needs a key with role admin',
    });
    const saved = await call(admin.key, '/v1/policies', {
      method: 'PUT',
      body: JSON.stringify(policies.document),
    });
    expect(saved.status).toBe(200);

    const connectorRead = await call(connector.key, '/v1/queue');
    expect(connectorRead.status).toBe(403);
    expect((await errorOf(connectorRead)).message).toContain('a connector key cannot do this');

    const unknown = await call('rw_lead_not-a-real-key-000000000000000', '/v1/alerts');
    expect(unknown.status).toBe(401);
    expect(await errorOf(unknown)).toMatchObject({ code: 'OPS.UNAUTHENTICATED' });
  });

  it('stores only digests, lists keys without them, and revokes by fingerprint', async () => {
    const lead = await createKey('lead', 'Dana Lead');
    const { rows } = await stack.db.query(`SELECT * FROM "${stack.id}".api_key`);
    expect(JSON.stringify(rows)).not.toContain(lead.key);

    const { stdout: listed } = await cli('list');
    expect(listed).toContain(`${lead.fingerprint}  lead`);
    expect(listed).toContain('Dana Lead');
    expect(listed).not.toContain(lead.key);

    expect((await call(lead.key, '/v1/alerts')).status).toBe(200);
    const { stdout: revoked } = await cli('revoke', lead.fingerprint);
    expect(revoked).toContain(`revoked lead key "Dana Lead" (${lead.fingerprint})`);
    await waitFor(
      'the revoked key refused',
      async () => (await call(lead.key, '/v1/alerts')).status === 401,
      { timeoutMs: 20000, intervalMs: 500 },
    );
    await expect(cli('revoke', lead.fingerprint)).rejects.toMatchObject({ code: 2 });
  });

  it('refuses bad CLI input with the usage and exit code 2', async () => {
    await expect(cli('create', '--role', 'superuser', '--name', 'x')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--role must be one of connector, ops, lead, admin'),
    });
    await expect(cli('create', '--role', 'ops')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--name is required'),
    });
    await expect(cli('frobnicate')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('usage:'),
    });
  });
});
