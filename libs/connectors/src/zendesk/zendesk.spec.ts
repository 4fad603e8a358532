import { createHmac } from 'node:crypto';
import type { ParseResult, WebhookRequest } from '../connector.types';
import {
  AGENT_ID,
  REQUESTER_ID,
  TICKET_ID,
  agentAssignmentChanged,
  agentComment,
  customerComment,
  internalNote,
  messagingMessageAdded,
  statusChanged,
  ticketCreated,
  ticketDetail,
  ticketEvent,
  userActiveChanged,
} from './fixtures/zendesk-events.fixtures';
import {
  DOCS_EARLIER_REVISION,
  DOCS_EXAMPLE_TIMESTAMP_FIRST,
  TEST_SECRET,
  TEST_SECRET_SIGNATURE,
  TEST_SECRET_TIMESTAMP,
} from './fixtures/zendesk-signature.fixtures';
import { parseIsoInstant } from './iso-instant.parser';
import { channelOfVia } from './zendesk-channel.mapper';
import { verifyZendeskSignature } from './zendesk-signature';
import { parseZendeskWebhook } from './zendesk.parser';

const SECRET = 'zendesk-signing-secret';
const ACCOUNT = 'acme';
const CONTACT_ID = `zendesk:${ACCOUNT}:${TICKET_ID}`;
const REQUESTER = { id: `zendesk:${REQUESTER_ID}` };
const TICKET = { contactId: CONTACT_ID, channel: 'email', priority: 'low', customer: REQUESTER };

const body = (payload: unknown) => Buffer.from(JSON.stringify(payload));
const sign = (timestamp: string, raw: Buffer, secret = SECRET) =>
  createHmac('sha256', secret)
    .update(Buffer.concat([Buffer.from(timestamp), raw]))
    .digest('base64');
const request = (
  rawBody: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs = Date.parse(timestamp ?? '2019-05-21T08:02:12Z'),
): WebhookRequest => ({
  url: 'https://ingest.example.com/webhooks/zendesk',
  headers: {
    'x-zendesk-webhook-signature': signature,
    'x-zendesk-webhook-signature-timestamp': timestamp,
  },
  rawBody,
  nowMs,
});
const parse = (payload: unknown, includePreview = false) =>
  parseZendeskWebhook(body(payload), { account: ACCOUNT, includePreview });

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

describe('verifyZendeskSignature', () => {
  const raw = body(customerComment);
  const timestamp = '2019-05-21T08:02:12Z';
  const signed = (overrides: Partial<WebhookRequest> = {}) => ({
    ...request(raw, timestamp, sign(timestamp, raw)),
    ...overrides,
  });

  it('accepts base64 HMAC-SHA256 of the timestamp header followed by the raw body', () => {
    expect(verifyZendeskSignature(signed(), SECRET)).toEqual({ ok: true });
  });

  it("accepts the docs example's secret, body and timestamp signed timestamp first", () => {
    const vector = DOCS_EXAMPLE_TIMESTAMP_FIRST;
    const check = verifyZendeskSignature(
      request(Buffer.from(vector.body), vector.timestamp, vector.signature),
      vector.secret,
    );
    expect(check).toEqual({ ok: true });
  });

  it('rejects the earlier docs revision signature, which was computed body first', () => {
    const vector = DOCS_EARLIER_REVISION;
    const bodyFirst = createHmac('sha256', vector.secret)
      .update(vector.body + vector.timestamp)
      .digest('base64');
    expect(bodyFirst).toBe(vector.signature);
    expect(
      verifyZendeskSignature(
        request(Buffer.from(vector.body), vector.timestamp, vector.signature),
        vector.secret,
      ),
    ).toEqual({ ok: false, reason: 'signature does not match the body and timestamp' });
  });

  it('accepts the documented test secret over the documented example payload', () => {
    const check = verifyZendeskSignature(
      request(body(userActiveChanged), TEST_SECRET_TIMESTAMP, TEST_SECRET_SIGNATURE),
      TEST_SECRET,
    );
    expect(check).toEqual({ ok: true });
  });

  it('rejects a tampered body, another secret, and a timestamp changed after signing', () => {
    const mismatch = { ok: false, reason: 'signature does not match the body and timestamp' };
    const tampered = Buffer.from(raw.toString('utf8').replace('iOS 12', 'iOS 13'));
    expect(verifyZendeskSignature(signed({ rawBody: tampered }), SECRET)).toEqual(mismatch);
    expect(verifyZendeskSignature(signed(), 'another-secret')).toEqual(mismatch);
    const moved = request(raw, '2019-05-21T08:02:13Z', sign(timestamp, raw));
    expect(verifyZendeskSignature(moved, SECRET)).toEqual(mismatch);
  });

  it('rejects a stale or future timestamp outside the replay window, even when signed', () => {
    const signedAt = Date.parse(timestamp);
    expect(verifyZendeskSignature(signed({ nowMs: signedAt + 300_000 }), SECRET)).toEqual({
      ok: true,
    });
    expect(verifyZendeskSignature(signed({ nowMs: signedAt + 301_000 }), SECRET)).toEqual({
      ok: false,
      reason:
        'x-zendesk-webhook-signature-timestamp 2019-05-21T08:02:12Z is outside the 300 s replay window',
    });
    expect(verifyZendeskSignature(signed({ nowMs: signedAt - 61_000 }), SECRET, 60)).toEqual({
      ok: false,
      reason:
        'x-zendesk-webhook-signature-timestamp 2019-05-21T08:02:12Z is outside the 60 s replay window',
    });
  });

  it('names missing headers, a timestamp that is not ISO 8601, bad base64 and a missing secret', () => {
    expect(verifyZendeskSignature(request(raw, timestamp, undefined), SECRET)).toEqual({
      ok: false,
      reason: 'missing x-zendesk-webhook-signature header',
    });
    expect(verifyZendeskSignature(request(raw, undefined, sign(timestamp, raw)), SECRET)).toEqual({
      ok: false,
      reason: 'missing x-zendesk-webhook-signature-timestamp header',
    });
    for (const notIso of ['1558425732', '2019-05-21', '2019-02-30T08:02:12Z']) {
      expect(verifyZendeskSignature(request(raw, notIso, sign(notIso, raw), 0), SECRET)).toEqual({
        ok: false,
        reason:
          'malformed x-zendesk-webhook-signature-timestamp header (expected an ISO 8601 instant)',
      });
    }
    expect(verifyZendeskSignature(request(raw, timestamp, 'not base64!'), SECRET)).toEqual({
      ok: false,
      reason: 'signature does not match the body and timestamp',
    });
    expect(verifyZendeskSignature(signed(), '')).toEqual({
      ok: false,
      reason: 'no signing secret configured',
    });
  });
});

describe('parseZendeskWebhook: ticket events', () => {
  it('maps ticket.created to contact.opened with the requester and priority', () => {
    expect(parse(ticketCreated)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `zendesk:${ACCOUNT}:01HZ8Q8Y4J6V3M2N1P0R9S8T7U`,
          ...TICKET,
          type: 'contact.opened',
          occurredAt: '2019-05-20T22:55:29.000Z',
        },
      ],
    });
  });

  it('adds the subject and description only when previews are on', () => {
    expect(eventsOf(parse(ticketCreated, true))[0].data).toEqual({
      subject: 'Logged out when opening settings',
      preview: 'The app logs me out every time I open the settings page.',
    });
  });

  it('ignores a ticket created with internal comments only, or already solved', () => {
    const internal = { ...ticketCreated, detail: { ...ticketCreated.detail, is_public: false } };
    expect(parse(internal)).toEqual({
      kind: 'ignored',
      reason: 'ticket created with internal comments only',
    });
    const solved = { ...ticketCreated, detail: { ...ticketCreated.detail, status: 'SOLVED' } };
    expect(parse(solved)).toEqual({
      kind: 'ignored',
      reason: 'ticket created solved: nobody is waiting',
    });
  });

  it('maps a public end-user comment to customer.replied by its author', () => {
    expect(parse(customerComment, true)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `zendesk:${ACCOUNT}:cbe4028c-7239-495d-b020-f22348516046`,
          ...TICKET,
          type: 'customer.replied',
          occurredAt: '2019-05-21T08:02:11.672Z',
          data: { preview: 'Still happening after the update, on iOS 12.' },
        },
      ],
    });
  });

  it('maps a public staff comment to agent.replied with the author as agentId', () => {
    expect(parse(agentComment, true)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `zendesk:${ACCOUNT}:d4f5c389-8f4a-4c2e-a1b9-8e4f39c71d52`,
          ...TICKET,
          type: 'agent.replied',
          occurredAt: '2019-05-21T09:14:00.000Z',
          data: { agentId: AGENT_ID },
        },
      ],
    });
  });

  it('ignores a private comment: an internal note is not a reply', () => {
    expect(parse(internalNote)).toEqual({
      kind: 'ignored',
      reason: 'private comment (internal note): not a reply',
    });
  });

  it('maps ticket.agent_assignment_changed to contact.assigned, and ignores an unassignment', () => {
    expect(eventsOf(parse(agentAssignmentChanged))).toEqual([
      {
        eventId: `zendesk:${ACCOUNT}:ecd26460-0ca3-433b-b908-d891a0aa6fb4`,
        ...TICKET,
        type: 'contact.assigned',
        occurredAt: '2019-05-25T01:23:48.000Z',
        data: { agentId: AGENT_ID },
      },
    ]);
    const unassigned = {
      ...agentAssignmentChanged,
      event: { ...agentAssignmentChanged.event, current: null, previous: AGENT_ID },
    };
    expect(parse(unassigned)).toEqual({ kind: 'ignored', reason: 'ticket unassigned' });
  });
});

describe('parseZendeskWebhook: status transitions', () => {
  const TIME = '2019-05-22T10:00:00Z';
  const transition = (previous: string, current: string) =>
    parse(statusChanged('7f0c2a8e-4b1d-4f6a-8c3e-2d9b1a0e5f47', TIME, previous, current));
  const event = (
    type: string,
    eventId = `zendesk:${ACCOUNT}:7f0c2a8e-4b1d-4f6a-8c3e-2d9b1a0e5f47`,
  ) => ({
    eventId,
    ...TICKET,
    type,
    occurredAt: '2019-05-22T10:00:00.000Z',
  });

  it.each([
    ['OPEN', 'PENDING', 'contact.waiting_on_customer'],
    ['NEW', 'PENDING', 'contact.waiting_on_customer'],
    ['PENDING', 'OPEN', 'contact.resumed'],
    ['PENDING', 'HOLD', 'contact.resumed'],
    ['OPEN', 'SOLVED', 'contact.resolved'],
    ['PENDING', 'SOLVED', 'contact.resolved'],
    ['HOLD', 'CLOSED', 'contact.resolved'],
    ['SOLVED', 'OPEN', 'contact.reopened'],
    ['SOLVED', 'HOLD', 'contact.reopened'],
  ])('maps %s → %s to %s', (previous, current, type) => {
    expect(transition(previous, current)).toEqual({ kind: 'events', events: [event(type)] });
  });

  it('maps solved → pending to a reopen then a pause, each with its own id', () => {
    const base = `zendesk:${ACCOUNT}:7f0c2a8e-4b1d-4f6a-8c3e-2d9b1a0e5f47`;
    expect(transition('SOLVED', 'PENDING')).toEqual({
      kind: 'events',
      events: [
        event('contact.reopened', `${base}:contact.reopened`),
        event('contact.waiting_on_customer', `${base}:contact.waiting_on_customer`),
      ],
    });
  });

  it.each([
    ['SOLVED', 'CLOSED', 'status solved → closed: no change to the clocks'],
    ['OPEN', 'HOLD', 'status open → hold: no change to the clocks'],
    ['NEW', 'OPEN', 'status new → open: no change to the clocks'],
  ])('ignores %s → %s', (previous, current, reason) => {
    expect(transition(previous, current)).toEqual({ kind: 'ignored', reason });
  });

  it('reads statuses in any case, and is unmappable for a status it does not know', () => {
    expect(transition('open', 'pending')).toEqual(transition('OPEN', 'PENDING'));
    expect(transition('OPEN', 'DELETED')).toEqual({
      kind: 'unmappable',
      reason: 'unknown ticket status "DELETED"',
    });
  });
});

describe('parseZendeskWebhook: retries, ids and channel', () => {
  it('gives a retried request (the same event, serialised and signed again) the same event ids', () => {
    const first = body(customerComment);
    const retry = Buffer.from(JSON.stringify(customerComment, null, 2));
    expect(parseZendeskWebhook(retry, { account: ACCOUNT })).toEqual(
      parseZendeskWebhook(first, { account: ACCOUNT }),
    );
  });

  it('keeps tickets of two accounts apart', () => {
    const ids = ['eu', 'us'].map((account) => {
      const [event] = eventsOf(parseZendeskWebhook(body(ticketCreated), { account }));
      return [event.contactId, event.eventId];
    });
    expect(ids[0]).not.toEqual(ids[1]);
    expect(ids[0][0]).toBe(`zendesk:eu:${TICKET_ID}`);
  });

  it('takes the ticket id from the subject, else from detail.id', () => {
    const { subject: _subject, ...withoutSubject } = ticketCreated;
    expect(eventsOf(parse(withoutSubject))[0].contactId).toBe(CONTACT_ID);
    const { id: _id, ...detailWithoutId } = ticketCreated.detail;
    expect(parse({ ...withoutSubject, detail: detailWithoutId })).toEqual({
      kind: 'unmappable',
      reason: 'zen:event-type:ticket.created without a ticket id',
    });
  });

  it('takes the channel from via.channel', () => {
    const via = (channel: string | number | undefined) =>
      eventsOf(
        parse({ ...ticketCreated, detail: { ...ticketCreated.detail, via: { channel } } }),
      )[0].channel;
    expect(['chat', 'native_messaging', 'MESSAGING', 'web', 'email', 'mail', 4].map(via)).toEqual([
      'chat',
      'chat',
      'chat',
      'email',
      'email',
      'email',
      'email',
    ]);
    expect(
      ['voice', 'twitter', 'facebook', 'whatsapp', 'instagram_dm', 'api', undefined].map(via),
    ).toEqual(['phone', 'social', 'social', 'social', 'social', 'chat', 'chat']);
    expect(channelOfVia('constructor')).toBe('chat');
  });

  it('sends no priority when the ticket has none or one the contract does not know', () => {
    const none = { ...ticketCreated, detail: { ...ticketCreated.detail, priority: null } };
    expect(eventsOf(parse(none))[0]).not.toHaveProperty('priority');
    const odd = { ...ticketCreated, detail: { ...ticketCreated.detail, priority: 'CRITICAL' } };
    expect(eventsOf(parse(odd))[0]).not.toHaveProperty('priority');
    const urgent = { ...ticketCreated, detail: { ...ticketCreated.detail, priority: 'URGENT' } };
    expect(eventsOf(parse(urgent))[0].priority).toBe('urgent');
  });
});

describe('parseZendeskWebhook: other documented events, malformed and refused', () => {
  it('is unmappable for authentic events of other kinds, naming the type', () => {
    expect(parse(userActiveChanged)).toEqual({
      kind: 'unmappable',
      reason: "unsupported Zendesk event type 'zen:event-type:user.active_changed'",
    });
    expect(parse(messagingMessageAdded)).toEqual({
      kind: 'unmappable',
      reason: "unsupported Zendesk event type 'zen:event-type:messaging_ticket.message_added'",
    });
    expect(
      parse(ticketEvent('ticket.priority_changed', 'p-1', '2019-05-22T10:00:00Z', {})),
    ).toEqual({
      kind: 'unmappable',
      reason: "unsupported Zendesk event type 'zen:event-type:ticket.priority_changed'",
    });
  });

  it.each([
    ['not JSON', Buffer.from('<ticket/>'), 'body is not JSON'],
    [
      'a trigger webhook with a custom body',
      body({ ticket_id: TICKET_ID, status: 'Open' }),
      'not a Zendesk event: ',
    ],
    [
      'a type outside zen:event-type',
      body({ ...ticketCreated, type: 'ticket.created' }),
      'not a Zendesk event: type: ',
    ],
    ['no detail', body({ ...ticketCreated, detail: null }), 'not a Zendesk event: detail: '],
  ])('answers malformed for %s', (_name, raw, reason) => {
    const result = parseZendeskWebhook(raw, { account: ACCOUNT });
    expect(result.kind).toBe('malformed');
    expect(result.kind === 'malformed' && result.reason.startsWith(reason)).toBe(true);
  });

  it('is unmappable when a ticket event lacks what its type needs', () => {
    const noComment = { ...customerComment, event: { meta: customerComment.event.meta } };
    expect(parse(noComment).kind).toBe('unmappable');
    const badTime = { ...ticketCreated, time: 'yesterday' };
    expect(parse(badTime)).toEqual({
      kind: 'unmappable',
      reason: 'zen:event-type:ticket.created with an invalid time',
    });
    const badDetail = { ...ticketCreated, detail: { ...ticketDetail, via: 'web' } };
    expect(parse(badDetail)).toEqual({
      kind: 'unmappable',
      reason:
        'zen:event-type:ticket.created with an unreadable ticket: via: Invalid input: expected object, received string',
    });
  });

  it('refuses, as unmappable, an event the contact-event contract rejects', () => {
    const longAuthor = {
      ...agentComment,
      event: {
        ...agentComment.event,
        comment: {
          ...agentComment.event.comment,
          author: { id: '7'.repeat(201), is_staff: true, name: 'Bot' },
        },
      },
    };
    const result = parse(longAuthor);
    expect(result.kind).toBe('unmappable');
    expect(result.kind === 'unmappable' && result.reason).toMatch(
      /^event fails the contact-event contract: data\.agentId: /,
    );
  });
});

describe('parseIsoInstant', () => {
  it('reads Zendesk instants, cutting nanoseconds to milliseconds', () => {
    expect(parseIsoInstant('2021-07-25T10:00:00Z')).toBe(Date.UTC(2021, 6, 25, 10));
    expect(parseIsoInstant('2025-02-11T14:32:05.254571515Z')).toBe(
      Date.UTC(2025, 1, 11, 14, 32, 5, 254),
    );
    expect(parseIsoInstant('2021-07-25T12:00:00+02:00')).toBe(Date.UTC(2021, 6, 25, 10));
  });

  it('refuses dates without a time or zone and impossible dates', () => {
    for (const value of [
      '2021-07-25',
      '2021-07-25T10:00:00',
      '2021-02-29T00:00:00Z',
      '2021-07-25T24:00:00Z',
    ]) {
      expect(parseIsoInstant(value)).toBeUndefined();
    }
    expect(parseIsoInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });
});
