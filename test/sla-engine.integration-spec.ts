import { Topic, topicName } from '@replywatch/contracts';
import type { SlaEvent } from '@replywatch/contracts';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/** Every SLA target end to end through ingest, Kafka, the SLA service (Redis, BullMQ) and Kafka. */
describe('SLA engine', () => {
  let stack: Stack;
  let tap: KafkaTap;
  const iso = (ms: number) => new Date(ms).toISOString();
  const LATE_MS = 1500;

  beforeAll(async () => {
    stack = await startStack(
      {
        policies: [
          {
            id: 'phone',
            match: { channel: ['phone'] },
            targets: { callback: { within: '3s', warnAt: ['1s'] }, first_response: '3s' },
          },
          {
            id: 'default',
            targets: {
              first_response: { within: '3s', warnAt: ['50%'] },
              next_response: { within: '3s', warnAt: ['50%'] },
              resolution: { within: '5s', warnAt: ['80%'] },
            },
          },
        ],
      },
      ['ingest', 'sla'],
    );
    tap = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    await tap.start();
  });

  afterAll(async () => {
    await tap?.stop();
    await stack?.close();
  });

  const post = async (events: object[]) => {
    const response = await postEvents(stack.urls.ingest!, events);
    expect(response.status).toBe(202);
  };
  const event = (contactId: string, type: string, atMs: number, channel = 'chat') => ({
    eventId: uniqueId(`${type}-`),
    type,
    contactId,
    channel,
    occurredAt: iso(atMs),
  });
  const eventsFor = (contactId: string) =>
    tap.json<SlaEvent>().filter((e) => e.contactId === contactId);
  const waitForEvent = (contactId: string, type: string, target: string) =>
    waitFor(`${type} ${target} for ${contactId}`, () =>
      eventsFor(contactId).find((e) => e.type === type && e.target === target),
    );

  /** Emitted at or after its instant (never early) and within the lateness budget. */
  const expectOnTime = (event: SlaEvent, instant: number) => {
    expect(Date.parse(event.occurredAt)).toBe(instant);
    const lateness = Date.parse(event.emittedAt) - instant;
    expect(lateness).toBeGreaterThanOrEqual(0);
    expect(lateness).toBeLessThan(LATE_MS);
  };

  it('first response: warns at 50 %, breaches at the target', async () => {
    const contactId = uniqueId('chat-');
    const opened = Date.now() - 100;
    await post([event(contactId, 'contact.opened', opened)]);
    const warning = await waitForEvent(contactId, 'sla.warning', 'first_response');
    const breach = await waitForEvent(contactId, 'sla.breached', 'first_response');
    expectOnTime(warning, opened + 1500);
    expectOnTime(breach, opened + 3000);
    expect(breach.dueAt).toBe(iso(opened + 3000));
    expect(breach).toMatchObject({ policyId: 'default', policyVersion: 1, elapsedSeconds: 3 });
  });

  it('next response: starts on a customer follow-up after an agent reply', async () => {
    const contactId = uniqueId('chat-');
    const t0 = Date.now() - 2000;
    await post([
      event(contactId, 'contact.opened', t0),
      event(contactId, 'agent.replied', t0 + 200),
      event(contactId, 'customer.replied', t0 + 1000),
    ]);
    const met = await waitForEvent(contactId, 'sla.met', 'first_response');
    expect(met).toMatchObject({ withinTarget: true, elapsedSeconds: 0.2 });
    const breach = await waitForEvent(contactId, 'sla.breached', 'next_response');
    expectOnTime(breach, t0 + 1000 + 3000);
    expect(
      eventsFor(contactId)
        .filter((e) => e.target === 'first_response')
        .map((e) => e.type),
    ).toEqual(['sla.met']);
  });

  it('resolution: time waiting on the customer does not count', async () => {
    const contactId = uniqueId('chat-');
    const t0 = Date.now() - 4000;
    await post([
      event(contactId, 'contact.opened', t0),
      event(contactId, 'agent.replied', t0 + 100),
      event(contactId, 'contact.waiting_on_customer', t0 + 500),
      event(contactId, 'contact.resumed', t0 + 3500),
    ]);
    // 0.5 s used before the pause, 4.5 s left from the resume: due 8 s after opening, not 5 s.
    const warning = await waitForEvent(contactId, 'sla.warning', 'resolution');
    const breach = await waitForEvent(contactId, 'sla.breached', 'resolution');
    expectOnTime(warning, t0 + 3500 + 3500);
    expectOnTime(breach, t0 + 8000);
  });

  it('resolving stops every clock: the response clock is cancelled, resolution met', async () => {
    const contactId = uniqueId('email-');
    const t0 = Date.now() - 500;
    await post([
      event(contactId, 'contact.opened', t0, 'email'),
      event(contactId, 'contact.resolved', t0 + 200, 'email'),
    ]);
    await waitForEvent(contactId, 'sla.met', 'resolution');
    const types = eventsFor(contactId)
      .map((e) => `${e.type}:${e.target}`)
      .sort();
    expect(types).toEqual(['sla.cancelled:first_response', 'sla.met:resolution']);
  });

  it('the sweep clears a due entry whose contact is gone instead of coming back to it', async () => {
    const due = `${stack.id}:q:due`;
    await stack.redis.zadd(due, Date.now() - 1000, 'gone-contact');
    await waitFor(
      'the stale entry cleared',
      async () => (await stack.redis.zscore(due, 'gone-contact')) === null,
    );
  });

  it('callback: a missed call owes a call back', async () => {
    const contactId = uniqueId('CA');
    const t0 = Date.now() - 100;
    await post([event(contactId, 'call.missed', t0, 'phone')]);
    const warning = await waitForEvent(contactId, 'sla.warning', 'callback');
    const breach = await waitForEvent(contactId, 'sla.breached', 'callback');
    expectOnTime(warning, t0 + 2000);
    expectOnTime(breach, t0 + 3000);
    expect(breach.policyId).toBe('phone');
  });
});

describe('SLA engine with business hours', () => {
  it('does not breach a contact opened outside hours before the calendar opens', async () => {
    // A UTC calendar that opens at the next whole minute (at least 5 s away) for ten minutes.
    const now = Date.now();
    let opensAt = Math.ceil(now / 60000) * 60000;
    if (opensAt - now < 5000) opensAt += 60000;
    const open = new Date(opensAt);
    const day = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][open.getUTCDay()];
    const hhmm = (d: Date) =>
      `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
    const closeMinutes = Math.min(open.getUTCHours() * 60 + open.getUTCMinutes() + 10, 24 * 60);
    const close = `${String(Math.floor(closeMinutes / 60)).padStart(2, '0')}:${String(closeMinutes % 60).padStart(2, '0')}`;
    const stack = await startStack(
      {
        calendars: [{ id: 'soon', timeZone: 'UTC', weekly: { [day]: [[hhmm(open), close]] } }],
        policies: [{ id: 'office', calendar: 'soon', targets: { first_response: '3s' } }],
      },
      ['ingest', 'sla'],
    );
    const tap = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    try {
      await tap.start();
      const contactId = uniqueId('email-');
      const response = await postEvents(stack.urls.ingest!, {
        eventId: `${contactId}-1`,
        type: 'contact.opened',
        contactId,
        channel: 'email',
        occurredAt: new Date(now).toISOString(),
      });
      expect(response.status).toBe(202);
      const breach = await waitFor(
        'the breach after opening time',
        () =>
          tap.json<SlaEvent>().find((e) => e.contactId === contactId && e.type === 'sla.breached'),
        { timeoutMs: 90000 },
      );
      expect(breach.dueAt).toBe(new Date(opensAt + 3000).toISOString());
      expect(Date.parse(breach.emittedAt)).toBeGreaterThanOrEqual(opensAt + 3000);
      expect(breach.elapsedSeconds).toBe(3);
    } finally {
      await tap.stop();
      await stack.close();
    }
  }, 120000);
});
