import { createServer, createConnection } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { DataSource } from 'typeorm';
import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent } from '@replywatch/contracts';
import { ApiKeyRepository, dataSourceOptions, migrate } from '@replywatch/persistence';
import type { DatabaseConfig } from '@replywatch/persistence';
import { startIngestApp } from '../apps/ingest/src/ingest.app';
import type { IngestApp } from '../apps/ingest/src/ingest.app';
import { loadIngestConfig } from '../apps/ingest/src/ingest.config';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack, TEST_CONNECTOR_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; code: string }[] };
}

const event = (overrides: Record<string, unknown> = {}) => {
  const contactId = uniqueId('dbkey-');
  return {
    eventId: `${contactId}-1`,
    type: 'contact.opened',
    contactId,
    channel: 'email',
    occurredAt: '2026-03-02T10:15:00+01:00',
    customer: { email: 'ana@example.com' },
    ...overrides,
  };
};

const errorOf = async (response: Response) => ((await response.json()) as ErrorBody).error;

/** A TCP hop between ingest and the real PostgreSQL that the test can cut: a database outage. */
class CuttableProxy {
  private readonly sockets = new Set<Socket>();
  private server: Server | undefined;

  async start(target: { host: string; port: number }): Promise<number> {
    const server = createServer((client) => {
      const upstream = createConnection(target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  /** Refuse new connections and drop the open ones. */
  async cut(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

/** A port nothing listens on: PostgreSQL that has never been reachable. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Connector keys created with `npm run keys` (table `api_key`) work at ingest next to
 * CONNECTOR_KEYS: real PostgreSQL and Kafka, ingest started as in production.
 */
describe('ingest with connector keys from PostgreSQL', () => {
  let stack: Stack;
  let database: DatabaseConfig;
  let db: DataSource;
  let keys: ApiKeyRepository;
  let tap: KafkaTap;
  const extraApps: IngestApp[] = [];

  /** Another ingest instance of the same stack, with its own database settings. */
  async function startIngest(env: Record<string, string>): Promise<string> {
    const started = await startIngestApp(loadIngestConfig({ ...stack.env, ...env }));
    extraApps.push(started);
    return started.url;
  }

  beforeAll(async () => {
    stack = await startStack(
      { policies: [{ id: 'default', targets: { first_response: '1h' } }] },
      ['ingest'],
      { INGEST_KEY_REFRESH_MS: '500' },
    );
    // Escalation migrates in production; ingest alone only reads, so the test migrates.
    database = { url: stack.env.DATABASE_URL, schema: stack.env.DATABASE_SCHEMA };
    await migrate(database);
    db = new DataSource(dataSourceOptions(database, 1));
    await db.initialize();
    keys = new ApiKeyRepository(db);
    // Ingest creates its topics in the background at start: ready once a real event is accepted.
    await waitFor(
      'ingest to accept events',
      async () => (await postEvents(stack.urls.ingest!, event())).status === 202,
    );
    tap = new KafkaTap(topicName(Topic.ContactEvents, stack.topicPrefix));
    await tap.start();
  });

  afterAll(async () => {
    for (const started of extraApps) await started.app.close();
    await tap?.stop();
    if (db?.isInitialized) await db.destroy();
    await stack?.close();
  });

  it('accepts an active connector key, its name being the source of the events', async () => {
    const { key } = await keys.create('connector', 'db-pbx');
    const body = event();
    const response = await postEvents(stack.urls.ingest!, body, key);
    expect(response.status).toBe(202);
    const message = await waitFor('the event on Kafka', () =>
      tap.messages.find((m) => m.key === body.contactId),
    );
    expect(JSON.parse(message.value!.toString()) as ContactEvent).toMatchObject({
      eventId: body.eventId,
      source: 'db-pbx',
    });
    expect(message.headers.source).toBe('db-pbx');

    const mismatch = await postEvents(stack.urls.ingest!, event({ source: 'someone-else' }), key);
    expect(mismatch.status).toBe(400);
    expect((await errorOf(mismatch)).details[0]).toMatchObject({
      path: 'source',
      code: 'source_mismatch',
    });
  });

  it.each(['ops', 'lead', 'admin'] as const)(
    'refuses a key with role %s with 403 INGEST.FORBIDDEN',
    async (role) => {
      const { key } = await keys.create(role, `${role} person`);
      const response = await postEvents(stack.urls.ingest!, event(), key);
      expect(response.status).toBe(403);
      expect(await errorOf(response)).toMatchObject({
        code: 'INGEST.FORBIDDEN',
        message: `a key with role ${role} cannot send events; create one with --role connector`,
      });
    },
  );

  it('refuses a connector key not named after a source id, saying how to name it', async () => {
    const { key } = await keys.create('connector', 'Twilio bridge');
    const response = await postEvents(stack.urls.ingest!, event(), key);
    expect(response.status).toBe(403);
    expect((await errorOf(response)).message).toContain('named after the source id');
  });

  it('answers 401 for an unknown key while the database answers', async () => {
    const response = await postEvents(stack.urls.ingest!, event(), 'rw_connector_not-a-real-key');
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: 'INGEST.UNAUTHENTICATED' });
  });

  it('stops accepting a revoked key within the reload interval; CONNECTOR_KEYS keep working', async () => {
    const { key, record } = await keys.create('connector', 'db-crm');
    expect((await postEvents(stack.urls.ingest!, event(), key)).status).toBe(202);
    expect(await keys.revoke(record.fingerprint)).toHaveLength(1);
    await waitFor(
      'the revoked key refused',
      async () => (await postEvents(stack.urls.ingest!, event(), key)).status === 401,
      { timeoutMs: 10000, intervalMs: 200 },
    );
    expect((await postEvents(stack.urls.ingest!, event(), TEST_CONNECTOR_KEY)).status).toBe(202);
  });

  it('keeps the keys it loaded when PostgreSQL goes away, and answers 503 for others', async () => {
    const proxy = new CuttableProxy();
    const target = new URL(database.url);
    const port = await proxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(database.url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(port);
    const url = await startIngest({ DATABASE_URL: viaProxy.toString() });
    const { key } = await keys.create('connector', 'db-chat');
    expect((await postEvents(url, event(), key)).status).toBe(202);

    await proxy.cut();
    const { key: newer } = await keys.create('connector', 'db-chat-2');
    const refused = await waitFor('ingest to notice the outage', async () => {
      const response = await postEvents(url, event(), newer);
      return response.status === 503 ? response : undefined;
    });
    expect(await errorOf(refused)).toMatchObject({ code: 'INGEST.AUTH_UNAVAILABLE' });
    expect((await postEvents(url, event(), key)).status).toBe(202);
    expect((await postEvents(url, event(), TEST_CONNECTOR_KEY)).status).toBe(202);
  });

  it('starts without PostgreSQL: CONNECTOR_KEYS work, other keys get 503 (not 401)', async () => {
    const nowhere = new URL(database.url);
    nowhere.hostname = '127.0.0.1';
    nowhere.port = String(await closedPort());
    const url = await startIngest({ DATABASE_URL: nowhere.toString() });
    expect((await postEvents(url, event(), TEST_CONNECTOR_KEY)).status).toBe(202);
    const { key } = await keys.create('connector', 'db-sms');
    const response = await postEvents(url, event(), key);
    expect(response.status).toBe(503);
    expect(await errorOf(response)).toMatchObject({ code: 'INGEST.AUTH_UNAVAILABLE' });
  });
});
