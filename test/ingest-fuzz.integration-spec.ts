import { createHash, createHmac } from 'node:crypto';
import { runInThisContext } from 'node:vm';
import fc from 'fast-check';
import { parseTwilioVoice } from '@replywatch/connectors';
import { DEAD_LETTER_HEADERS, Topic, topicName } from '@replywatch/contracts';
import {
  buildCase,
  caseArbitrary,
  routingArbitrary,
  sendableHeader,
} from './support/ingest-fuzz.cases';
import type { BuiltCase, CaseSpec } from './support/ingest-fuzz.cases';
import {
  FORGED_MARK,
  FUZZ_ENV,
  FUZZ_SECRETS,
  LANES,
  unknownBearerKey,
} from './support/ingest-fuzz.lanes';
import type { Lane } from './support/ingest-fuzz.lanes';
import { KafkaTap } from './support/kafka-tap';
import { RawHttpClient } from './support/raw-http';
import type { RawRequest, RawResponse } from './support/raw-http';
import { startStack, TEST_CONNECTOR_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/**
 * Issue #8, "Bad input": at least 10,000 generated bad requests against every ingest endpoint
 * (the connector API with a bearer key and with a body signature, each provider webhook, unknown
 * routes and the GET handshakes). Every answer is a 4xx with a machine-readable `error.code`, or
 * a 2xx only for a request that carried a valid credential (an authentic delivery ingest cannot
 * map is dead-lettered with its reason); never a 5xx. At the end nothing forged is on Kafka, ingest
 * still answers /health, and no error went unhandled.
 *
 * INGEST_FUZZ_SEED replays a failure (fast-check prints the seed and path; each lane adds its
 * index to the seed). Run alone: npx jest test/ingest-fuzz.integration-spec.ts --selectProjects integration
 */
const SEED = Number(process.env.INGEST_FUZZ_SEED ?? 20260815);
/** ingest's default INGEST_MAX_BODY_BYTES: bodies are generated around it. */
const BODY_LIMIT = 1048576;
/** Generated requests per lane; their sum (with the two lanes below) is ≥ 10,000. */
const RUNS: Record<string, number> = {
  'events (bearer key)': 1500,
  'events (signed)': 1200,
  twilio: 1000,
  zendesk: 900,
  intercom: 900,
  meta: 1000,
  x: 900,
  mailgun: 900,
  sendgrid: 800,
  postmark: 800,
  pbx: 900,
};
/** Unknown but well-formed bearer keys wait for a (rate-limited) key reload: sent 25 at a time. */
const UNKNOWN_KEY_BATCHES = 20;
const UNKNOWN_KEY_BATCH = 25;
const ROUTING_RUNS = 800;

interface LaneStats {
  requests: number;
  forged: number;
  statuses: Map<number, number>;
  codes: Map<string, number>;
  outcomes: Map<string, number>;
}

interface WebhookAnswer {
  status?: unknown;
  reason?: unknown;
  eventIds?: unknown;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
const preview = (bytes: Buffer) => bytes.toString('utf8', 0, 300).replace(/\s+/g, ' ');

function errorCode(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      error?: { code?: unknown; message?: unknown };
    };
    const { code, message } = parsed.error ?? {};
    return typeof code === 'string' && code !== '' && typeof message === 'string'
      ? code
      : undefined;
  } catch {
    return undefined;
  }
}

describe('ingest under bad input (fuzz, issue #8)', () => {
  let stack: Stack;
  let client: RawHttpClient;
  let contactEvents: KafkaTap;
  let deadLetters: KafkaTap;
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);
  // Jest hands tests a copy of `process` whose listeners never fire: listen on the real one
  // (ingest runs in this process, so its unhandled errors would be emitted there).
  const realProcess = runInThisContext('process') as NodeJS.Process;

  const stats = new Map<string, LaneStats>();
  /** Event ids of every authentic request ingest accepted: the only ids allowed on Kafka. */
  const acceptedIds = new Set<string>();
  /** sha256 of each body ingest answered "dead-lettered" → lane and reason ('' when not told). */
  const expectedDeadLetters = new Map<string, { lane: string; reason: string }>();

  const statsOf = (lane: string) => {
    let found = stats.get(lane);
    if (found === undefined) {
      found = {
        requests: 0,
        forged: 0,
        statuses: new Map(),
        codes: new Map(),
        outcomes: new Map(),
      };
      stats.set(lane, found);
    }
    return found;
  };

  const url = (path: string) => `${stack.urls.ingest!}${path}`;
  const get = (path: string) => client.send({ method: 'GET', path, headers: [] });

  beforeAll(async () => {
    realProcess.on('unhandledRejection', onUnhandled);
    realProcess.on('uncaughtException', onUnhandled);
    stack = await startStack(
      { policies: [{ id: 'default', targets: { first_response: '1h' } }] },
      ['ingest'],
      // LOG_LEVEL error: ten thousand refusals would each log a warning; a 500 still logs.
      // A generous publish timeout: a Kafka slowed by a busy machine is not what is tested here.
      { ...FUZZ_ENV, LOG_LEVEL: 'error', INGEST_PUBLISH_TIMEOUT_MS: '20000' },
    );
    client = new RawHttpClient(stack.urls.ingest!);
    // Topics are created in the background, connector keys loaded from PostgreSQL once.
    await waitFor(
      'ingest to accept events',
      async () => (await postGenuine([`warm-${uniqueId('w')}`])).status === 202,
    );
    await waitFor(
      'the connector key table to be loaded',
      async () => (await bearer('Bearer not-a-known-key-0000')).status === 401,
    );
    contactEvents = new KafkaTap(topicName(Topic.ContactEvents, stack.topicPrefix));
    deadLetters = new KafkaTap(topicName(Topic.ContactEventsDeadLetter, stack.topicPrefix));
    await Promise.all([contactEvents.start(), deadLetters.start()]);
  });

  afterAll(async () => {
    await contactEvents?.stop();
    await deadLetters?.stop();
    client?.close();
    await stack?.close();
    realProcess.off('unhandledRejection', onUnhandled);
    realProcess.off('uncaughtException', onUnhandled);
  });

  /** A genuine batch through the bearer-key API; its ids are allowed on Kafka. */
  async function postGenuine(contactIds: string[]): Promise<RawResponse> {
    const at = new Date().toISOString();
    const body = contactIds.map((contactId) => ({
      eventId: `${contactId}-opened`,
      type: 'contact.opened',
      contactId,
      channel: 'chat',
      occurredAt: at,
    }));
    const response = await client.send({
      method: 'POST',
      path: '/v1/events',
      headers: [
        ['content-type', 'application/json'],
        ['authorization', `Bearer ${TEST_CONNECTOR_KEY}`],
      ],
      body: Buffer.from(JSON.stringify(body)),
    });
    if (response.status === 202) body.forEach((event) => acceptedIds.add(event.eventId));
    return response;
  }

  function bearer(authorization: string): Promise<RawResponse> {
    return client.send({
      method: 'POST',
      path: '/v1/events',
      headers: [
        ['content-type', 'application/json'],
        ['authorization', sendableHeader(authorization)],
      ],
      body: Buffer.from('{}'),
    });
  }

  /** What ingest did with an authentic delivery it answered 2xx, checked against its promises. */
  function recordAccepted(lane: Lane, built: BuiltCase, response: RawResponse): string | undefined {
    const laneStats = statsOf(lane.name);
    const body = built.request.body ?? Buffer.alloc(0);
    if (lane.path === '/v1/events') {
      const answer = JSON.parse(response.body.toString('utf8')) as {
        accepted?: unknown;
        eventIds?: unknown;
      };
      if (!Array.isArray(answer.eventIds) || answer.eventIds.length !== answer.accepted) {
        return `202 without the accepted ids: ${preview(response.body)}`;
      }
      answer.eventIds.forEach((id) => acceptedIds.add(String(id)));
      bump(laneStats.outcomes, 'accepted');
      return undefined;
    }
    if (lane.name === 'twilio') {
      // Twilio is answered with TwiML whatever happened: the pure parser tells what should have.
      const parsed = parseTwilioVoice(body, {
        accountLabel: 'main',
        agentNumbers: [],
        receivedAtIso: new Date().toISOString(),
      });
      bump(laneStats.outcomes, parsed.kind === 'unmappable' ? 'dead-lettered' : parsed.kind);
      if (parsed.kind === 'events')
        parsed.events.forEach((event) => acceptedIds.add(event.eventId));
      if (parsed.kind === 'unmappable') {
        expectedDeadLetters.set(sha256(body), { lane: lane.name, reason: '' });
      }
      return parsed.kind === 'malformed'
        ? `202 for a body the parser calls malformed (${parsed.reason})`
        : undefined;
    }
    let answer: WebhookAnswer;
    try {
      answer = JSON.parse(response.body.toString('utf8')) as WebhookAnswer;
    } catch {
      return `2xx that is not JSON: ${preview(response.body)}`;
    }
    bump(laneStats.outcomes, String(answer.status));
    switch (answer.status) {
      case 'accepted':
        if (!Array.isArray(answer.eventIds)) return `accepted without eventIds`;
        answer.eventIds.forEach((id) => acceptedIds.add(String(id)));
        return undefined;
      case 'ignored':
        return typeof answer.reason === 'string' && answer.reason !== ''
          ? undefined
          : 'ignored without a reason';
      case 'dead-lettered':
        if (typeof answer.reason !== 'string' || answer.reason === '')
          return 'dead-lettered without a reason';
        expectedDeadLetters.set(sha256(body), { lane: lane.name, reason: answer.reason });
        return undefined;
      default:
        return `2xx with an unknown outcome: ${preview(response.body)}`;
    }
  }

  /** The rules every answer must keep; a description of the broken one, or undefined. */
  function judge(
    lane: string,
    request: RawRequest,
    authentic: boolean,
    response: RawResponse,
    onAccepted: () => string | undefined,
  ): string | undefined {
    const laneStats = statsOf(lane);
    laneStats.requests += 1;
    if (!authentic) laneStats.forged += 1;
    bump(laneStats.statuses, response.status);
    if (response.status >= 400 && response.status < 500) {
      const code = errorCode(response.body);
      if (code === undefined) {
        return `${response.status} without a machine-readable error: ${preview(response.body)}`;
      }
      bump(laneStats.codes, code);
      return undefined;
    }
    if (response.status < 200 || response.status >= 300) {
      return `answered ${response.status}: ${preview(response.body)}`;
    }
    if (!authentic)
      return `${request.method} ${request.path}: took a request without a valid credential (${response.status})`;
    return onAccepted();
  }

  async function runLane(lane: Lane, index: number): Promise<void> {
    await fc.assert(
      fc.asyncProperty(caseArbitrary(lane, BODY_LIMIT), async (spec: CaseSpec) => {
        const built = await buildCase(lane, spec, { url, get });
        let response: RawResponse;
        try {
          response = await client.send(built.request);
        } catch (error) {
          throw new Error(`${lane.name} ${built.label}: no answer (${(error as Error).message})`);
        }
        const problem = judge(lane.name, built.request, built.authentic, response, () =>
          recordAccepted(lane, built, response),
        );
        if (problem !== undefined) throw new Error(`${lane.name} ${built.label}: ${problem}`);
      }),
      { numRuns: RUNS[lane.name], seed: SEED + index, endOnFailure: true },
    );
  }

  /** Well-formed bearer keys that are not ingest's, many at once (each waits for a key reload). */
  async function runUnknownKeys(): Promise<void> {
    await fc.assert(
      fc.asyncProperty(
        fc.array(unknownBearerKey, { minLength: UNKNOWN_KEY_BATCH, maxLength: UNKNOWN_KEY_BATCH }),
        async (keys) => {
          const answers = await Promise.all(keys.map((key) => bearer(`Bearer ${key}`)));
          answers.forEach((response, i) => {
            const request: RawRequest = { method: 'POST', path: '/v1/events', headers: [] };
            const problem = judge(
              'events (unknown keys)',
              request,
              false,
              response,
              () => undefined,
            );
            if (problem !== undefined) throw new Error(`unknown key #${i}: ${problem}`);
          });
        },
      ),
      { numRuns: UNKNOWN_KEY_BATCHES, seed: SEED + 100, endOnFailure: true },
    );
  }

  /** Unknown providers, accounts, paths and methods, and the GET handshakes with bad queries. */
  async function runRouting(): Promise<void> {
    await fc.assert(
      fc.asyncProperty(routingArbitrary(), async ({ method, target, search, bytes }) => {
        const request: RawRequest = {
          method,
          path: `${target}${search}`,
          headers: [['content-type', 'application/json']],
          ...(method === 'GET' ? {} : { body: Buffer.from(bytes) }),
        };
        const response = await client.send(request);
        // X's CRC answers any crc_token by design (it is not an intake): allowed, never required.
        const crc = (() => {
          try {
            return (
              method === 'GET' &&
              decodeURIComponent(target) === '/v1/webhooks/x/main' &&
              /[?&]crc_token=[^&]/.test(search)
            );
          } catch {
            return false;
          }
        })();
        const problem = judge('routing & handshakes', request, crc, response, () =>
          /"response_token":"sha256=/.test(response.body.toString('utf8'))
            ? undefined
            : `200 that is not a CRC answer`,
        );
        if (problem !== undefined)
          throw new Error(`${method} ${target}${search.slice(0, 80)}: ${problem}`);
      }),
      { numRuns: ROUTING_RUNS, seed: SEED + 200, endOnFailure: true },
    );
  }

  it('answers every bad request with a 4xx and a reason, takes nothing forged, and keeps running', async () => {
    const started = Date.now();
    // Settled, not raced: a failing lane must not leave the others sending while the stack closes.
    const lanes = await Promise.allSettled([
      ...LANES.map((lane, index) => runLane(lane, index)),
      runUnknownKeys(),
      runRouting(),
    ]);
    const fuzzedMs = Date.now() - started;
    const total = [...stats.values()].reduce((sum, lane) => sum + lane.requests, 0);
    const histogram = (map: Map<string | number, number>) =>
      [...map.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([key, count]) => `${key}×${count}`)
        .join(' ');
    console.warn(
      [
        `ingest fuzz: ${total} requests in ${(fuzzedMs / 1000).toFixed(1)} s (seed ${SEED}); ${acceptedIds.size} events accepted, ${expectedDeadLetters.size} deliveries dead-lettered`,
        ...[...stats.entries()].map(
          ([lane, s]) =>
            `  ${lane}: ${s.requests} requests (${s.forged} without a valid credential) | status ${histogram(s.statuses)} | codes ${histogram(s.codes)}${s.outcomes.size > 0 ? ` | 2xx ${histogram(s.outcomes)}` : ''}`,
        ),
      ].join('\n'),
    );
    const failed = lanes.find((lane) => lane.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    expect(total).toBeGreaterThanOrEqual(10000);

    // Fences: once these (published after every fuzz request was answered) are read, anything a
    // forged request had published would have been read too (3 partitions, 30 keys; 1 DLQ partition).
    const fence = Array.from({ length: 30 }, (_, i) => `fence-${i}-${uniqueId('f')}`);
    expect((await postGenuine(fence)).status).toBe(202);
    const fenceLetter = Buffer.from(
      JSON.stringify({ object: 'user', entry: [{ id: 'fence', time: 1, changes: [] }] }),
    );
    const letterAnswer = await client.send({
      method: 'POST',
      path: '/v1/webhooks/meta/main',
      headers: [
        [
          'x-hub-signature-256',
          `sha256=${createHmac('sha256', FUZZ_SECRETS.meta).update(fenceLetter).digest('hex')}`,
        ],
      ],
      body: fenceLetter,
    });
    expect(letterAnswer.status).toBe(202);
    expectedDeadLetters.set(sha256(fenceLetter), {
      lane: 'fence',
      reason: "unsupported webhook object 'user'",
    });

    const seenIds = () =>
      new Set(contactEvents.json<{ eventId: string }>().map((event) => event.eventId));
    const missingIds = () => {
      const seen = seenIds();
      return [...acceptedIds].filter((id) => !seen.has(id));
    };
    await waitFor('every accepted event on contact-events', () => missingIds().length === 0, {
      timeoutMs: 30000,
    }).catch((error: Error) => {
      throw new Error(`${error.message}: missing ${missingIds().slice(0, 10).join(', ')}`);
    });
    const letters = () =>
      new Map(deadLetters.messages.map((m) => [sha256(m.value ?? Buffer.alloc(0)), m.headers]));
    const missingLetters = () => {
      const seen = letters();
      return [...expectedDeadLetters].filter(([hash]) => !seen.has(hash)).map(([, told]) => told);
    };
    await waitFor(
      'every dead-lettered delivery on contact-events.dlq',
      () => missingLetters().length === 0,
      {
        timeoutMs: 30000,
      },
    ).catch((error: Error) => {
      throw new Error(`${error.message}: missing ${JSON.stringify(missingLetters().slice(0, 5))}`);
    });

    // Nothing forged reached Kafka: no event that no authentic request was answered for, no marker.
    const strays = contactEvents.messages.filter((message) => {
      const text = message.value?.toString('utf8') ?? '';
      const id = (JSON.parse(text) as { eventId?: string }).eventId ?? '';
      return !acceptedIds.has(id) || text.includes(FORGED_MARK);
    });
    expect(strays.map((m) => m.value?.toString('utf8').slice(0, 200))).toEqual([]);
    for (const [hash, headers] of letters()) {
      expect(expectedDeadLetters.has(hash)).toBe(true);
      expect(headers[DEAD_LETTER_HEADERS.reason]).toBeTruthy();
      expect(headers[DEAD_LETTER_HEADERS.reasonCode]).toBe('INGEST.UNMAPPABLE');
      const told = expectedDeadLetters.get(hash)?.reason;
      if (told) expect(headers[DEAD_LETTER_HEADERS.reason]).toBe(told.slice(0, 2000));
    }

    // Still alive and well, and nothing went unhandled.
    expect((await get('/health')).status).toBe(200);
    expect(unhandled.map(String)).toEqual([]);
  }, 300_000);
});
