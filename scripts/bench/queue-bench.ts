/**
 * `npm run bench:queue [-- --contacts N]`: the ops queue API at scale. Loads N open contacts
 * (default 1,000,000) into a redis-server of its own through the SLA service's real write script,
 * then times `/v1/queue` pages (filters, both orders, a deep cursor page) and `/v1/stats` over
 * HTTP against the real ops app. Prints a table and writes JSON under bench-output/.
 */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import Redis from 'ioredis';
import { Client } from 'pg';
import { CHANNELS } from '@replywatch/contracts';
import type { Channel, ContactEvent, Priority } from '@replywatch/contracts';
import {
  applyContactEvent,
  fireDue,
  parsePolicyFile,
  queuePlacement,
  resolvePolicyFile,
  selectPolicy,
} from '@replywatch/sla-clock';
import type { PolicyLookup } from '@replywatch/sla-clock';
import { ContactKeys } from '@replywatch/redis';
import { ContactStateRepository } from '../../apps/sla/src/contact-state.repository';
import type { ContactWrite } from '../../apps/sla/src/contact-state.repository';
import { startOpsApp } from '../../apps/ops/src/ops.app';
import { loadOpsConfig } from '../../apps/ops/src/ops.config';
import {
  argValue,
  BenchRedis,
  measure,
  printTable,
  usedMemory,
  writeResults,
} from './bench-support';
import type { LatencySummary } from './bench-support';

const PREFIX = 'bench';
const BATCH = 2000;
const TEAMS = ['billing', 'tech', 'sales', 'vip', 'returns', 'eu', 'us', 'apac'];
const KEY = 'bench-admin-key-0000001';

function policyLookup(path: string): PolicyLookup {
  const file = parsePolicyFile(readFileSync(path, 'utf8'), path);
  const resolved = resolvePolicyFile(file);
  return {
    select: (subject) => resolved.get(selectPolicy(file, subject).id)!,
    byId: (id) => resolved.get(id)!,
  };
}

/** Deterministic pseudo-random numbers, so two runs load the same contacts. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

function priorityOf(roll: number): Priority {
  if (roll < 0.05) return 'urgent';
  if (roll < 0.2) return 'high';
  if (roll < 0.3) return 'low';
  return 'normal';
}

function contactWrite(index: number, now: number, next: () => number, policies: PolicyLookup) {
  const contactId = `bench-${index}`;
  const channel: Channel = CHANNELS[index % CHANNELS.length];
  const openedAt = now - Math.floor(next() * 6 * 3_600_000);
  const base = {
    schemaVersion: 1 as const,
    source: 'bench',
    channel,
    contactId,
    tags: [] as string[],
  };
  const events: ContactEvent[] = [
    {
      ...base,
      eventId: `${contactId}-open`,
      type: 'contact.opened',
      occurredAt: new Date(openedAt).toISOString(),
      receivedAt: new Date(openedAt).toISOString(),
      priority: priorityOf(next()),
      customer: { email: `customer-${index}@example.com` },
    },
  ];
  if (next() < 0.6) {
    events.push({
      ...base,
      eventId: `${contactId}-assign`,
      type: 'contact.assigned',
      occurredAt: new Date(openedAt + 1000).toISOString(),
      receivedAt: new Date(openedAt + 1000).toISOString(),
      data: { team: TEAMS[Math.floor(next() * TEAMS.length)], agentId: `agent-${index % 300}` },
    });
  }
  if (next() < 0.05) {
    events.push({
      ...base,
      eventId: `${contactId}-pause`,
      type: 'contact.waiting_on_customer',
      occurredAt: new Date(openedAt + 2000).toISOString(),
      receivedAt: new Date(openedAt + 2000).toISOString(),
    });
  }
  let state = undefined as ReturnType<typeof applyContactEvent>['state'];
  for (const event of events) state = applyContactEvent(state, event, policies).state;
  const policy = policies.byId(state!.policyId, state!.policyVersion);
  state = fireDue(state!, now, policy).state;
  const write: ContactWrite = {
    contactId,
    expectedVersion: '',
    state: state!,
    outbox: [],
    placement: queuePlacement(state!, policy),
    expireAfterSeconds: 0,
    processedEventIds: events.map((event) => event.eventId),
  };
  return write;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const contacts = Number(argValue(args, 'contacts') ?? 1_000_000);
  const iterations = Number(argValue(args, 'iterations') ?? 200);
  const policyFile = argValue(args, 'policies') ?? 'config/policies.json';
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const schema = `bench_queue_${Date.now()}`;
  const server = new BenchRedis();
  const redisUrl = await server.start();
  const redis = new Redis(redisUrl);
  const pg = new Client({ connectionString: databaseUrl });
  await pg.connect();
  let ops: Awaited<ReturnType<typeof startOpsApp>> | undefined;
  try {
    const policies = policyLookup(policyFile);
    const keys = new ContactKeys(PREFIX);
    const repository = new ContactStateRepository(redis, keys, 86_400);
    const before = await usedMemory(redis);
    const now = Date.now();
    const next = random(42);
    const loadStarted = Date.now();
    for (let start = 0; start < contacts; start += BATCH) {
      const writes: ContactWrite[] = [];
      for (let i = start; i < Math.min(contacts, start + BATCH); i += 1) {
        writes.push(contactWrite(i, now, next, policies));
      }
      await repository.save(writes, now);
      if (start % 100_000 === 0 && start > 0) process.stdout.write(`loaded ${start} contacts\n`);
    }
    const loadSeconds = (Date.now() - loadStarted) / 1000;
    const after = await usedMemory(redis);
    const segments = await redis.hlen(keys.queueSegments());
    // Where the bytes go: sample contacts' hashes and dedupe markers; the rest is the indexes.
    const sample = Array.from({ length: 200 }, (_, i) => Math.floor((i * contacts) / 200));
    const usage = async (key: string) =>
      Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
    let hashBytes = 0;
    let markerBytes = 0;
    for (const index of sample) {
      hashBytes += await usage(keys.contact(`bench-${index}`));
      for (const suffix of ['open', 'assign', 'pause']) {
        markerBytes += await usage(keys.processedEvent(`bench-${index}-${suffix}`));
      }
    }
    const breakdown = {
      contactHash: Math.round(hashBytes / sample.length),
      dedupeMarkers: Math.round(markerBytes / sample.length),
    };

    ops = await startOpsApp(
      loadOpsConfig({
        ...process.env,
        REDIS_URL: redisUrl,
        REDIS_PREFIX: PREFIX,
        DATABASE_URL: databaseUrl,
        DATABASE_SCHEMA: schema,
        OPS_PORT: '0',
        OPS_ADMIN_KEYS: KEY,
        OPS_RATE_LIMIT_API_PER_MIN: '0',
        LOG_LEVEL: 'warn',
      }),
    );
    const url = ops.url.replace('[::1]', '127.0.0.1');
    const get = async (path: string) => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${KEY}` } });
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { nextCursor?: string | null; total?: number };
    };
    let deepCursor: string | null | undefined;
    {
      let cursor: string | null | undefined;
      for (let page = 0; page < 20; page += 1) {
        cursor = (await get(`/v1/queue?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).nextCursor;
      }
      deepCursor = cursor;
    }
    const queries: [string, string][] = [
      ['first page, no filter, by wait', '/v1/queue?limit=50'],
      ['first page, no filter, by time left', '/v1/queue?limit=50&sort=time-left'],
      ['channel=chat&state=at-risk', '/v1/queue?limit=50&channel=chat&state=at-risk'],
      [
        'team=billing&priority=high, by time left',
        '/v1/queue?limit=50&team=billing&priority=high&sort=time-left',
      ],
      ['21st page (cursor), no filter', `/v1/queue?limit=50&cursor=${deepCursor ?? ''}`],
      ['/v1/stats', '/v1/stats'],
    ];
    const latencies: Record<string, LatencySummary> = {};
    for (const [name, path] of queries) {
      latencies[name] = await measure(async () => void (await get(path)), iterations);
    }
    const totalWaiting = (await get('/v1/queue?limit=1')).total;
    const results = {
      command: `npm run bench:queue -- --contacts ${contacts}`,
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
      },
      contacts,
      inQueueView: totalWaiting,
      segments,
      loadSeconds,
      loadPerSecond: Math.round(contacts / loadSeconds),
      redisBytesPerContact: Math.round((after - before) / contacts),
      breakdown: {
        ...breakdown,
        indexes:
          Math.round((after - before) / contacts) - breakdown.contactHash - breakdown.dedupeMarkers,
      },
      latencies,
    };
    printTable(`Scale: ${contacts} open contacts`, [
      {
        contacts,
        'in queue view': totalWaiting ?? 0,
        segments,
        'load s': loadSeconds.toFixed(1),
        'load /s': results.loadPerSecond,
        'Redis B/contact': results.redisBytesPerContact,
        'hash B': results.breakdown.contactHash,
        'markers B': results.breakdown.dedupeMarkers,
        'indexes B': results.breakdown.indexes,
      },
    ]);
    printTable(
      `Ops API latency over HTTP (${iterations} sequential requests each)`,
      Object.entries(latencies).map(([name, summary]) => ({
        request: name,
        'p50 ms': summary.p50Ms,
        'p99 ms': summary.p99Ms,
        'max ms': summary.maxMs,
      })),
    );
    process.stdout.write(`\nresults: ${writeResults('queue', results)}\n`);
  } finally {
    await ops?.app.close();
    redis.disconnect();
    await server.stop();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
