import type { ParseResult, WebhookRequest } from '../connector.types';
import type { EmailParseOptions } from './email-parse.options';
import { multipart, type PartSpec } from './fixtures/request-bodies';
import {
  BOUNDARY,
  CONTENT_TYPE,
  DEFAULT_BODY,
  DEFAULT_FIELDS,
  DEFAULT_HEADERS,
  RAW_BODY,
  RAW_FIELDS,
} from './fixtures/sendgrid.fixtures';
import { parseSendGridInbound } from './sendgrid-inbound.parser';

const OPTIONS: EmailParseOptions = {
  account: 'acme',
  supportAddresses: ['example@example.comom', '@acme.example'],
};
const NOW = Date.parse('2016-07-27T20:53:07Z');

function request(rawBody: Buffer, contentType: string | undefined = CONTENT_TYPE): WebhookRequest {
  return {
    url: 'https://ingest.example.com/webhooks/sendgrid?token=x',
    headers: { 'content-type': contentType },
    rawBody,
    nowMs: NOW,
  };
}

const parse = (body: Buffer, options = OPTIONS, contentType?: string) =>
  parseSendGridInbound(request(body, contentType), options);

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

/** The default payload with fields replaced (null removes) or added. */
function withFields(fields: PartSpec[], changes: Record<string, string | Buffer | null>): Buffer {
  const kept = fields.filter((field) => !(field.name in changes));
  for (const [name, value] of Object.entries(changes))
    if (value !== null) kept.push({ name, value });
  return multipart(BOUNDARY, kept);
}

/** A parsed-mode post for a message with the given header lines. */
function post(headerLines: string[], text = 'Hello'): Buffer {
  const header = (name: string) =>
    headerLines
      .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.replace(/^[^:]*:\s*/, '');
  return multipart(BOUNDARY, [
    { name: 'headers', value: `${headerLines.join('\n')}\n` },
    { name: 'from', value: header('From') ?? '' },
    { name: 'to', value: header('To') ?? '' },
    { name: 'subject', value: header('Subject') ?? '' },
    { name: 'text', value: text },
    { name: 'envelope', value: '{"to":["support@acme.example"],"from":"someone@example.org"}' },
    { name: 'charsets', value: '{"to":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"UTF-8"}' },
  ]);
}

describe('parseSendGridInbound: documented payloads', () => {
  const DEFAULT_EVENT = {
    eventId: 'email:acme:msg:can_p_jmvv7zpaqhondienyplrjmuhn=lqwweu4yscw4jqyxy2w@mail.gmail.com',
    contactId: 'email:acme:can_p_jmvv7zpaqhondienyplrjmuhn=lqwweu4yscw4jqyxy2w@mail.gmail.com',
    channel: 'email',
    occurredAt: '2016-07-27T20:53:05.000Z',
    type: 'contact.opened',
    customer: { email: 'example@example.com' },
    data: { subject: 'Different File Types' },
  };

  it('maps the example default payload to contact.opened', () => {
    expect(parse(DEFAULT_BODY)).toEqual({ kind: 'events', events: [DEFAULT_EVENT] });
  });

  it('adds the text as preview when opted in', () => {
    expect(eventsOf(parse(DEFAULT_BODY, { ...OPTIONS, includePreview: true }))).toEqual([
      {
        ...DEFAULT_EVENT,
        data: {
          subject: 'Different File Types',
          preview: "Here's an email with multiple attachments",
        },
      },
    ]);
  });

  it('maps the example raw payload ("Send Raw": the whole message in `email`)', () => {
    expect(parse(RAW_BODY, { ...OPTIONS, includePreview: true })).toEqual({
      kind: 'events',
      events: [
        {
          eventId:
            'email:acme:msg:can_p_jna25--hzm5=-es9cnxgwa+h+e49ooas7sppv0gsoxcow@mail.gmail.com',
          contactId:
            'email:acme:can_p_jna25--hzm5=-es9cnxgwa+h+e49ooas7sppv0gsoxcow@mail.gmail.com',
          channel: 'email',
          occurredAt: '2016-07-19T15:06:21.000Z',
          type: 'contact.opened',
          customer: { email: 'example@example.com' },
          data: { subject: 'Hello', preview: 'This is a test email with 1 attachment.' },
        },
      ],
    });
  });

  it('gives a retry of the same post the same event', () => {
    expect(parse(Buffer.from(DEFAULT_BODY))).toEqual(parse(DEFAULT_BODY));
    expect(eventsOf(parse(DEFAULT_BODY))[0].eventId).toBe(DEFAULT_EVENT.eventId);
  });
});

describe('parseSendGridInbound: mapping', () => {
  it('threads opened → agent reply → customer reply onto one contact', () => {
    const bodies = [
      post([
        'From: Jane <jane@customer.example>',
        'To: support@acme.example',
        'Subject: Broken invoice',
        'Date: Tue, 3 Mar 2026 08:00:00 +0000',
        'Message-ID: <a1@customer.example>',
      ]),
      post([
        'From: Support <support@acme.example>',
        'To: Jane <jane@customer.example>',
        'Subject: Re: Broken invoice',
        'Date: Tue, 3 Mar 2026 08:45:00 +0000',
        'Message-ID: <b2@acme.example>',
        'In-Reply-To: <a1@customer.example>',
        'References: <a1@customer.example>',
      ]),
      post([
        'From: Jane <jane@customer.example>',
        'To: support@acme.example',
        'Subject: Re: Broken invoice',
        'Date: Tue, 3 Mar 2026 09:10:00 +0000',
        'Message-ID: <c3@customer.example>',
        'In-Reply-To: <b2@acme.example>',
        'References: <a1@customer.example>',
        '\t<b2@acme.example>',
      ]),
    ];
    const events = bodies.flatMap((body) => eventsOf(parse(body)));
    expect(events.map(({ type, contactId, eventId }) => ({ type, contactId, eventId }))).toEqual([
      {
        type: 'contact.opened',
        contactId: 'email:acme:a1@customer.example',
        eventId: 'email:acme:msg:a1@customer.example',
      },
      {
        type: 'agent.replied',
        contactId: 'email:acme:a1@customer.example',
        eventId: 'email:acme:msg:b2@acme.example',
      },
      {
        type: 'customer.replied',
        contactId: 'email:acme:a1@customer.example',
        eventId: 'email:acme:msg:c3@customer.example',
      },
    ]);
    expect(events[1]).toMatchObject({
      customer: { email: 'jane@customer.example' },
      data: { agentId: 'support@acme.example' },
    });
  });

  it('decodes fields in the charsets SendGrid names', () => {
    const body = withFields(DEFAULT_FIELDS, {
      subject: Buffer.from('Caf\xe9 cr\xe8me', 'latin1'),
      text: Buffer.from('D\xe9j\xe0 vu', 'latin1'),
      charsets: '{"to":"UTF-8","subject":"iso-8859-1","from":"UTF-8","text":"windows-1252"}',
    });
    expect(eventsOf(parse(body, { ...OPTIONS, includePreview: true }))[0].data).toEqual({
      subject: 'Café crème',
      preview: 'Déjà vu',
    });
  });

  it('decodes an RFC 2047 subject from the raw message', () => {
    const body = withFields(RAW_FIELDS, {
      email:
        'From: jo@customer.example\r\nSubject: =?UTF-8?B?w4fDoCBuZSBtYXJjaGUgcGFz?=\r\nDate: Tue, 19 Jul 2016 09:06:21 -0600\r\nMessage-ID: <x@y>\r\n\r\nbody',
    });
    expect(eventsOf(parse(body))[0].data).toEqual({ subject: 'Çà ne marche pas' });
  });

  it.each([
    [
      'an auto-reply',
      'Auto-Submitted: auto-replied',
      'auto-submitted message (Auto-Submitted: auto-replied)',
    ],
    [
      'a delivery status notification',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="x"',
      'delivery or read report (Content-Type: multipart/report)',
    ],
    ['a list message', 'Precedence: list', 'bulk or automatic message (Precedence: list)'],
  ])('ignores %s', (_name, header, reason) => {
    const body = withFields(DEFAULT_FIELDS, { headers: `${header}\n${DEFAULT_HEADERS}` });
    expect(parse(body)).toEqual({ kind: 'ignored', reason });
  });

  it('ignores a bounce: the envelope has the null sender', () => {
    const body = withFields(DEFAULT_FIELDS, {
      envelope: '{"to":["example@example.comom"],"from":""}',
    });
    expect(parse(body)).toEqual({
      kind: 'ignored',
      reason: 'bounce or report (null envelope sender)',
    });
  });
});

describe('parseSendGridInbound: not SendGrid’s format', () => {
  it.each([
    [
      'a url-encoded body',
      Buffer.from('from=a%40b.c&subject=x'),
      'application/x-www-form-urlencoded',
      'not a SendGrid Inbound Parse post: not multipart/form-data with a boundary (1-70 characters)',
    ],
    [
      'a JSON body',
      Buffer.from('{"from":"a@b.c"}'),
      'application/json',
      'not a SendGrid Inbound Parse post: not multipart/form-data with a boundary (1-70 characters)',
    ],
    [
      'a post cut before its closing boundary',
      DEFAULT_BODY.subarray(0, DEFAULT_BODY.length - 200),
      CONTENT_TYPE,
      'not a SendGrid Inbound Parse post: multipart body ends without its closing boundary',
    ],
    [
      'a post with another boundary than announced',
      DEFAULT_BODY,
      'multipart/form-data; boundary=other',
      'not a SendGrid Inbound Parse post: no multipart boundary found in the body',
    ],
    [
      'a form without headers or email',
      multipart(BOUNDARY, [{ name: 'from', value: 'a@b.c' }]),
      CONTENT_TYPE,
      'no headers or email field: not a SendGrid Inbound Parse post',
    ],
    [
      'a form without any from',
      withFields(DEFAULT_FIELDS, { from: null, headers: 'Subject: x\n' }),
      CONTENT_TYPE,
      'no from: not a SendGrid Inbound Parse post',
    ],
  ])('calls %s malformed', (_name, body, contentType, reason) => {
    expect(parse(body, OPTIONS, contentType)).toEqual({ kind: 'malformed', reason });
  });
});
