import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyGenericSignature } from '@replywatch/connectors';
import { ReplywatchClient } from './replywatch-client';
import type { ConnectorEvent } from './connector-event.preparer';
import {
  ReplywatchClosedError,
  ReplywatchHttpError,
  ReplywatchInvalidEventError,
  ReplywatchRejectedError,
  ReplywatchTimeoutError,
  ReplywatchUnavailableError,
} from './replywatch-client.errors';
import type { ReplywatchClientOptions } from './replywatch-client.options';
import { acceptAll, FakeIngestServer } from './testing/fake-ingest.server';
import type { Reply } from './testing/fake-ingest.server';

/** The client against a real HTTP server on an ephemeral port: no fetch mocks. */
describe('ReplywatchClient', () => {
  let server: FakeIngestServer;
  const clients: ReplywatchClient[] = [];
  let counter = 0;

  const event = (overrides: Partial<ConnectorEvent> = {}): ConnectorEvent => {
    counter += 1;
    return {
      eventId: `pbx-call-${counter}`,
      type: 'call.missed',
      contactId: `pbx-${counter}`,
      channel: 'phone',
      occurredAt: '2026-03-02T10:15:00+01:00',
      ...overrides,
    } as ConnectorEvent;
  };

  // Tiny backoffs: retries are exercised for real without slowing the suite.
  const client = (options: Partial<ReplywatchClientOptions> = {}) => {
    const created = new ReplywatchClient({
      baseUrl: server.baseUrl,
      apiKey: 'test-connector-key',
      initialBackoffMs: 1,
      maxBackoffMs: 5,
      flushIntervalMs: 5,
      ...options,
    } as ReplywatchClientOptions);
    clients.push(created);
    return created;
  };

  const unavailable: Reply = {
    status: 503,
    body: {
      error: {
        code: 'KAFKA.UNAVAILABLE',
        message: 'Kafka did not acknowledge the write: no broker',
        details: [],
        requestId: 'req-503',
      },
    },
  };

  beforeEach(async () => {
    server = await FakeIngestServer.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server.close();
  });

  it('posts a JSON array to /v1/events with the bearer key', async () => {
    const sent = event();
    await client().send(sent);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/events');
    expect(request.headers.authorization).toBe('Bearer test-connector-key');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body.toString())).toEqual([
      expect.objectContaining({
        eventId: sent.eventId,
        type: 'call.missed',
        occurredAt: '2026-03-02T09:15:00.000Z',
      }),
    ]);
  });

  it('keeps a path prefix of baseUrl', async () => {
    await client({ baseUrl: `${server.baseUrl}/replywatch/` }).send(event());
    expect(server.requests[0].url).toBe('/replywatch/v1/events');
  });

  it('batches 10 sends into one request', async () => {
    const replywatch = client({ flushIntervalMs: 50 });
    const events = Array.from({ length: 10 }, () => event());
    await Promise.all(events.map((e) => replywatch.send(e)));
    expect(server.eventIdsPerRequest()).toEqual([events.map((e) => e.eventId)]);
  });

  it('splits at batchSize, in order, one request at a time', async () => {
    const replywatch = client({ batchSize: 10 });
    const events = Array.from({ length: 25 }, () => event());
    await Promise.all(events.map((e) => replywatch.send(e)));
    const ids = events.map((e) => e.eventId as string);
    expect(server.eventIdsPerRequest()).toEqual([
      ids.slice(0, 10),
      ids.slice(10, 20),
      ids.slice(20),
    ]);
    expect(server.maxInFlight).toBe(1);
  });

  it('sends a lone event after flushIntervalMs, and at once on flush()', async () => {
    const replywatch = client({ flushIntervalMs: 20 });
    await replywatch.send(event());
    expect(server.requests).toHaveLength(1);

    const slow = client({ flushIntervalMs: 60_000 });
    const delivered = slow.send(event());
    await slow.flush();
    await delivered;
    expect(server.requests).toHaveLength(2);
  });

  it('retries a 503 with the same body bytes and eventIds, then resolves', async () => {
    server.respond = (request, index) => (index === 0 ? unavailable : acceptAll(request, index));
    const withoutId = event();
    delete withoutId.eventId;
    const replywatch = client();
    await Promise.all([replywatch.send(event()), replywatch.send(withoutId)]);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].body.equals(server.requests[0].body)).toBe(true);
    const [first, second] = server.eventIdsPerRequest();
    expect(second).toEqual(first);
    expect(first[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('honours Retry-After on 429', async () => {
    server.respond = (request, index) =>
      index === 0
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            body: { error: { code: 'RATE', message: 'slow down', details: [] } },
          }
        : acceptAll(request, index);
    await client({ maxBackoffMs: 1 }).send(event());
    expect(server.requests).toHaveLength(2);
    const waited = server.requests[1].receivedAtMs - server.requests[0].receivedAtMs;
    expect(waited).toBeGreaterThanOrEqual(950);
  });

  it('retries a 408 and a 500', async () => {
    server.respond = (request, index) =>
      index === 0
        ? { status: 408 }
        : index === 1
          ? { status: 500, body: 'oops' }
          : acceptAll(request, index);
    await client().send(event());
    expect(server.requests).toHaveLength(3);
  });

  it('rejects a 400 without retrying, with the code, details and status', async () => {
    const details = [
      { path: '[0].occurredAt', code: 'invalid_format', message: 'Invalid ISO datetime' },
    ];
    server.respond = () => ({
      status: 400,
      body: {
        error: {
          code: 'INGEST.INVALID_EVENT',
          message: '1 problem(s) in the request; nothing was accepted',
          details,
          requestId: 'req-1',
        },
      },
    });
    const replywatch = client();
    const sent = [event(), event()];
    const results = await Promise.allSettled(sent.map((e) => replywatch.send(e)));
    expect(server.requests).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as ReplywatchRejectedError;
      expect(error).toBeInstanceOf(ReplywatchRejectedError);
      expect(error).toMatchObject({
        code: 'INGEST.INVALID_EVENT',
        message: '1 problem(s) in the request; nothing was accepted',
        details,
        status: 400,
        requestId: 'req-1',
        eventIds: sent.map((e) => e.eventId),
      });
    }
  });

  it('rejects a 401 without retrying', async () => {
    server.respond = () => ({
      status: 401,
      body: {
        error: { code: 'INGEST.UNAUTHENTICATED', message: 'unknown connector key', details: [] },
      },
    });
    await expect(client().send(event())).rejects.toMatchObject({
      name: 'ReplywatchRejectedError',
      code: 'INGEST.UNAUTHENTICATED',
      status: 401,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a 2xx that is not ingest’s answer instead of calling it delivered', async () => {
    server.respond = () => ({ status: 200, body: '<html>welcome</html>' });
    await expect(client().send(event())).rejects.toMatchObject({
      code: 'CLIENT.UNEXPECTED_RESPONSE',
      status: 200,
    });
  });

  it('signs requests in a way verifyGenericSignature accepts', async () => {
    const signingSecret = 'rw_sign_test_0123456789';
    server.respond = (request, index) => {
      const check = verifyGenericSignature(
        { headers: request.headers, rawBody: request.body, nowMs: Date.now() },
        ['an-older-secret', signingSecret],
      );
      if (!check.ok || request.headers['x-replywatch-source'] !== 'legacy-pbx') {
        return {
          status: 401,
          body: {
            error: {
              code: 'INGEST.SIGNATURE_INVALID',
              message: check.ok ? 'source' : check.reason,
              details: [],
            },
          },
        };
      }
      return acceptAll(request, index);
    };
    await client({ apiKey: undefined, signingSecret, source: 'legacy-pbx' }).send(
      event({ source: 'legacy-pbx' }),
    );
    const [request] = server.requests;
    expect(request.headers.authorization).toBeUndefined();
    expect(request.headers['x-replywatch-timestamp']).toMatch(/^[0-9]+$/);
    expect(request.headers['x-replywatch-signature']).toMatch(/^v1=[0-9a-f]{64}$/);

    await expect(
      client({ apiKey: undefined, signingSecret: 'a-wrong-secret', source: 'legacy-pbx' }).send(
        event(),
      ),
    ).rejects.toMatchObject({ code: 'INGEST.SIGNATURE_INVALID', status: 401 });
  });

  it('re-signs every attempt with the time of that attempt', async () => {
    let nowMs = Date.parse('2026-03-02T09:00:00Z');
    server.respond = (request, index) => {
      nowMs += 7000;
      return index === 0 ? unavailable : acceptAll(request, index);
    };
    await client({
      apiKey: undefined,
      signingSecret: 'secret',
      source: 'pbx',
      now: () => nowMs,
    }).send(event());
    const [first, second] = server.requests;
    expect(Number(second.headers['x-replywatch-timestamp'])).toBe(
      Number(first.headers['x-replywatch-timestamp']) + 7,
    );
    expect(second.body.equals(first.body)).toBe(true);
  });

  it('retries after a timeout', async () => {
    server.respond = (request, index) => (index === 0 ? 'hang' : acceptAll(request, index));
    await client({ timeoutMs: 100 }).send(event());
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].body.equals(server.requests[0].body)).toBe(true);
  });

  it('gives up after maxAttempts with ReplywatchUnavailableError holding the last cause', async () => {
    server.respond = () => unavailable;
    const sent = event();
    const error = (await client({ maxAttempts: 3 })
      .send(sent)
      .catch((e: unknown) => e)) as ReplywatchUnavailableError;
    expect(error).toBeInstanceOf(ReplywatchUnavailableError);
    expect(error).toMatchObject({
      code: 'CLIENT.UNAVAILABLE',
      attempts: 3,
      eventIds: [sent.eventId],
    });
    expect(error.cause).toBeInstanceOf(ReplywatchHttpError);
    expect(error.cause).toMatchObject({
      status: 503,
      code: 'KAFKA.UNAVAILABLE',
      requestId: 'req-503',
    });
    expect(error.message).toContain('503 KAFKA.UNAVAILABLE');
    expect(server.requests).toHaveLength(3);
  });

  it('gives up on timeouts with the timeout as the cause', async () => {
    server.respond = () => 'hang';
    const error = (await client({ maxAttempts: 2, timeoutMs: 50 })
      .send(event())
      .catch((e: unknown) => e)) as ReplywatchUnavailableError;
    expect(error).toBeInstanceOf(ReplywatchUnavailableError);
    expect(error.cause).toBeInstanceOf(ReplywatchTimeoutError);
    expect(server.requests).toHaveLength(2);
  });

  it('retries network errors and gives up with the network error as the cause', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const error = (await client({ baseUrl: `http://127.0.0.1:${closedPort}`, maxAttempts: 2 })
      .send(event())
      .catch((e: unknown) => e)) as ReplywatchUnavailableError;
    expect(error).toBeInstanceOf(ReplywatchUnavailableError);
    expect(error).toMatchObject({ attempts: 2 });
    // fetch's own TypeError, whose cause says why (ECONNREFUSED); it comes from Node's realm.
    expect(error.cause).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(error.message).toMatch(/after 2 attempt\(s\): fetch failed \(.*ECONNREFUSED/);
  });

  it('rejects an invalid event at once with the field paths, and never sends it', async () => {
    const replywatch = client();
    const bad = event({
      channel: 'fax',
      occurredAt: 'yesterday',
    } as unknown as Partial<ConnectorEvent>);
    const error = (await replywatch
      .send(bad)
      .catch((e: unknown) => e)) as ReplywatchInvalidEventError;
    expect(error).toBeInstanceOf(ReplywatchInvalidEventError);
    expect(error.code).toBe('CLIENT.INVALID_EVENT');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['channel', 'occurredAt']);
    await replywatch.flush();
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an event naming another source than the client’s', async () => {
    await expect(client({ source: 'pbx' }).send(event({ source: 'crm' }))).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'source', code: 'source_mismatch' })],
    });
  });

  it('close() delivers what is queued, then refuses new events', async () => {
    const replywatch = client({ flushIntervalMs: 60_000 });
    const delivered = replywatch.send(event());
    await replywatch.close();
    await delivered;
    expect(server.requests).toHaveLength(1);
    await expect(replywatch.send(event())).rejects.toBeInstanceOf(ReplywatchClosedError);
  });

  it('names every bad option at construction', () => {
    expect(
      () =>
        new ReplywatchClient({
          baseUrl: 'ftp://example.com',
          apiKey: 'key',
          signingSecret: 'secret',
          batchSize: 0,
        } as unknown as ReplywatchClientOptions),
    ).toThrow(/baseUrl must be http\(s\).*exactly one of apiKey or signingSecret.*batchSize/);
    expect(
      () =>
        new ReplywatchClient({
          baseUrl: 'http://x',
          signingSecret: 's',
        } as ReplywatchClientOptions),
    ).toThrow(/source is required with signingSecret/);
  });
});
