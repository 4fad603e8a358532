import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Topic, topicName } from '@replywatch/contracts';
import type { SlaEvent } from '@replywatch/contracts';
import { ContactKeys } from '@replywatch/redis';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { ServiceProcess } from './support/service-process';
import { startStack, TEST_REDIS_URL } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

const POLICIES = { policies: [{ id: 'default', targets: { first_response: '12s' } }] };

async function postOpened(stack: Stack, contactIds: string[]): Promise<number> {
  const occurredAt = Date.now();
  for (let i = 0; i < contactIds.length; i += 500) {
    const response = await postEvents(
      stack.urls.ingest!,
      contactIds.slice(i, i + 500).map((contactId) => ({
        eventId: `${contactId}-open`,
        type: 'contact.opened',
        contactId,
        channel: 'email',
        occurredAt: new Date(occurredAt).toISOString(),
      })),
    );
    expect(response.status).toBe(202);
  }
  return occurredAt;
}

/** Every breach exactly once, none early: the figures a restart or rebalance must keep. */
function expectEachBreachedOnce(tap: KafkaTap, contactIds: string[]): { maxLateMs: number } {
  const breaches = tap.json<SlaEvent>().filter((e) => e.type === 'sla.breached');
  const ids = new Set(contactIds);
  const ours = breaches.filter((e) => ids.has(e.contactId));
  expect(new Set(ours.map((e) => e.contactId)).size).toBe(contactIds.length);
  expect(ours).toHaveLength(contactIds.length);
  let maxLateMs = 0;
  for (const breach of ours) {
    const late = Date.parse(breach.emittedAt) - Date.parse(breach.dueAt);
    expect(late).toBeGreaterThanOrEqual(0);
    maxLateMs = Math.max(maxLateMs, late);
  }
  return { maxLateMs };
}

describe('SLA service crash and restart', () => {
  it('fires each of 1,000 pending breaches exactly once after kill -9 and restart, lost jobs included', async () => {
    const stack = await startStack(POLICIES, ['ingest']);
    const tap = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    const sla = new ServiceProcess('sla', { ...stack.env, LOG_LEVEL: 'warn' });
    const redis = new Redis(TEST_REDIS_URL);
    const keys = new ContactKeys(stack.id);
    let orphanConnection: Redis | undefined;
    try {
      await sla.start();
      const contactIds = Array.from({ length: 1000 }, (_, i) => `${uniqueId('mail-')}-${i}`);
      const opened = await postOpened(stack, contactIds);
      await waitFor(
        '1,000 pending deadlines in Redis',
        async () => (await redis.zcard(keys.due())) === 1000,
        {
          timeoutMs: 30000,
        },
      );
      expect(Date.now()).toBeLessThan(opened + 12000); // still pending when we pull the plug

      await sla.kill();
      // Lose 100 timer jobs as a Redis failover might: reconcile and the sweep must cover them.
      const delayedKey = `${keys.bullPrefix()}:sla-timers:delayed`;
      const lost = await redis.zrange(delayedKey, 0, 99);
      expect(lost).toHaveLength(100);
      await redis.zrem(delayedKey, ...lost);
      await redis.del(...lost.map((id) => `${keys.bullPrefix()}:sla-timers:${id}`));
      // And an orphan: a timer for a deadline no contact has. Reconcile must drop it.
      orphanConnection = redis.duplicate();
      const orphans = new Queue('sla-timers', {
        connection: orphanConnection,
        prefix: keys.bullPrefix(),
      });
      const orphanId = `dl-${Date.now() + 3600000}-${Buffer.from('ghost').toString('base64url')}`;
      await orphans.add('deadline', 'ghost', { jobId: orphanId, delay: 3600000 });

      await sla.start();
      await waitFor(
        'the orphan timer dropped',
        async () => (await orphans.getJob(orphanId)) === undefined,
      );
      await orphans.close();
      orphanConnection.disconnect(); // BullMQ leaves a connection it was given open
      orphanConnection = undefined;
      await tap.start();
      await waitFor(
        '1,000 breaches',
        () => tap.json<SlaEvent>().filter((e) => e.type === 'sla.breached').length >= 1000,
        { timeoutMs: 60000 },
      );
      // Let any duplicate surface: wait until every deadline is cleared from Redis.
      await waitFor('no pending deadlines', async () => (await redis.zcard(keys.due())) === 0);
      const { maxLateMs } = expectEachBreachedOnce(tap, contactIds);
      console.warn(`restart: 1000 breaches once each, none early, max ${maxLateMs} ms late`);
    } finally {
      orphanConnection?.disconnect();
      await sla.stop();
      await tap.stop();
      redis.disconnect();
      await stack.close();
    }
  }, 180000);
});

describe('SLA service rebalance', () => {
  it('two instances share the work; when one dies its contacts still breach exactly once', async () => {
    const stack = await startStack(POLICIES, ['ingest'], { KAFKA_SESSION_TIMEOUT_MS: '6000' });
    const tap = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    const env = { ...stack.env, LOG_LEVEL: 'warn' };
    const first = new ServiceProcess('sla', env);
    const second = new ServiceProcess('sla', env);
    const redis = new Redis(TEST_REDIS_URL);
    const keys = new ContactKeys(stack.id);
    try {
      await Promise.all([first.start(), second.start()]);
      await tap.start();
      const before = Array.from({ length: 300 }, (_, i) => `${uniqueId('mail-')}-${i}`);
      await postOpened(stack, before);
      await waitFor('300 pending deadlines', async () => (await redis.zcard(keys.due())) === 300, {
        timeoutMs: 30000,
      });
      await first.kill();
      // Posted after the crash: some land on the dead instance's partitions until the group rebalances.
      const after = Array.from({ length: 100 }, (_, i) => `${uniqueId('mail-')}-${i}`);
      await postOpened(stack, after);
      const all = [...before, ...after];
      await waitFor(
        '400 breaches',
        () => tap.json<SlaEvent>().filter((e) => e.type === 'sla.breached').length >= 400,
        { timeoutMs: 90000 },
      );
      await waitFor('no pending deadlines', async () => (await redis.zcard(keys.due())) === 0);
      const { maxLateMs } = expectEachBreachedOnce(tap, all);
      console.warn(`rebalance: 400 breaches once each, none early, max ${maxLateMs} ms late`);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
      await tap.stop();
      redis.disconnect();
      await stack.close();
    }
  }, 180000);
});
