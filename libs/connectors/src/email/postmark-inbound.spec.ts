import type { ParseResult, WebhookRequest } from '../connector.types';
import type { EmailParseOptions } from './email-parse.options';
import {
  PARSE_EMAIL_MESSAGE_ID,
  PARSE_EMAIL_SAMPLE,
  WEBHOOK_PAGE_SAMPLE,
} from './fixtures/postmark.fixtures';
import { parsePostmarkInbound } from './postmark-inbound.parser';

const OPTIONS: EmailParseOptions = {
  account: 'acme',
  supportAddresses: ['support@acme.example', '@inbound.postmarkapp.com'],
};
/** sha256 of "support@postmarkapp.com\nFri, 1 Aug 2014 16:45:32 -04:00\nTest subject" (node crypto). */
const PAGE_SAMPLE_DIGEST =
  'sha256-f97b2f836814f5aabf4b3066b43fcbc9af293cf1fe1bdf2075baf1ca1c688472';

function request(payload: unknown): WebhookRequest {
  return {
    url: 'https://ingest.example.com/webhooks/postmark',
    headers: { 'content-type': 'application/json', authorization: 'Basic eDp5' },
    rawBody: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
    nowMs: Date.parse('2014-08-01T20:46:00Z'),
  };
}

const parse = (payload: unknown, options = OPTIONS) =>
  parsePostmarkInbound(request(payload), options);

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

type Header = { Name: string; Value: string };
const withHeaders = (payload: typeof PARSE_EMAIL_SAMPLE, headers: Header[]) => ({
  ...payload,
  Headers: [...payload.Headers, ...headers],
});

describe('parsePostmarkInbound: documented payloads', () => {
  it('maps the inbound-webhook page sample (no Message-ID: the id is a digest)', () => {
    expect(parse(WEBHOOK_PAGE_SAMPLE)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `email:acme:msg:${PAGE_SAMPLE_DIGEST}`,
          contactId: `email:acme:${PAGE_SAMPLE_DIGEST}`,
          channel: 'email',
          occurredAt: '2014-08-01T20:45:32.000Z',
          type: 'contact.opened',
          customer: { email: 'support@postmarkapp.com' },
          data: { subject: 'Test subject' },
        },
      ],
    });
  });

  it('maps the parse-an-email sample, keyed by its Message-ID header', () => {
    expect(parse(PARSE_EMAIL_SAMPLE, { ...OPTIONS, includePreview: true })).toEqual({
      kind: 'events',
      events: [
        {
          eventId:
            'email:acme:msg:cagxpo2wkfxhwz5ufycr3h_j9snmg+5axuovfefl6djwbjsyzaa@mail.gmail.com',
          contactId:
            'email:acme:cagxpo2wkfxhwz5ufycr3h_j9snmg+5axuovfefl6djwbjsyzaa@mail.gmail.com',
          channel: 'email',
          occurredAt: '2012-04-05T14:59:01.000Z',
          type: 'contact.opened',
          customer: { email: 'myuser@theirdomain.com' },
          data: {
            subject: 'This is an inbound message',
            preview: 'Ok, thanks for letting me know!',
          },
        },
      ],
    });
  });

  it('gives a retry of the same delivery the same event', () => {
    expect(parse(PARSE_EMAIL_SAMPLE)).toEqual(
      parse(JSON.parse(JSON.stringify(PARSE_EMAIL_SAMPLE))),
    );
    expect(parse(WEBHOOK_PAGE_SAMPLE)).toEqual(parse(WEBHOOK_PAGE_SAMPLE));
  });
});

describe('parsePostmarkInbound: mapping', () => {
  it('threads opened → agent reply → customer reply onto one contact', () => {
    const customerReply = withHeaders(
      {
        ...PARSE_EMAIL_SAMPLE,
        Subject: 'Re: This is an inbound message',
        Date: 'Thu, 5 Apr 2012 18:00:00 +0200',
      },
      [
        { Name: 'In-Reply-To', Value: '<agent-1@acme.example>' },
        { Name: 'References', Value: `${PARSE_EMAIL_MESSAGE_ID} <agent-1@acme.example>` },
      ],
    );
    customerReply.Headers = customerReply.Headers.map((header) =>
      header.Name === 'Message-ID'
        ? { Name: 'Message-ID', Value: '<reply-2@theirDomain.com>' }
        : header,
    );
    const agentReply = {
      ...PARSE_EMAIL_SAMPLE,
      From: 'support@acme.example',
      FromName: 'Acme Support',
      FromFull: { Email: 'support@acme.example', Name: 'Acme Support', MailboxHash: '' },
      To: 'myUser@theirDomain.com',
      ToFull: [{ Email: 'myUser@theirDomain.com', Name: 'John Doe', MailboxHash: '' }],
      Cc: '',
      CcFull: [],
      Subject: 'Re: This is an inbound message',
      Date: 'Thu, 5 Apr 2012 17:10:00 +0200',
      Headers: [
        { Name: 'Message-ID', Value: '<agent-1@acme.example>' },
        { Name: 'In-Reply-To', Value: PARSE_EMAIL_MESSAGE_ID },
        { Name: 'References', Value: PARSE_EMAIL_MESSAGE_ID },
      ],
    };
    const events = [PARSE_EMAIL_SAMPLE, agentReply, customerReply].flatMap((payload) =>
      eventsOf(parse(payload)),
    );
    const contactId =
      'email:acme:cagxpo2wkfxhwz5ufycr3h_j9snmg+5axuovfefl6djwbjsyzaa@mail.gmail.com';
    expect(events).toEqual([
      expect.objectContaining({ type: 'contact.opened', contactId }),
      {
        eventId: 'email:acme:msg:agent-1@acme.example',
        contactId,
        channel: 'email',
        occurredAt: '2012-04-05T15:10:00.000Z',
        type: 'agent.replied',
        customer: { email: 'myuser@theirdomain.com' },
        data: { agentId: 'support@acme.example' },
      },
      {
        eventId: 'email:acme:msg:reply-2@theirdomain.com',
        contactId,
        channel: 'email',
        occurredAt: '2012-04-05T16:00:00.000Z',
        type: 'customer.replied',
        customer: { email: 'myuser@theirdomain.com' },
        data: { subject: 'Re: This is an inbound message' },
      },
    ]);
  });

  it('reads From when FromFull is missing', () => {
    const { FromFull: _dropped, ...rest } = PARSE_EMAIL_SAMPLE;
    const payload = { ...rest, From: '"My User" <MyUser@TheirDomain.com>' };
    expect(eventsOf(parse(payload))[0].customer).toEqual({ email: 'myuser@theirdomain.com' });
  });

  it('prefers a Date header over the top-level Date', () => {
    const payload = withHeaders(PARSE_EMAIL_SAMPLE, [
      { Name: 'Date', Value: 'Thu, 5 Apr 2012 16:59:02 +0200' },
    ]);
    expect(eventsOf(parse(payload))[0].occurredAt).toBe('2012-04-05T14:59:02.000Z');
  });

  it.each([
    [{ Name: 'Return-Path', Value: '<>' }, 'bounce or report (empty Return-Path <>)'],
    [
      { Name: 'Auto-Submitted', Value: 'auto-replied' },
      'auto-submitted message (Auto-Submitted: auto-replied)',
    ],
    [{ Name: 'X-Autorespond', Value: 'yes' }, 'auto-reply (X-Autorespond)'],
    [{ Name: 'Precedence', Value: 'junk' }, 'bulk or automatic message (Precedence: junk)'],
  ])('ignores a message with %p', (header, reason) => {
    expect(parse(withHeaders(PARSE_EMAIL_SAMPLE, [header]))).toEqual({ kind: 'ignored', reason });
  });

  it('ignores a bounce from the mailer daemon', () => {
    const payload = {
      ...PARSE_EMAIL_SAMPLE,
      From: 'MAILER-DAEMON@mail.theirDomain.com',
      FromFull: {
        Email: 'MAILER-DAEMON@mail.theirDomain.com',
        Name: 'Mail Delivery System',
        MailboxHash: '',
      },
    };
    expect(parse(payload)).toEqual({
      kind: 'ignored',
      reason: 'bounce or report (From mailer-daemon@)',
    });
  });

  it('tolerates null in the fields it reads', () => {
    const payload = {
      ...PARSE_EMAIL_SAMPLE,
      Cc: null,
      CcFull: null,
      StrippedTextReply: null,
      Subject: null,
    };
    expect(eventsOf(parse(payload))[0]).not.toHaveProperty('data');
  });
});

describe('parsePostmarkInbound: not Postmark’s format', () => {
  it.each([
    ['a body that is not JSON', 'From=a%40b.c', 'body is not JSON'],
    ['a JSON array', [PARSE_EMAIL_SAMPLE], 'not a Postmark inbound webhook: body is not an object'],
    ['JSON null', 'null', 'not a Postmark inbound webhook: body is not an object'],
    [
      'an object without From',
      { Subject: 'x', TextBody: 'y' },
      'no From: not a Postmark inbound webhook',
    ],
    [
      'Headers in the wrong shape',
      { ...PARSE_EMAIL_SAMPLE, Headers: { 'Message-ID': '<x@y>' } },
      'not a Postmark inbound webhook: Headers: Invalid input: expected array, received object',
    ],
  ])('calls %s malformed', (_name, payload, reason) => {
    expect(parse(payload)).toEqual({ kind: 'malformed', reason });
  });
});
