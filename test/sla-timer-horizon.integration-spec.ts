import Redis from 'ioredis';
import { Topic, topicName } from '@replywatch/contracts';
import type { SlaEvent } from '@replywatch/contracts';
import { ContactKeys } from '@replywatch/redis';
import { timerJobId } from '../apps/sla/src/sla-timer.scheduler';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack, TEST_REDIS_URL } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/**
 * Timer jobs exist only for deadlines within SLA_TIMER_HORIZON_MS: a contact due later has none
 * at first, gets its job from the sweeper's horizon pass before it is due, and breaches once.
 */
describe('SLA timer horizon', () => {
  let stack: Stack;
  let tap: KafkaTap;
  const redis = new Redis(TEST_REDIS_URL);

  beforeAll(async () => {
    stack = await startStack(
      { policies: [{ id: 'default', targets: { first_response: '9s' } }] },
      ['ingest', 'sla'],
      { SLA_TIMER_HORIZON_MS: '3000', SLA_SWEEP_INTERVAL_MS: '500' },
    );
    tap = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    await tap.start();
  });

  afterAll(async () => {
    await tap?.stop();
    redis.disconnect();
    await stack?.close();
  });

  it('gives a far deadline its job only when it comes within the horizon, before it is due', async () => {
    const keys = new ContactKeys(stack.id);
    const contactId = uniqueId('far-');
    const openedAt = Date.now();
    const res = await postEvents(stack.urls.ingest!, {
      eventId: `${contactId}-open`,
      type: 'contact.opened',
      contactId,
      channel: 'email',
      occurredAt: new Date(openedAt).toISOString(),
    });
    expect(res.status).toBe(202);
    const dueMs = await waitFor('the deadline in the due index', async () => {
      const score = await redis.zscore(keys.due(), contactId);
      return score === null ? undefined : Number(score);
    });
    const jobKey = `${keys.bullPrefix()}:sla-timers:${timerJobId(contactId, dueMs)}`;
    // Written more than the horizon before it is due: no job yet.
    expect(dueMs - Date.now()).toBeGreaterThan(3000);
    expect(await redis.exists(jobKey)).toBe(0);

    const jobSeenAt = await waitFor(
      'the timer job',
      async () => ((await redis.exists(jobKey)) === 1 ? Date.now() : undefined),
      { intervalMs: 20 },
    );
    expect(jobSeenAt).toBeLessThan(dueMs);

    const breaches = await waitFor('the breach', () => {
      const mine = tap
        .json<SlaEvent>()
        .filter((event) => event.type === 'sla.breached' && event.contactId === contactId);
      return mine.length > 0 ? mine : undefined;
    });
    expect(Date.parse(breaches[0].emittedAt)).toBeGreaterThanOrEqual(dueMs);
    // Nothing more is due: one breach, and no job left behind.
    await waitFor(
      'the deadline cleared',
      async () => (await redis.zscore(keys.due(), contactId)) === null,
    );
    expect(
      tap.json<SlaEvent>().filter((e) => e.type === 'sla.breached' && e.contactId === contactId),
    ).toHaveLength(1);
    console.warn(
      `horizon: job appeared ${dueMs - jobSeenAt} ms before due; breach ${Date.parse(breaches[0].emittedAt) - dueMs} ms after`,
    );
  });
});
