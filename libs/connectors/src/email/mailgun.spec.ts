import type { ParseResult, WebhookRequest } from '../connector.types';
import { hmac } from '../signature';
import type { EmailParseOptions } from './email-parse.options';
import {
  ACCEPTED_EVENT,
  ACCEPTED_EVENT_DATA,
  ALICE,
  BOB,
  EVENT_SIGNATURE,
  PUBLISHED_VECTOR,
  ROUTE_MULTIPART_BODY,
  ROUTE_MULTIPART_CONTENT_TYPE,
  ROUTE_SAMPLE,
  ROUTE_SAMPLE_FIELDS,
  ROUTE_URLENCODED_BODY,
  SIGNING_KEY,
} from './fixtures/mailgun.fixtures';
import { multipart, urlEncoded } from './fixtures/request-bodies';
import { verifyMailgunWebhook } from './mailgun-signature';
import { parseMailgunWebhook } from './mailgun.parser';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const ROUTE_NOW = Number(ROUTE_SAMPLE.timestamp) * 1000 + 42_000;
const EVENT_NOW = Number(EVENT_SIGNATURE.timestamp) * 1000 + 5_000;
const OPTIONS: EmailParseOptions = { account: 'acme', supportAddresses: [ALICE] };
const SANDBOX_CONTACT =
  'email:acme:517ac78b.5060404@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org';

function request(rawBody: Buffer, contentType: string | undefined, nowMs: number): WebhookRequest {
  return {
    url: 'https://ingest.example.com/webhooks/mailgun',
    headers: { 'content-type': contentType },
    rawBody,
    nowMs,
  };
}

/** The route sample with fields replaced (null removes), url-encoded. */
function routeBody(changes: Record<string, string | null>): Buffer {
  const kept = ROUTE_SAMPLE_FIELDS.filter(([name]) => !(name in changes));
  for (const [name, value] of Object.entries(changes)) if (value !== null) kept.push([name, value]);
  return urlEncoded(kept);
}

/** A route post for a message with the given headers, signed with SIGNING_KEY. */
function routePost(headers: [string, string][], timestamp = ROUTE_SAMPLE.timestamp): Buffer {
  const token = `token-${timestamp}-${headers.length}`.padEnd(50, 'x');
  const from = headers.find(([name]) => name === 'From')?.[1] ?? '';
  return urlEncoded([
    ['recipient', ALICE],
    ['sender', from.replace(/.*<|>.*/g, '')],
    ['from', from],
    ['subject', headers.find(([name]) => name === 'Subject')?.[1] ?? ''],
    ['body-plain', 'text'],
    ['timestamp', timestamp],
    ['token', token],
    ['signature', hmac('sha256', SIGNING_KEY, timestamp + token).toString('hex')],
    ['message-headers', JSON.stringify(headers)],
  ]);
}

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

const parseRoute = (body: Buffer, options = OPTIONS, contentType = FORM) =>
  parseMailgunWebhook(request(body, contentType, ROUTE_NOW), options);
const parseEvent = (payload: unknown, options = OPTIONS) =>
  parseMailgunWebhook(request(Buffer.from(JSON.stringify(payload)), JSON_TYPE, EVENT_NOW), options);

describe('verifyMailgunWebhook', () => {
  it('accepts the mailgun-php test vector', () => {
    const body = urlEncoded([
      ['timestamp', PUBLISHED_VECTOR.timestamp],
      ['token', PUBLISHED_VECTOR.token],
      ['signature', PUBLISHED_VECTOR.signature],
    ]);
    const now = Number(PUBLISHED_VECTOR.timestamp) * 1000;
    expect(verifyMailgunWebhook(request(body, FORM, now), PUBLISHED_VECTOR.signingKey)).toEqual({
      ok: true,
    });
  });

  it('refuses the mailgun-php "bad" vector (another token, same signature)', () => {
    const body = urlEncoded([
      ['timestamp', PUBLISHED_VECTOR.timestamp],
      ['token', PUBLISHED_VECTOR.badToken],
      ['signature', PUBLISHED_VECTOR.signature],
    ]);
    const now = Number(PUBLISHED_VECTOR.timestamp) * 1000;
    expect(verifyMailgunWebhook(request(body, FORM, now), PUBLISHED_VECTOR.signingKey)).toEqual({
      ok: false,
      reason: 'Mailgun signature does not match',
    });
  });

  it.each([
    ['a url-encoded route post', ROUTE_URLENCODED_BODY, FORM, ROUTE_NOW],
    ['a multipart route post', ROUTE_MULTIPART_BODY, ROUTE_MULTIPART_CONTENT_TYPE, ROUTE_NOW],
    ['a JSON event webhook', Buffer.from(JSON.stringify(ACCEPTED_EVENT)), JSON_TYPE, EVENT_NOW],
    [
      'a JSON event webhook sent without Content-Type',
      Buffer.from(JSON.stringify(ACCEPTED_EVENT)),
      undefined,
      EVENT_NOW,
    ],
  ])('accepts %s signed with the signing key', (_name, body, contentType, now) => {
    expect(verifyMailgunWebhook(request(body, contentType, now), SIGNING_KEY)).toEqual({
      ok: true,
    });
  });

  it('refuses the wrong signing key', () => {
    const check = verifyMailgunWebhook(
      request(ROUTE_URLENCODED_BODY, FORM, ROUTE_NOW),
      'other-key',
    );
    expect(check).toEqual({ ok: false, reason: 'Mailgun signature does not match' });
  });

  it.each([
    ['the token', { token: `${ROUTE_SAMPLE.token.slice(0, -1)}c` }],
    ['the timestamp', { timestamp: String(Number(ROUTE_SAMPLE.timestamp) + 1) }],
    ['the signature', { signature: `${ROUTE_SAMPLE.signature.slice(0, -1)}9` }],
  ])('refuses a body with %s tampered', (_name, changes) => {
    const check = verifyMailgunWebhook(request(routeBody(changes), FORM, ROUTE_NOW), SIGNING_KEY);
    expect(check).toEqual({ ok: false, reason: 'Mailgun signature does not match' });
  });

  it('refuses a JSON event whose signed fields were tampered', () => {
    const tampered = {
      ...ACCEPTED_EVENT,
      signature: { ...EVENT_SIGNATURE, token: 'x'.repeat(50) },
    };
    const body = Buffer.from(JSON.stringify(tampered));
    expect(verifyMailgunWebhook(request(body, JSON_TYPE, EVENT_NOW), SIGNING_KEY)).toEqual({
      ok: false,
      reason: 'Mailgun signature does not match',
    });
  });

  it('cannot see a changed message: Mailgun signs only timestamp and token', () => {
    const body = routeBody({ subject: 'Re: Sample POST request (edited)', 'stripped-text': 'x' });
    expect(verifyMailgunWebhook(request(body, FORM, ROUTE_NOW), SIGNING_KEY)).toEqual({ ok: true });
  });

  it.each([
    ['five minutes and a second late', ROUTE_NOW - 42_000 + 301_000],
    ['five minutes and a second early', ROUTE_NOW - 42_000 - 301_000],
  ])('refuses a timestamp %s (replays expire)', (_name, now) => {
    expect(verifyMailgunWebhook(request(ROUTE_URLENCODED_BODY, FORM, now), SIGNING_KEY)).toEqual({
      ok: false,
      reason: 'Mailgun timestamp outside the 300 s replay window',
    });
  });

  it('takes another replay window', () => {
    const now = ROUTE_NOW + 3_600_000;
    expect(
      verifyMailgunWebhook(request(ROUTE_URLENCODED_BODY, FORM, now), SIGNING_KEY, 7200),
    ).toEqual({ ok: true });
  });

  it.each([
    [
      'no signature fields',
      urlEncoded([['from', BOB]]),
      FORM,
      'missing Mailgun signature fields (timestamp, token, signature)',
    ],
    [
      'JSON without a signature object',
      Buffer.from('{"event-data":{}}'),
      JSON_TYPE,
      'missing Mailgun signature fields (timestamp, token, signature)',
    ],
    [
      'a timestamp that is not a number',
      routeBody({ timestamp: '14e8' }),
      FORM,
      'malformed Mailgun timestamp',
    ],
    [
      'a body that is not JSON',
      Buffer.from('{"signature":'),
      JSON_TYPE,
      'cannot read the signature: body is not JSON',
    ],
    [
      'a multipart body cut off',
      ROUTE_MULTIPART_BODY.subarray(0, 400),
      ROUTE_MULTIPART_CONTENT_TYPE,
      'cannot read the signature: multipart body ends without its closing boundary',
    ],
    [
      'an unsupported content type',
      Buffer.from('x'),
      'text/plain',
      'cannot read the signature: unsupported Content-Type text/plain',
    ],
  ])('refuses %s', (_name, body, contentType, reason) => {
    expect(verifyMailgunWebhook(request(body, contentType, ROUTE_NOW), SIGNING_KEY)).toEqual({
      ok: false,
      reason,
    });
  });

  it('accepts a timestamp sent as a JSON number', () => {
    const payload = {
      ...ACCEPTED_EVENT,
      signature: { ...EVENT_SIGNATURE, timestamp: Number(EVENT_SIGNATURE.timestamp) },
    };
    const body = Buffer.from(JSON.stringify(payload));
    expect(verifyMailgunWebhook(request(body, JSON_TYPE, EVENT_NOW), SIGNING_KEY)).toEqual({
      ok: true,
    });
  });

  it('refuses everything without a signing key', () => {
    expect(verifyMailgunWebhook(request(ROUTE_URLENCODED_BODY, FORM, ROUTE_NOW), '')).toEqual({
      ok: false,
      reason: 'no Mailgun webhook signing key configured',
    });
  });
});

describe('parseMailgunWebhook: route forward()', () => {
  const SAMPLE_EVENT = {
    eventId: 'email:acme:msg:517acc75.5010709@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org',
    contactId: SANDBOX_CONTACT,
    channel: 'email',
    occurredAt: '2013-04-26T18:50:29.000Z',
    type: 'customer.replied',
    customer: { email: BOB },
    data: { subject: 'Re: Sample POST request' },
  };

  it('maps the documented sample post to customer.replied on the thread of Alice’s message', () => {
    expect(parseRoute(ROUTE_URLENCODED_BODY)).toEqual({ kind: 'events', events: [SAMPLE_EVENT] });
  });

  it('maps the multipart form of the same post (with attachments) to the same event', () => {
    expect(parseRoute(ROUTE_MULTIPART_BODY, OPTIONS, ROUTE_MULTIPART_CONTENT_TYPE)).toEqual({
      kind: 'events',
      events: [SAMPLE_EVENT],
    });
  });

  it('adds the stripped reply as preview when opted in', () => {
    expect(
      eventsOf(parseRoute(ROUTE_URLENCODED_BODY, { ...OPTIONS, includePreview: true })),
    ).toEqual([
      {
        ...SAMPLE_EVENT,
        data: {
          subject: 'Re: Sample POST request',
          preview: 'Hi Alice, This is Bob. I also attached a file.',
        },
      },
    ]);
  });

  it('gives a retry of the delivery (new timestamp, token and signature) the same event', () => {
    const retry = routeBody({
      timestamp: String(Number(ROUTE_SAMPLE.timestamp) + 600),
      token: 'b'.repeat(50),
      signature: hmac(
        'sha256',
        SIGNING_KEY,
        `${Number(ROUTE_SAMPLE.timestamp) + 600}${'b'.repeat(50)}`,
      ).toString('hex'),
    });
    expect(parseRoute(retry)).toEqual(parseRoute(ROUTE_URLENCODED_BODY));
    expect(eventsOf(parseRoute(retry))[0].eventId).toBe(SAMPLE_EVENT.eventId);
  });

  it('threads opened → agent reply → customer reply onto one contact', () => {
    const opened = routePost([
      ['Message-Id', '<first.1@mail.customer.example>'],
      ['Date', 'Mon, 2 Mar 2026 09:00:00 +0000'],
      ['From', 'Jane <jane@customer.example>'],
      ['To', `Alice <${ALICE}>`],
      ['Subject', 'Where is my order?'],
    ]);
    const agent = routePost([
      ['Message-Id', '<agent.2@sandbox.example>'],
      ['Date', 'Mon, 2 Mar 2026 09:30:00 +0000'],
      ['From', `Alice <${ALICE}>`],
      ['To', 'Jane <jane@customer.example>'],
      ['Subject', 'Re: Where is my order?'],
      ['In-Reply-To', '<first.1@mail.customer.example>'],
      ['References', '<first.1@mail.customer.example>'],
    ]);
    const reply = routePost([
      ['Message-Id', '<third.3@mail.customer.example>'],
      ['Date', 'Mon, 2 Mar 2026 10:00:00 +0000'],
      ['From', 'Jane <jane@customer.example>'],
      ['To', `Alice <${ALICE}>`],
      ['Subject', 'Re: Where is my order?'],
      ['In-Reply-To', '<agent.2@sandbox.example>'],
      ['References', '<first.1@mail.customer.example> <agent.2@sandbox.example>'],
    ]);
    const events = [opened, agent, reply].flatMap((body) => eventsOf(parseRoute(body)));
    const contactId = 'email:acme:first.1@mail.customer.example';
    expect(events).toEqual([
      {
        eventId: 'email:acme:msg:first.1@mail.customer.example',
        contactId,
        channel: 'email',
        occurredAt: '2026-03-02T09:00:00.000Z',
        type: 'contact.opened',
        customer: { email: 'jane@customer.example' },
        data: { subject: 'Where is my order?' },
      },
      {
        eventId: 'email:acme:msg:agent.2@sandbox.example',
        contactId,
        channel: 'email',
        occurredAt: '2026-03-02T09:30:00.000Z',
        type: 'agent.replied',
        customer: { email: 'jane@customer.example' },
        data: { agentId: ALICE },
      },
      {
        eventId: 'email:acme:msg:third.3@mail.customer.example',
        contactId,
        channel: 'email',
        occurredAt: '2026-03-02T10:00:00.000Z',
        type: 'customer.replied',
        customer: { email: 'jane@customer.example' },
        data: { subject: 'Re: Where is my order?' },
      },
    ]);
  });

  it('reads the posted header fields when message-headers is absent', () => {
    expect(parseRoute(routeBody({ 'message-headers': null }))).toEqual(
      parseRoute(ROUTE_URLENCODED_BODY),
    );
  });

  it('reads the headers of body-mime (a route URL ending in "mime")', () => {
    const body = urlEncoded([
      ['recipient', ALICE],
      ['sender', BOB],
      ['from', `Bob <${BOB}>`],
      ['subject', 'Re: Sample POST request'],
      [
        'body-mime',
        [
          `Message-Id: <517ACC75.5010709@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org>`,
          'Date: Fri, 26 Apr 2013 11:50:29 -0700',
          `From: Bob <${BOB}>`,
          'Subject: Re: Sample POST request',
          'References: <517AC78B.5060404@sandbox085a3b878a964897b9b9efb2395a1f5a.mailgun.org>',
          '',
          'Hi Alice,',
        ].join('\r\n'),
      ],
      ['timestamp', ROUTE_SAMPLE.timestamp],
    ]);
    expect(eventsOf(parseRoute(body))).toEqual([SAMPLE_EVENT]);
  });

  it('ignores an out-of-office posted by the route', () => {
    const body = routePost([
      ['Message-Id', '<ooo@customer.example>'],
      ['From', 'Jane <jane@customer.example>'],
      ['Subject', 'Out of office'],
      ['Auto-Submitted', 'auto-replied'],
    ]);
    expect(parseRoute(body)).toEqual({
      kind: 'ignored',
      reason: 'auto-submitted message (Auto-Submitted: auto-replied)',
    });
  });

  it('ignores a bounce arriving with the null sender', () => {
    expect(parseRoute(routeBody({ sender: '' }))).toEqual({
      kind: 'ignored',
      reason: 'bounce or report (null envelope sender)',
    });
  });

  it.each([
    [
      'a form without from',
      urlEncoded([
        ['recipient', ALICE],
        ['subject', 'x'],
      ]),
      FORM,
      'no from field: not a Mailgun route forward() post',
    ],
    ['an empty body', Buffer.alloc(0), FORM, 'no from field: not a Mailgun route forward() post'],
    [
      'broken percent-encoding',
      Buffer.from('from=%E0%A4%A'),
      FORM,
      'malformed percent-encoding in form field "from"',
    ],
    [
      'message-headers that are not pairs',
      routeBody({ 'message-headers': '{"From":"x"}' }),
      FORM,
      'message-headers is not a JSON list of [name, value] pairs',
    ],
    [
      'message-headers that are not JSON',
      routeBody({ 'message-headers': '[["From",' }),
      FORM,
      'message-headers is not a JSON list of [name, value] pairs',
    ],
    [
      'a multipart body without a boundary',
      ROUTE_MULTIPART_BODY,
      'multipart/form-data',
      'not multipart/form-data with a boundary (1-70 characters)',
    ],
    [
      'an XML body',
      Buffer.from('<xml/>'),
      'application/xml',
      'unsupported Content-Type application/xml',
    ],
  ])('calls %s malformed', (_name, body, contentType, reason) => {
    expect(parseRoute(body, OPTIONS, contentType)).toEqual({ kind: 'malformed', reason });
  });
});

describe('parseMailgunWebhook: event webhooks', () => {
  const SENDER_IS_SUPPORT = { ...OPTIONS, supportAddresses: ['sender@sample.mailgun.com'] };

  it('ignores the documented accepted event for mail not sent from a support address', () => {
    expect(parseEvent(ACCEPTED_EVENT)).toEqual({
      kind: 'ignored',
      reason:
        'accepted event for mail not sent from a support address: received mail is mapped from the route forward()',
    });
  });

  it('ignores an agent’s accepted reply that its headers cannot thread', () => {
    expect(parseEvent(ACCEPTED_EVENT, SENDER_IS_SUPPORT)).toEqual({
      kind: 'ignored',
      reason:
        'accepted event for a reply from a support address that cannot be threaded: Mailgun event headers carry no In-Reply-To or References',
    });
  });

  it('maps an accepted reply whose headers can be threaded to agent.replied', () => {
    const threadable = {
      ...ACCEPTED_EVENT,
      'event-data': {
        ...ACCEPTED_EVENT_DATA,
        message: {
          ...ACCEPTED_EVENT_DATA.message,
          headers: {
            ...ACCEPTED_EVENT_DATA.message.headers,
            'in-reply-to': '<question.1@recipient.example>',
            references: '<question.1@recipient.example>',
          },
        },
      },
    };
    expect(parseEvent(threadable, SENDER_IS_SUPPORT)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'email:acme:msg:20260203192638.000be97f99f8cea1@sample.mailgun.com',
          contactId: 'email:acme:question.1@recipient.example',
          channel: 'email',
          occurredAt: '2026-02-03T19:26:38.420Z',
          type: 'agent.replied',
          customer: { email: 'recipient@sample.mailgun.com' },
          data: { agentId: 'sender@sample.mailgun.com' },
        },
      ],
    });
  });

  it.each([
    'delivered',
    'failed',
    'opened',
    'clicked',
    'unsubscribed',
    'complained',
    'rejected',
    'stored',
  ])('ignores a %s event', (event) => {
    const payload = { ...ACCEPTED_EVENT, 'event-data': { ...ACCEPTED_EVENT_DATA, event } };
    expect(parseEvent(payload)).toEqual({
      kind: 'ignored',
      reason: `Mailgun ${event} event: delivery tracking, not a message`,
    });
  });

  it('dead-letters an unknown event kind', () => {
    const payload = {
      ...ACCEPTED_EVENT,
      'event-data': { ...ACCEPTED_EVENT_DATA, event: 'teleported' },
    };
    expect(parseEvent(payload)).toEqual({
      kind: 'unmappable',
      reason: 'unknown Mailgun event "teleported"',
    });
  });

  it('ignores a legacy form-encoded event webhook', () => {
    const body = urlEncoded([
      ['event', 'delivered'],
      ['recipient', 'a@b.example'],
      ['timestamp', ROUTE_SAMPLE.timestamp],
    ]);
    expect(parseRoute(body)).toEqual({
      kind: 'ignored',
      reason: 'legacy Mailgun delivered webhook: delivery tracking, not a message',
    });
    expect(parseRoute(urlEncoded([['event', 'exploded']]))).toEqual({
      kind: 'unmappable',
      reason: 'unknown legacy Mailgun event "exploded"',
    });
  });

  it.each([
    [
      'JSON that is not an event',
      { hello: 'world' },
      'not a Mailgun event webhook: event-data: Invalid input: expected object, received undefined',
    ],
    [
      'an event without a name',
      { 'event-data': { event: '' } },
      'not a Mailgun event webhook: event-data.event: Too small: expected string to have >=1 characters',
    ],
  ])('calls %s malformed', (_name, payload, reason) => {
    expect(parseEvent(payload)).toEqual({ kind: 'malformed', reason });
  });

  it('calls a body that is not JSON malformed', () => {
    expect(
      parseMailgunWebhook(request(Buffer.from('{"event-data": '), JSON_TYPE, EVENT_NOW), OPTIONS),
    ).toEqual({ kind: 'malformed', reason: 'body is not JSON' });
  });
});

describe('multipart route posts', () => {
  it('reads fields from the multipart body and skips the attachments', () => {
    const body = multipart('mg', [
      ...ROUTE_SAMPLE_FIELDS.map(([name, value]) => ({ name, value })),
      { name: 'attachment-1', filename: 'big.bin', value: Buffer.alloc(2048, 1) },
    ]);
    expect(parseRoute(body, OPTIONS, 'multipart/form-data; boundary="mg"')).toEqual(
      parseRoute(ROUTE_URLENCODED_BODY),
    );
  });
});
