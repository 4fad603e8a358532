import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent } from '@replywatch/contracts';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack, TEST_CONNECTOR_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

interface ErrorResponse {
  error: {
    code: string;
    message: string;
    details: { path: string; code: string; message: string }[];
  };
}

/** The generic connector API against a real Kafka: what is accepted is stored, what is not says why. */
describe('ingest POST /v1/events', () => {
  let stack: Stack;
  let tap: KafkaTap;
  const event = (overrides: Record<string, unknown> = {}) => {
    const contactId = uniqueId('email-');
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

  const post = (body: unknown, key: string | null = TEST_CONNECTOR_KEY) =>
    postEvents(stack.urls.ingest!, body, key);

  const stored = () => tap.json<ContactEvent>();

  beforeAll(async () => {
    stack = await startStack(
      { policies: [{ id: 'default', targets: { first_response: '1h' } }] },
      ['ingest'],
      {
        INGEST_MAX_BODY_BYTES: '4096',
        INGEST_MAX_BATCH: '3',
      },
    );
    // Ingest creates its topics in the background at start: ready once a real event is accepted.
    await waitFor('ingest to accept events', async () => (await post(event())).status === 202);
    tap = new KafkaTap(topicName(Topic.ContactEvents, stack.topicPrefix));
    await tap.start();
  });

  afterAll(async () => {
    await tap?.stop();
    await stack?.close();
  });

  it('answers 202 once Kafka stored the event, keyed by contactId and stamped by ingest', async () => {
    const body = event();
    const response = await post(body);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, eventIds: [body.eventId] });
    const message = await waitFor('the event on Kafka', () =>
      tap.messages.find((m) => m.key === body.contactId),
    );
    const onKafka = JSON.parse(message.value!.toString()) as ContactEvent;
    expect(onKafka).toMatchObject({
      eventId: body.eventId,
      source: 'test-connector',
      schemaVersion: 1,
      occurredAt: '2026-03-02T09:15:00.000Z',
    });
    expect(onKafka.priority).toBeUndefined(); // left out: the contact keeps (or starts at) normal
    expect(Date.parse(onKafka.receivedAt)).toBeGreaterThan(Date.now() - 60000);
    expect(message.headers).toMatchObject({
      type: 'contact.opened',
      schemaVersion: '1',
      source: 'test-connector',
    });
  });

  it('accepts a batch in one request', async () => {
    const batch = [event(), event({ type: 'agent.replied', channel: 'email' }), event()];
    const response = await post(batch);
    expect(response.status).toBe(202);
    expect(((await response.json()) as { accepted: number }).accepted).toBe(3);
    await waitFor('the batch on Kafka', () =>
      batch.every((item) => stored().some((e) => e.eventId === item.eventId)),
    );
  });

  it.each([
    ['not JSON', '{"eventId": ', 'INGEST.INVALID_JSON'],
    ['an empty body', '', 'INGEST.INVALID_JSON'],
    ['an empty batch', '[]', 'INGEST.EMPTY_BATCH'],
    ['a batch over the limit', JSON.stringify([1, 2, 3, 4]), 'INGEST.BATCH_TOO_LARGE'],
  ])('refuses %s with 400', async (_what, body, code) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorResponse).error.code).toBe(code);
  });

  it('names every missing or invalid field', async () => {
    const response = await post({
      type: 'contact.opened',
      channel: 'fax',
      customer: { phone: '12' },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error.code).toBe('INGEST.INVALID_EVENT');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(
      ['channel', 'contactId', 'customer.phone', 'eventId', 'occurredAt'].sort(),
    );
  });

  it('refuses an unknown event type with the list of known ones', async () => {
    const response = await post(event({ type: 'contact.teleported' }));
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error.details).toEqual([
      expect.objectContaining({
        path: 'type',
        code: 'unknown_type',
        message: expect.stringContaining('contact.opened'),
      }),
    ]);
  });

  it('rejects a whole batch for one bad event, storing none of it', async () => {
    const good = event();
    const response = await post([good, event({ occurredAt: 'never' })]);
    expect(response.status).toBe(400);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error.details.map((d) => d.path)).toEqual(['[1].occurredAt']);
    expect(body.error.message).toContain('nothing was accepted');
    // A marker for the same contact lands on the same partition after the request: once it is
    // there, the refused batch would be too had any of it been stored.
    const marker = event({ contactId: good.contactId, eventId: `${good.contactId}-marker` });
    expect((await post(marker)).status).toBe(202);
    await waitFor('the marker', () => stored().some((e) => e.eventId === marker.eventId));
    expect(stored().some((e) => e.eventId === good.eventId)).toBe(false);
  });

  it('refuses a source other than the key’s', async () => {
    const response = await post(event({ source: 'someone-else' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorResponse).error.details[0]).toMatchObject({
      path: 'source',
      code: 'source_mismatch',
    });
  });

  it.each([
    ['no key', null, 'missing connector key'],
    ['a wrong key', 'not-the-right-key-at-all', 'unknown connector key'],
  ])('answers 401 for %s', async (_what, key, message) => {
    const response = await post(event(), key);
    expect(response.status).toBe(401);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error).toMatchObject({
      code: 'INGEST.UNAUTHENTICATED',
      message: expect.stringContaining(message),
    });
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await post(event({ data: { subject: 'x'.repeat(5000) } }));
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorResponse).error.code).toBe('HTTP.PAYLOAD_TOO_LARGE');
  });

  it('answers 404 in the same error shape for an unknown route', async () => {
    const response = await fetch(`${stack.urls.ingest}/v1/nothing`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorResponse).error.code).toBe('HTTP.404');
  });
});
