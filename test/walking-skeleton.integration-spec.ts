import { Topic, topicName } from '@replywatch/contracts';
import type { SlaEvent } from '@replywatch/contracts';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/** One contact through ingest → Kafka → SLA (Redis, BullMQ) → Kafka → escalation (Postgres, SMTP). */
describe('walking skeleton: a contact nobody answers raises exactly one alert', () => {
  let stack: Stack;
  let slaEvents: KafkaTap;

  beforeAll(async () => {
    stack = await startStack({
      policies: [{ id: 'two-seconds', targets: { first_response: '2s' } }],
    });
    slaEvents = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    await slaEvents.start();
  });

  afterAll(async () => {
    await slaEvents?.stop();
    await stack?.close();
  });

  const post = (body: unknown) => postEvents(stack.urls.ingest!, body);

  const opened = (contactId: string, eventId = `${contactId}-open`) => ({
    eventId,
    type: 'contact.opened',
    contactId,
    channel: 'chat',
    occurredAt: new Date().toISOString(),
    customer: { email: 'customer@example.com' },
  });

  const mailsFor = (contactId: string) =>
    stack.smtp.received.filter((mail) => mail.raw.includes(contactId));

  const alertRows = async (contactId: string) =>
    (
      await stack.db.query<{ id: string; state: string }>(
        `SELECT id, state FROM "${stack.id}".alert WHERE contact_id = $1`,
        [contactId],
      )
    ).rows;

  const slaEventsFor = (contactId: string) =>
    slaEvents.json<SlaEvent>().filter((event) => event.contactId === contactId);

  it('alerts by e-mail and records the alert when the first response is missed', async () => {
    const started = Date.now();
    const contactId = uniqueId('chat-');
    const response = await post(opened(contactId));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, eventIds: [`${contactId}-open`] });

    const queue = await waitFor('the contact in the ops queue', async () => {
      const res = await fetch(`${stack.urls.ops}/v1/queue`, {
        headers: { authorization: `Bearer ${TEST_OPS_KEY}` },
      });
      const body = (await res.json()) as { contacts: { contactId: string; channel: string }[] };
      return body.contacts.find((contact) => contact.contactId === contactId);
    });
    expect(queue.channel).toBe('chat');

    const [mail] = await waitFor('the alert e-mail', () =>
      mailsFor(contactId).length > 0 ? mailsFor(contactId) : undefined,
    );
    const elapsed = Date.now() - started;
    expect(mail.to).toEqual(['lead@example.com']);
    expect(mail.subject).toContain(`chat contact ${contactId}`);
    expect(mail.text).toContain('Dashboard: http://127.0.0.1:3001/?contact=');

    await waitFor('the notification recorded as sent', async () => {
      const rows = (
        await stack.db.query(
          `SELECT n.status FROM "${stack.id}".notification n JOIN "${stack.id}".alert a ON a.id = n.alert_id WHERE a.contact_id = $1`,
          [contactId],
        )
      ).rows as { status: string }[];
      return rows.length === 1 && rows[0].status === 'sent';
    });
    const breaches = slaEventsFor(contactId).filter((event) => event.type === 'sla.breached');
    expect(breaches).toHaveLength(1);
    expect(breaches[0]).toMatchObject({
      target: 'first_response',
      policyId: 'two-seconds',
      channel: 'chat',
    });
    expect(Date.parse(breaches[0].emittedAt)).toBeGreaterThanOrEqual(Date.parse(breaches[0].dueAt));
    expect(await alertRows(contactId)).toHaveLength(1);
    expect(mailsFor(contactId)).toHaveLength(1);
    console.warn(
      `walking skeleton: breach e-mail ${elapsed} ms after the contact was posted (target 2 s)`,
    );
  });

  it('emits sla.met and sends nothing when an agent replies before the deadline', async () => {
    const answered = uniqueId('chat-');
    // Both in the past: an instant after receipt would count as the receipt time.
    const openedEvent = {
      ...opened(answered),
      occurredAt: new Date(Date.now() - 1000).toISOString(),
    };
    const reply = {
      eventId: `${answered}-reply`,
      type: 'agent.replied',
      contactId: answered,
      channel: 'chat',
      occurredAt: new Date(Date.parse(openedEvent.occurredAt) + 500).toISOString(),
      data: { agentId: 'agent-7' },
    };
    expect((await post([openedEvent, reply])).status).toBe(202);

    const met = await waitFor('sla.met', () =>
      slaEventsFor(answered).find((event) => event.type === 'sla.met'),
    );
    expect(met).toMatchObject({
      target: 'first_response',
      withinTarget: true,
      elapsedSeconds: 0.5,
    });

    // A control contact opened afterwards breaches later than the answered one would have: once its
    // alert arrives, any wrong alert for the answered contact would already be here.
    const control = uniqueId('chat-');
    expect((await post(opened(control))).status).toBe(202);
    await waitFor('the control contact alert', () => mailsFor(control).length === 1);
    expect(mailsFor(answered)).toHaveLength(0);
    expect(await alertRows(answered)).toHaveLength(0);
    expect(slaEventsFor(answered).map((event) => event.type)).toEqual(['sla.met']);
  });

  it('applies a redelivered event (same eventId) once: one contact, one alert', async () => {
    const contactId = uniqueId('chat-');
    const event = opened(contactId);
    expect((await post(event)).status).toBe(202);
    // The connector retries with a later timestamp: same id, so it is the same event.
    expect(
      (await post({ ...event, occurredAt: new Date(Date.now() + 1000).toISOString() })).status,
    ).toBe(202);

    await waitFor('the alert e-mail', () => mailsFor(contactId).length > 0);
    await waitFor('the alert row', async () => (await alertRows(contactId)).length > 0);
    const control = uniqueId('chat-');
    expect((await post(opened(control))).status).toBe(202);
    await waitFor('the control contact alert', () => mailsFor(control).length === 1);
    expect(mailsFor(contactId)).toHaveLength(1);
    expect(await alertRows(contactId)).toHaveLength(1);
    expect(slaEventsFor(contactId).filter((e) => e.type === 'sla.breached')).toHaveLength(1);
  });

  it('serves Prometheus metrics on /metrics of every service', async () => {
    const metricsOf = async (service: keyof typeof stack.urls) => {
      const response = await fetch(`${stack.urls[service]}/metrics`);
      expect(response.status).toBe(200);
      return response.text();
    };
    const value = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
    // A contact of its own, so the counters have something to count whatever ran before.
    const contactId = uniqueId('metrics-');
    expect((await post(opened(contactId))).status).toBe(202);
    await waitFor('its alert e-mail', () => mailsFor(contactId).length > 0);
    const ingest = await metricsOf('ingest');
    expect(ingest).toContain('replywatch_ingest_events_accepted_total{');
    const sla = await metricsOf('sla');
    expect(
      value(sla, /replywatch_sla_events_consumed_total\{[^}]*type="contact.opened"[^}]*\} (\d+)/),
    ).toBeGreaterThan(0);
    expect(sla).toMatch(/replywatch_sla_timers_pending\{service="sla"\} \d+/);
    expect(sla).toMatch(/replywatch_kafka_consumer_lag\{[^}]*topic="[^"]*contact-events.v1"/);
    const escalation = await waitFor('the alert counted on escalation /metrics', async () => {
      const text = await metricsOf('escalation');
      return value(
        text,
        /replywatch_notifications_sent_total\{[^}]*channel="email"[^}]*kind="page"[^}]*\} (\d+)/,
      ) > 0
        ? text
        : undefined;
    });
    expect(
      value(escalation, /replywatch_alert_latency_seconds_count\{[^}]*\} (\d+)/),
    ).toBeGreaterThan(0);
    expect(escalation).toContain('replywatch_escalation_alerts_created_total{');
    expect(escalation).toMatch(/replywatch_notifications_pending\{service="escalation"\} \d+/);
    expect(await metricsOf('ops')).toContain('replywatch_process_cpu_seconds_total{service="ops"}');
  });

  it('reports every dependency on /health of every service', async () => {
    for (const [service, url] of Object.entries(stack.urls)) {
      const body = await waitFor(`${service} healthy`, async () => {
        const res = await fetch(`${url}/health`);
        const json = (await res.json()) as {
          status: string;
          checks: Record<string, { status: string }>;
        };
        return res.status === 200 ? json : undefined;
      });
      expect(body.status).toBe('ok');
      const expected = {
        ingest: ['kafka'],
        sla: ['kafka', 'redis', 'policies'],
        escalation: ['kafka', 'postgres', 'smtp', 'escalation-document'],
        ops: ['kafka', 'redis', 'postgres'],
      }[service as 'ingest'];
      expect(Object.keys(body.checks).sort()).toEqual([...expected].sort());
    }
  });
});
