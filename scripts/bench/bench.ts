/**
 * `npm run bench [-- --quick] [--contacts N]`: Replywatch end to end on this machine, against the
 * real stack (services as processes from dist/, Kafka, a redis-server of the benchmark's own,
 * PostgreSQL). Six figures, each with its conditions:
 *   1. ingest throughput (202 after the Kafka ack) and HTTP latency at a fixed 2,000 req/s;
 *   2. pipeline throughput, Kafka → SLA service → Redis, sustained, with the consumer lag;
 *   3. scale: N open contacts held (default 1,000,000): Redis bytes per contact, BullMQ timers,
 *      time to load them;
 *   4. timeliness: with N open, 10,000 deadlines falling due in one minute: lateness of
 *      `sla.breached` after its due instant and of the first notification (a signed webhook);
 *   5. recovery: the SLA service killed (kill -9) with N open: time from restart to every timer
 *      reconciled, lateness of deadlines that fell due while it was down;
 *   6. ops API: /v1/queue first page and /v1/stats at N open contacts.
 * Prints tables and writes JSON under bench-output/ (git-ignored). `--quick`: 50,000 contacts
 * and short phases, under 3 minutes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import Redis from 'ioredis';
import { Client } from 'pg';
import { CHANNELS, Topic, topicName } from '@replywatch/contracts';
import type { Channel } from '@replywatch/contracts';
import { ensureTopics, replywatchTopics } from '@replywatch/kafka';
import { ContactKeys } from '@replywatch/redis';
import {
  argValue,
  BenchRedis,
  BenchService,
  measure,
  metricSum,
  printTable,
  summarise,
  usedMemory,
  waitUntil,
  writeResults,
} from './bench-support';
import type { LatencySummary } from './bench-support';

const CONNECTOR_KEY = 'bench-connector-key-0001';
const ADMIN_KEY = 'bench-admin-key-00000001';
const PARTITIONS = 6;
const PRODUCE_BATCH = 2000;

interface Options {
  quick: boolean;
  contacts: number;
  dueSoon: number;
  recoveryContacts: number;
  phaseSeconds: number;
  sustainSeconds: number;
  /** The timeliness deadlines fall due over this window, starting `dueLeadMs` from now. */
  dueWindowMs: number;
  dueLeadMs: number;
  apiIterations: number;
}

function options(args: string[]): Options {
  const quick = args.includes('--quick');
  const contacts = Number(argValue(args, 'contacts') ?? (quick ? 50_000 : 1_000_000));
  return {
    quick,
    contacts,
    dueSoon: Number(argValue(args, 'due-soon') ?? (quick ? 2_000 : 10_000)),
    recoveryContacts: quick ? 500 : 2_000,
    phaseSeconds: quick ? 4 : 15,
    sustainSeconds: quick ? 10 : 60,
    dueWindowMs: quick ? 10_000 : 60_000,
    dueLeadMs: quick ? 10_000 : 20_000,
    apiIterations: quick ? 50 : 200,
  };
}

const log = (line: string) => process.stdout.write(`[bench] ${line}\n`);

/** A contact event as ingest would publish it (normalised, schema v1). */
function contactEvent(
  contactId: string,
  type: string,
  channel: Channel,
  occurredAt: number,
  extra: Record<string, unknown> = {},
) {
  const at = new Date(occurredAt).toISOString();
  return {
    eventId: `${contactId}-${type}-${occurredAt}`,
    schemaVersion: 1,
    type,
    contactId,
    channel,
    occurredAt: at,
    receivedAt: at,
    source: 'bench',
    tags: [],
    ...extra,
  };
}

function heldContact(index: number, now: number) {
  const contactId = `held-${index}`;
  const channel = CHANNELS[index % CHANNELS.length];
  const priority = index % 20 === 0 ? 'high' : index % 10 === 0 ? 'low' : 'normal';
  return contactEvent(contactId, 'contact.opened', channel, now - (index % 3600) * 1000, {
    priority,
    customer: { email: `customer-${index}@example.com` },
  });
}

class EventProducer {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async send(events: readonly { contactId: string }[]): Promise<void> {
    const batches: Promise<unknown>[] = [];
    for (let i = 0; i < events.length; i += PRODUCE_BATCH) {
      const messages = events.slice(i, i + PRODUCE_BATCH).map((event) => ({
        key: event.contactId,
        value: JSON.stringify(event),
      }));
      batches.push(this.producer.send({ topic: this.topic, messages, acks: -1 }));
      if (batches.length >= 8) await Promise.all(batches.splice(0));
    }
    await Promise.all(batches);
  }
}

async function metrics(service: BenchService): Promise<string> {
  return (await fetch(`${service.url}/metrics`)).text();
}

async function ingestFigures(opts: Options, env: Record<string, string>) {
  const ingest = new BenchService('ingest', {
    ...env,
    KAFKA_TOPIC_PREFIX: `${env.KAFKA_TOPIC_PREFIX}ingest.`,
  });
  await ingest.start();
  let counter = 0;
  const single = () => {
    counter += 1;
    return JSON.stringify({
      eventId: `ingest-bench-${counter}`,
      type: 'contact.opened',
      contactId: `ingest-${counter}`,
      channel: 'chat',
      occurredAt: new Date().toISOString(),
    });
  };
  const batch = () => `[${Array.from({ length: 100 }, () => single()).join(',')}]`;
  const run = (
    body: () => string,
    extra: Partial<autocannon.Options>,
  ): Promise<autocannon.Result> =>
    autocannon({
      url: `${ingest.url}/v1/events`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CONNECTOR_KEY}` },
      duration: opts.phaseSeconds,
      requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
      ...extra,
    });
  log('ingest: maximum single-event throughput');
  const max = await run(single, { connections: 50 });
  log('ingest: latency at a fixed 2,000 req/s');
  const fixed = await run(single, { connections: 50, overallRate: 2000 });
  log('ingest: 100-event batches');
  const batched = await run(batch, { connections: 16 });
  await ingest.stop();
  const ok = (result: autocannon.Result) => result['2xx'] / result.duration;
  return {
    maxEventsPerSecond: Math.round(ok(max)),
    maxLatency: { p50Ms: max.latency.p50, p99Ms: max.latency.p99 },
    at2000: {
      requestsPerSecond: Math.round(ok(fixed)),
      p50Ms: fixed.latency.p50,
      p99Ms: fixed.latency.p99,
      maxMs: fixed.latency.max,
      non2xx: fixed.non2xx,
    },
    batchedEventsPerSecond: Math.round(ok(batched) * 100),
    errors: max.errors + fixed.errors + batched.errors,
    non2xx: max.non2xx + batched.non2xx,
  };
}

interface WebhookHit {
  contactId: string;
  dueAt: number;
  receivedAt: number;
}

function webhookReceiver(hits: WebhookHit[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const receivedAt = Date.now();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          type: string;
          alert?: { contactId: string; dueAt: string };
        };
        if (body.type === 'alert.page' && body.alert) {
          hits.push({
            contactId: body.alert.contactId,
            dueAt: Date.parse(body.alert.dueAt),
            receivedAt,
          });
        }
      } catch {
        // not ours
      }
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ server, url: `http://127.0.0.1:${port}/hook` });
    }),
  );
}

interface BreachSeen {
  contactId: string;
  dueAt: number;
  emittedAt: number;
  receivedAt: number;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const run = `bench${Date.now().toString(36)}`;
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const startedKafka = await ensureKafka(brokers);
  const dir = mkdtempSync(join(tmpdir(), 'replywatch-bench-'));
  const redisServer = new BenchRedis();
  const redisUrl = await redisServer.start();
  const redis = new Redis(redisUrl);
  const keys = new ContactKeys(run);
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  const kafka = new Kafka({ clientId: 'replywatch-bench', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const hits: WebhookHit[] = [];
  const receiver = await webhookReceiver(hits);
  const policyFile = join(dir, 'policies.json');
  writeFileSync(
    policyFile,
    JSON.stringify({
      policies: [
        // Falls due two minutes after opening: the timeliness and recovery contacts.
        { id: 'due-soon', match: { priority: ['urgent'] }, targets: { first_response: '2m' } },
        {
          id: 'held',
          targets: { first_response: { within: '8h', warnAt: ['75%'] }, resolution: '24h' },
        },
      ],
    }),
  );
  const escalationFile = join(dir, 'escalation.json');
  writeFileSync(
    escalationFile,
    JSON.stringify({
      people: [{ id: 'lead', name: 'Bench lead', webhook: 'bench-hook' }],
      endpoints: [
        { id: 'bench-hook', type: 'webhook', url: receiver.url, secret: 'bench-secret-0123456789' },
      ],
      chains: [
        {
          id: 'page-lead',
          levels: [{ notify: [{ target: 'person:lead', channels: ['webhook'] }] }],
        },
      ],
      defaultChain: 'page-lead',
    }),
  );
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers.join(','),
    KAFKA_TOPIC_PREFIX: `${run}.`,
    KAFKA_GROUP_ID_SLA: `${run}-sla`,
    KAFKA_GROUP_ID_ESCALATION: `${run}-escalation`,
    CONTACT_EVENTS_PARTITIONS: String(PARTITIONS),
    REDIS_URL: redisUrl,
    REDIS_PREFIX: run,
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: run,
    POLICY_FILE: policyFile,
    ESCALATION_FILE: escalationFile,
    CONNECTOR_KEYS: `bench=${CONNECTOR_KEY}`,
    OPS_ADMIN_KEYS: ADMIN_KEY,
    OPS_RATE_LIMIT_API_PER_MIN: '0',
    LOG_LEVEL: 'log',
  };
  const services: BenchService[] = [];
  const results: Record<string, unknown> = {
    command: `npm run bench${opts.quick ? ' -- --quick' : ''}`,
    when: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      redis: execFileSync('redis-server', ['--version']).toString().trim().split(' ')[2],
    },
    options: opts,
  };
  try {
    // 1. Ingest.
    results.ingest = await ingestFigures(opts, env);

    await ensureTopics(kafka, replywatchTopics(`${run}.`, PARTITIONS));
    const contactTopic = topicName(Topic.ContactEvents, `${run}.`);
    const events = new EventProducer(producer, contactTopic);
    const sla = new BenchService('sla', env);
    services.push(sla);
    await sla.start();
    const consumed = async () =>
      metricSum(await metrics(sla), 'replywatch_sla_events_consumed_total');
    const lag = async () => metricSum(await metrics(sla), 'replywatch_kafka_consumer_lag');
    const inView = async () =>
      (await redis.hvals(keys.queueSegments())).reduce((sum, count) => sum + Number(count), 0);

    // 2 + 3. Load N open contacts through Kafka: first a burst (how fast the SLA service drains
    // a backlog), then the rest at 90 % of that rate, then updates until the sustained window is
    // long enough; consumer lag sampled every second.
    const memoryBefore = await usedMemory(redis);
    const now = Date.now();
    const loadStarted = Date.now();
    const burst = Math.min(opts.contacts, Math.max(10_000, Math.floor(opts.contacts / 5)));
    log(`pipeline: burst of ${burst} contacts`);
    await events.send(Array.from({ length: burst }, (_, i) => heldContact(i, now)));
    const burstProduced = Date.now();
    await waitUntil('the burst applied', 600_000, async () => (await consumed()) >= burst, 200);
    const drainPerSecond = burst / ((Date.now() - loadStarted) / 1000);
    const rate = Math.max(1000, Math.floor(drainPerSecond * 0.9));
    log(`pipeline: drained ${Math.round(drainPerSecond)}/s; sustaining ${rate}/s`);
    let next = burst;
    let updates = 0;
    const samples: { at: number; consumed: number; lag: number }[] = [];
    const sustainStarted = Date.now();
    const startConsumed = await consumed();
    let tick = 0;
    while (next < opts.contacts || Date.now() - sustainStarted < opts.sustainSeconds * 1000) {
      const due = sustainStarted + tick * 100;
      tick += 1;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const count = Math.floor(rate / 10);
      const batch = [];
      for (let i = 0; i < count; i += 1) {
        if (next < opts.contacts) {
          batch.push(heldContact(next, now));
          next += 1;
        } else {
          // Held contacts get a customer message: a state change, no new contact.
          const index = Math.floor(Math.random() * opts.contacts);
          batch.push(
            contactEvent(
              `held-${index}`,
              'customer.replied',
              CHANNELS[index % 4],
              Date.now() + updates,
            ),
          );
          updates += 1;
        }
      }
      await events.send(batch);
      if (tick % 10 === 0) {
        samples.push({ at: Date.now(), consumed: await consumed(), lag: await lag() });
      }
    }
    const produced = opts.contacts + updates;
    await waitUntil(
      'every event applied',
      600_000,
      async () => (await consumed()) >= produced,
      200,
    );
    const sustainEnded = Date.now();
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const lagSamples = samples.map((sample) => sample.lag);
    const windowSeconds = (sustainEnded - sustainStarted) / 1000;
    results.pipeline = {
      burstEvents: burst,
      burstProduceSeconds: (burstProduced - loadStarted) / 1000,
      drainEventsPerSecond: Math.round(drainPerSecond),
      sustainedTargetPerSecond: rate,
      sustainedSeconds: Math.round(windowSeconds),
      sustainedAppliedPerSecond: Math.round((produced - startConsumed) / windowSeconds),
      lagFirst: lagSamples[0] ?? 0,
      lagLast: lagSamples.at(-1) ?? 0,
      lagMax: Math.max(0, ...lagSamples),
    };
    const memoryAfter = await usedMemory(redis);
    const timers = await redis.zcard(`${keys.bullPrefix()}:sla-timers:delayed`);
    results.scale = {
      openContacts: await inView(),
      redisBytesPerContact: Math.round((memoryAfter - memoryBefore) / opts.contacts),
      redisUsedMemoryMiB: Math.round(memoryAfter / 2 ** 20),
      bullmqDelayedJobs: timers,
      loadSeconds: Math.round(loadSeconds),
    };
    log(`scale: ${JSON.stringify(results.scale)}`);

    // 4. Timeliness: 10,000 deadlines in one minute, with N open.
    const breaches = new Map<string, BreachSeen>();
    const consumer = kafka.consumer({ groupId: `${run}-bench-tap` });
    await consumer.connect();
    await consumer.subscribe({ topic: topicName(Topic.SlaEvents, `${run}.`), fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        const receivedAt = Date.now();
        for (const message of batch.messages) {
          const event = JSON.parse(message.value?.toString('utf8') ?? '{}') as {
            type?: string;
            contactId?: string;
            dueAt?: string;
            emittedAt?: string;
          };
          if (event.type !== 'sla.breached' || !event.contactId?.startsWith('due-')) continue;
          if (breaches.has(event.contactId)) continue;
          breaches.set(event.contactId, {
            contactId: event.contactId,
            dueAt: Date.parse(event.dueAt ?? ''),
            emittedAt: Date.parse(event.emittedAt ?? ''),
            receivedAt,
          });
        }
      },
    });
    const escalation = new BenchService('escalation', env);
    services.push(escalation);
    await escalation.start();
    const firstDue = Date.now() + opts.dueLeadMs;
    const spacing = opts.dueWindowMs / opts.dueSoon;
    const dueAt = (i: number) => Math.floor(firstDue + i * spacing);
    log(`timeliness: ${opts.dueSoon} deadlines over ${opts.dueWindowMs / 1000} s`);
    await events.send(
      Array.from({ length: opts.dueSoon }, (_, i) =>
        contactEvent(`due-${i}`, 'contact.opened', CHANNELS[i % 4], dueAt(i) - 120_000, {
          priority: 'urgent',
        }),
      ),
    );
    await waitUntil('every breach seen', 300_000, () => breaches.size >= opts.dueSoon, 500);
    await waitUntil(
      'every page delivered',
      300_000,
      () => new Set(hits.map((hit) => hit.contactId)).size >= opts.dueSoon,
      500,
    );
    const breachList = [...breaches.values()].filter((b) => b.contactId.startsWith('due-'));
    // Where the time to the first page goes: breach → alert row → page delivered (PostgreSQL).
    const [split] = (
      await pg.query<Record<string, number | null>>(
        `WITH steps AS (
           SELECT extract(epoch FROM a.created_at - a.due_at) * 1000 AS to_alert,
                  extract(epoch FROM min(n.sent_at) - a.created_at) * 1000 AS to_sent
             FROM "${run}".alert a JOIN "${run}".notification n ON n.alert_id = a.id
            WHERE a.contact_id LIKE 'due-%' AND n.sent_at IS NOT NULL
            GROUP BY a.id)
         SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY to_alert) AS "alertP50",
                percentile_cont(0.99) WITHIN GROUP (ORDER BY to_alert) AS "alertP99",
                percentile_cont(0.5) WITHIN GROUP (ORDER BY to_sent) AS "sentP50",
                percentile_cont(0.99) WITHIN GROUP (ORDER BY to_sent) AS "sentP99"
           FROM steps`,
      )
    ).rows;
    const firstPages = new Map<string, WebhookHit>();
    for (const hit of hits) if (!firstPages.has(hit.contactId)) firstPages.set(hit.contactId, hit);
    results.timeliness = {
      deadlines: opts.dueSoon,
      windowSeconds: opts.dueWindowMs / 1000,
      openContacts: opts.contacts,
      breachEmittedLateMs: summarise(breachList.map((b) => b.emittedAt - b.dueAt)),
      breachOnKafkaLateMs: summarise(breachList.map((b) => b.receivedAt - b.dueAt)),
      firstNotificationLateMs: summarise(
        [...firstPages.values()].map((hit) => hit.receivedAt - hit.dueAt),
      ),
      sweepIntervalMs: 2000,
      duplicatePages: hits.length - firstPages.size,
      dueToAlertRowMs: {
        p50: Math.round(split?.alertP50 ?? 0),
        p99: Math.round(split?.alertP99 ?? 0),
      },
      alertRowToPageSentMs: {
        p50: Math.round(split?.sentP50 ?? 0),
        p99: Math.round(split?.sentP99 ?? 0),
      },
    };
    log(`timeliness: ${JSON.stringify(results.timeliness)}`);

    // 5. Recovery: kill -9 the SLA service; deadlines fall due while it is down.
    // Due over `spread` starting `lead` from now; killed before the first, restarted after the last.
    const [lead, spread] = opts.quick ? [8_000, 3_000] : [15_000, 10_000];
    const recoveryFirstDue = Date.now() + lead;
    const recoverySpacing = spread / opts.recoveryContacts;
    const recoveryDue = (i: number) => Math.floor(recoveryFirstDue + i * recoverySpacing);
    await events.send(
      Array.from({ length: opts.recoveryContacts }, (_, i) =>
        contactEvent(`due-r${i}`, 'contact.opened', CHANNELS[i % 4], recoveryDue(i) - 120_000, {
          priority: 'urgent',
        }),
      ),
    );
    const expected = produced + opts.dueSoon + opts.recoveryContacts;
    await waitUntil(
      'the recovery contacts applied',
      120_000,
      async () => (await consumed()) >= expected,
    );
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, recoveryFirstDue - 3_000 - Date.now())),
    );
    log('recovery: kill -9 the SLA service');
    await sla.kill();
    const killedAt = Date.now();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, recoveryFirstDue + spread + 2_000 - Date.now())),
    );
    const restartedAt = Date.now();
    await sla.start();
    const healthyAt = Date.now();
    await waitUntil(
      'the reconcile pass',
      600_000,
      () => /reconciled \d+ pending deadline/.test(sla.log),
      100,
    );
    const reconcileLine =
      /reconciled (\d+) pending deadline\(s\), repaired (\d+) timer\(s\), dropped (\d+) orphan\(s\) in (\d+) ms/.exec(
        sla.log,
      );
    const reconciledAt = Date.now();
    await waitUntil(
      'the breaches that fell due while down',
      300_000,
      () =>
        [...breaches.keys()].filter((id) => id.startsWith('due-r')).length >= opts.recoveryContacts,
      200,
    );
    const recovered = [...breaches.values()].filter((b) => b.contactId.startsWith('due-r'));
    results.recovery = {
      openContacts: opts.contacts + opts.dueSoon,
      downSeconds: Math.round((restartedAt - killedAt) / 1000),
      restartToHealthyMs: healthyAt - restartedAt,
      restartToReconciledMs: reconciledAt - restartedAt,
      reconcile: reconcileLine
        ? {
            checked: Number(reconcileLine[1]),
            repaired: Number(reconcileLine[2]),
            dropped: Number(reconcileLine[3]),
            passMs: Number(reconcileLine[4]),
          }
        : null,
      dueWhileDown: recovered.length,
      breachLateMs: summarise(recovered.map((b) => b.emittedAt - b.dueAt)),
      lateAfterRestartMs: summarise(recovered.map((b) => b.emittedAt - restartedAt)),
    };
    log(`recovery: ${JSON.stringify(results.recovery)}`);
    await consumer.disconnect();

    // 6. Ops API at N open contacts.
    const ops = new BenchService('ops', env);
    services.push(ops);
    await ops.start();
    const get = async (path: string) => {
      const res = await fetch(`${ops.url}${path}`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status}`);
      await res.arrayBuffer();
    };
    const api: Record<string, LatencySummary> = {};
    for (const [name, path] of [
      ['/v1/queue first page (by wait)', '/v1/queue?limit=50'],
      ['/v1/queue first page (by time left)', '/v1/queue?limit=50&sort=time-left'],
      ['/v1/queue?channel=chat&priority=high', '/v1/queue?limit=50&channel=chat&priority=high'],
      ['/v1/stats', '/v1/stats'],
    ] as const) {
      api[name] = await measure(() => get(path), opts.apiIterations);
    }
    results.opsApi = api;
    report(results);
    log(`results: ${writeResults(opts.quick ? 'bench-quick' : 'bench', results)}`);
  } finally {
    for (const service of services.reverse()) await service.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    const admin = kafka.admin();
    await admin
      .connect()
      .then(async () => {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(`${run}.`));
        if (topics.length > 0) await admin.deleteTopics({ topics });
      })
      .catch(() => undefined)
      .finally(() => admin.disconnect());
    receiver.server.close();
    redis.disconnect();
    await redisServer.stop();
    await pg.query(`DROP SCHEMA IF EXISTS "${run}" CASCADE`).catch(() => undefined);
    await pg.end();
    if (startedKafka) execFileSync('bash', ['deploy/kafka/kafka.sh', 'stop'], { stdio: 'inherit' });
  }
}

function report(results: Record<string, unknown>): void {
  const r = results as {
    ingest: {
      maxEventsPerSecond: number;
      batchedEventsPerSecond: number;
      at2000: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
    };
    pipeline: {
      sustainedAppliedPerSecond: number;
      sustainedSeconds: number;
      drainEventsPerSecond: number;
      lagFirst: number;
      lagLast: number;
      lagMax: number;
    };
    scale: {
      openContacts: number;
      redisBytesPerContact: number;
      bullmqDelayedJobs: number;
      loadSeconds: number;
    };
    timeliness: {
      deadlines: number;
      windowSeconds: number;
      breachEmittedLateMs: LatencySummary;
      firstNotificationLateMs: LatencySummary;
    };
    recovery: {
      restartToReconciledMs: number;
      dueWhileDown: number;
      breachLateMs: LatencySummary;
      lateAfterRestartMs: LatencySummary;
    };
    opsApi: Record<string, LatencySummary>;
  };
  const ms = (s: LatencySummary) => `p50 ${s.p50Ms} / p99 ${s.p99Ms} / max ${s.maxMs} ms`;
  printTable('Replywatch benchmark', [
    {
      figure: '1. ingest',
      result: `${r.ingest.maxEventsPerSecond} events/s (1 per request), ${r.ingest.batchedEventsPerSecond} events/s (100 per request); at 2,000 req/s: p50 ${r.ingest.at2000.p50Ms} ms, p99 ${r.ingest.at2000.p99Ms} ms`,
      target: 'p99 <= 25 ms at 2,000 req/s',
    },
    {
      figure: '2. pipeline',
      result: `${r.pipeline.sustainedAppliedPerSecond} events/s for ${r.pipeline.sustainedSeconds} s (backlog drain ${r.pipeline.drainEventsPerSecond}/s); lag first/last/max ${r.pipeline.lagFirst}/${r.pipeline.lagLast}/${r.pipeline.lagMax}`,
      target: '>= 5,000 / 20,000 events/s',
    },
    {
      figure: '3. scale',
      result: `${r.scale.openContacts} open: ${r.scale.redisBytesPerContact} B/contact, ${r.scale.bullmqDelayedJobs} BullMQ timers, loaded in ${r.scale.loadSeconds} s`,
      target: '<= 2 / 1 KiB per contact',
    },
    {
      figure: '4. timeliness',
      result: `${r.timeliness.deadlines} due over ${r.timeliness.windowSeconds} s: sla.breached ${ms(r.timeliness.breachEmittedLateMs)} late; first page ${ms(r.timeliness.firstNotificationLateMs)} late`,
      target: 'p99 <= 1 s / 100 ms, max <= sweep (2 s)',
    },
    {
      figure: '5. recovery',
      result: `restart to reconciled ${r.recovery.restartToReconciledMs} ms; ${r.recovery.dueWhileDown} due while down: ${ms(r.recovery.lateAfterRestartMs)} after restart`,
      target: 'reconcile <= 30 / 10 s',
    },
    ...Object.entries(r.opsApi).map(([name, summary]) => ({
      figure: '6. ops API',
      result: `${name}: ${ms(summary)}`,
      target: name.startsWith('/v1/queue') ? '<= 50 / 10 ms' : '(no target)',
    })),
  ]);
}

async function ensureKafka(brokers: string[]): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'bench-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.disconnect();
    return false;
  } catch {
    log('Kafka is not running: starting it with deploy/kafka/kafka.sh');
    execFileSync('bash', ['deploy/kafka/kafka.sh', 'start'], { stdio: 'inherit' });
    return true;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
