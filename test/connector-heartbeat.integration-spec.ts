import { Topic, topicName } from '@replywatch/contracts';
import type { SourceEvent } from '@replywatch/contracts';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/**
 * A dead connector is the one way contacts vanish unseen: a source quiet past its heartbeat window
 * is alerted on like a breach (source.silent → e-mail + alert row) and resolved when it returns.
 */
describe('connector heartbeats', () => {
  let stack: Stack;
  let sourceEvents: KafkaTap;

  beforeAll(async () => {
    stack = await startStack(
      {
        policies: [{ id: 'default', targets: { first_response: '1h' } }],
        heartbeats: [
          { source: 'test-connector', silentAfter: '3s', channel: 'chat' },
          { source: 'busy-connector', silentAfter: '1h' },
        ],
      },
      ['ingest', 'sla', 'escalation'],
      { SLA_SWEEP_INTERVAL_MS: '200' },
    );
    sourceEvents = new KafkaTap(topicName(Topic.SourceEvents, stack.topicPrefix));
    await sourceEvents.start();
  });

  afterAll(async () => {
    await sourceEvents?.stop();
    await stack?.close();
  });

  const eventsOf = (source: string) =>
    sourceEvents.json<SourceEvent>().filter((event) => event.source === source);

  const alertRows = async () =>
    (
      await stack.db.query<{ state: string; target: string; channel: string }>(
        `SELECT state, target, channel FROM "${stack.id}".alert WHERE contact_id = 'source:test-connector'`,
      )
    ).rows;

  it('alerts once on a silent source and resolves the alert when its traffic returns', async () => {
    const silent = await waitFor(
      'source.silent for test-connector',
      () => eventsOf('test-connector').find((event) => event.type === 'source.silent'),
      { timeoutMs: 15000 },
    );
    expect(silent).toMatchObject({
      source: 'test-connector',
      channel: 'chat',
      expectedWithinSeconds: 3,
    });
    expect(silent.lastSeenAt).toBeUndefined(); // never heard from since monitoring began

    const mail = await waitFor('the connector alert e-mail', () =>
      stack.smtp.received.find((m) => m.subject.includes('Connector test-connector silent')),
    );
    expect(mail.to).toEqual(['lead@example.com']);
    expect(mail.text).toContain('contacts on it are not tracked');
    expect(await alertRows()).toEqual([
      { state: 'open', target: 'source_silent', channel: 'chat' },
    ]);

    const contactId = uniqueId('hb-');
    const response = await postEvents(stack.urls.ingest!, {
      eventId: `${contactId}-open`,
      type: 'contact.opened',
      contactId,
      channel: 'chat',
      occurredAt: new Date().toISOString(),
    });
    expect(response.status).toBe(202);

    const recovered = await waitFor('source.recovered for test-connector', () =>
      eventsOf('test-connector').find((event) => event.type === 'source.recovered'),
    );
    expect(recovered.silentSince).toBe(silent.silentSince);
    expect(recovered.lastSeenAt).toBeDefined();
    await waitFor('the alert resolved', async () =>
      (await alertRows()).every((row) => row.state === 'resolved') ? true : undefined,
    );
    // One silence, one alert, one page, however many checks ran meanwhile; then one note that
    // it is over, to the same person.
    expect(eventsOf('test-connector').map((event) => event.type)).toEqual([
      'source.silent',
      'source.recovered',
    ]);
    const resolvedNote = await waitFor('the resolved note', () =>
      stack.smtp.received.find((m) => m.subject.includes('Resolved: Connector test-connector')),
    );
    expect(resolvedNote.to).toEqual(['lead@example.com']);
    expect(
      stack.smtp.received
        .filter((m) => m.subject.includes('Connector test-connector'))
        .map((m) => m.subject.replace(/for \d+s/, 'for …')),
    ).toEqual([
      '[Replywatch] Connector test-connector silent for …: contacts may be going unseen',
      '[Replywatch] Resolved: Connector test-connector is sending again',
    ]);
    // A source inside its window raises nothing.
    expect(eventsOf('busy-connector')).toEqual([]);
  });
});
