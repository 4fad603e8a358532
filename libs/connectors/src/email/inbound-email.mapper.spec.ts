import { createHash } from 'node:crypto';
import type { ParseResult } from '../connector.types';
import { parseAddressList, supportMatcher } from './email-address.normaliser';
import { parseEmailDate } from './email-date.parser';
import type { EmailParseOptions } from './email-parse.options';
import { messageIdsOf, resolveThread } from './email-thread.resolver';
import { mapInboundEmail, type InboundEmail } from './inbound-email.mapper';
import { parseHeaderBlock } from './mime-header.parser';

const OPTIONS: EmailParseOptions = {
  account: 'acme',
  supportAddresses: ['Support@Acme.example', '@help.acme.example'],
};
const CUSTOMER = 'jane.doe@customer.example';

function message(
  headerLines: string[],
  extra: Partial<Omit<InboundEmail, 'headers'>> = {},
): InboundEmail {
  const headers = parseHeaderBlock(headerLines.join('\r\n'));
  return {
    headers,
    from: headers.get('from') ?? '',
    recipients: [...headers.all('to'), ...headers.all('cc')],
    ...extra,
  };
}

const OPENING = [
  'From: "Doe, Jane" <Jane.Doe@Customer.example>',
  'To: Acme Support <support@acme.example>',
  'Subject: =?UTF-8?Q?Order_=E2=84=96_1234_is_late?=',
  'Date: Mon, 2 Mar 2026 09:15:00 +0100',
  'Message-ID: <CAOpen.1@mail.customer.example>',
];
const AGENT_REPLY = [
  'From: Alice at Acme <alice@help.acme.example>',
  'To: "Doe, Jane" <jane.doe@customer.example>',
  'Cc: support@acme.example',
  'Subject: Re: Order No. 1234 is late',
  'Date: Mon, 2 Mar 2026 10:02:00 +0000',
  'Message-ID: <reply.2@help.acme.example>',
  'In-Reply-To: <CAOpen.1@mail.customer.example>',
  'References: <CAOpen.1@mail.customer.example>',
];
const CUSTOMER_REPLY = [
  'From: jane.doe@customer.example',
  'To: alice@help.acme.example',
  'Subject: Re: Order No. 1234 is late',
  'Date: Mon, 2 Mar 2026 11:30:00 +0000',
  'Message-ID: <CAReply.3@mail.customer.example>',
  'In-Reply-To: <reply.2@help.acme.example>',
  'References: <CAOpen.1@mail.customer.example>',
  ' <reply.2@help.acme.example>',
];
const CONTACT = 'email:acme:caopen.1@mail.customer.example';

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

describe('mapInboundEmail: threading', () => {
  it('opens a contact with the first message of a thread', () => {
    expect(mapInboundEmail(message(OPENING), OPTIONS)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'email:acme:msg:caopen.1@mail.customer.example',
          contactId: CONTACT,
          channel: 'email',
          occurredAt: '2026-03-02T08:15:00.000Z',
          type: 'contact.opened',
          customer: { email: CUSTOMER },
          data: { subject: 'Order № 1234 is late' },
        },
      ],
    });
  });

  it('puts the agent reply and the customer reply on the same contact', () => {
    const [agent] = eventsOf(mapInboundEmail(message(AGENT_REPLY), OPTIONS));
    const [customer] = eventsOf(mapInboundEmail(message(CUSTOMER_REPLY), OPTIONS));
    expect(agent).toEqual({
      eventId: 'email:acme:msg:reply.2@help.acme.example',
      contactId: CONTACT,
      channel: 'email',
      occurredAt: '2026-03-02T10:02:00.000Z',
      type: 'agent.replied',
      customer: { email: CUSTOMER },
      data: { agentId: 'alice@help.acme.example' },
    });
    expect(customer).toEqual({
      eventId: 'email:acme:msg:careply.3@mail.customer.example',
      contactId: CONTACT,
      channel: 'email',
      occurredAt: '2026-03-02T11:30:00.000Z',
      type: 'customer.replied',
      customer: { email: CUSTOMER },
      data: { subject: 'Re: Order No. 1234 is late' },
    });
  });

  it('roots a reply without References at the message In-Reply-To names', () => {
    const lines = CUSTOMER_REPLY.filter((line) => !/^(References| )/.test(line));
    expect(eventsOf(mapInboundEmail(message(lines), OPTIONS))[0]).toMatchObject({
      contactId: 'email:acme:reply.2@help.acme.example',
      type: 'customer.replied',
    });
  });

  it('keys contacts per account', () => {
    const [event] = eventsOf(mapInboundEmail(message(OPENING), { ...OPTIONS, account: 'other' }));
    expect(event.contactId).toBe('email:other:caopen.1@mail.customer.example');
  });

  it('falls back to a digest of From, Date and Subject when there is no Message-ID', () => {
    const lines = OPENING.filter((line) => !line.startsWith('Message-ID'));
    const digest = createHash('sha256')
      .update(
        [
          'jane.doe@customer.example',
          'Mon, 2 Mar 2026 09:15:00 +0100',
          'Order № 1234 is late',
        ].join('\n'),
      )
      .digest('hex');
    const first = eventsOf(mapInboundEmail(message(lines), OPTIONS))[0];
    expect(first).toMatchObject({
      eventId: `email:acme:msg:sha256-${digest}`,
      contactId: `email:acme:sha256-${digest}`,
      type: 'contact.opened',
    });
    expect(eventsOf(mapInboundEmail(message(lines), OPTIONS))[0]).toEqual(first);
  });

  it('replaces a thread id too long for a Kafka key by a stable digest', () => {
    const long = `<${'x'.repeat(300)}@example.com>`;
    const lines = [...OPENING.slice(0, 4), `Message-ID: ${long}`];
    const [event] = eventsOf(mapInboundEmail(message(lines), OPTIONS));
    expect(event.contactId).toMatch(/^email:sha256:[0-9a-f]{64}$/);
    expect(event.eventId).toMatch(/^email:sha256:[0-9a-f]{64}$/);
    expect(event.eventId).not.toBe(event.contactId);
  });
});

describe('mapInboundEmail: machine-sent mail is ignored', () => {
  it.each([
    ['Auto-Submitted: auto-replied', 'auto-submitted message (Auto-Submitted: auto-replied)'],
    [
      'Auto-Submitted: auto-generated; owner-email="x@y.z"',
      'auto-submitted message (Auto-Submitted: auto-generated)',
    ],
    ['Auto-Submitted: Auto-Notified', 'auto-submitted message (Auto-Submitted: auto-notified)'],
    ['Precedence: bulk', 'bulk or automatic message (Precedence: bulk)'],
    ['Precedence: junk', 'bulk or automatic message (Precedence: junk)'],
    ['Precedence: list', 'bulk or automatic message (Precedence: list)'],
    ['Precedence: Auto_Reply', 'bulk or automatic message (Precedence: auto_reply)'],
    ['X-Autoreply: yes', 'auto-reply (X-Autoreply)'],
    ['X-Autorespond: vacation', 'auto-reply (X-Autorespond)'],
    [
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
      'delivery or read report (Content-Type: multipart/report)',
    ],
    ['Return-Path: <>', 'bounce or report (empty Return-Path <>)'],
  ])('%s', (header, reason) => {
    expect(mapInboundEmail(message([...OPENING, header]), OPTIONS)).toEqual({
      kind: 'ignored',
      reason,
    });
  });

  it.each([
    ['MAILER-DAEMON@mx.customer.example', 'bounce or report (From mailer-daemon@)'],
    ['Mail Delivery System <postmaster@customer.example>', 'bounce or report (From postmaster@)'],
  ])('From %s', (from, reason) => {
    const lines = [`From: ${from}`, ...OPENING.slice(1)];
    expect(mapInboundEmail(message(lines), OPTIONS)).toEqual({ kind: 'ignored', reason });
  });

  it.each([
    ['', 'bounce or report (null envelope sender)'],
    ['<>', 'bounce or report (null envelope sender)'],
    ['mailer-daemon@relay.example', 'bounce or report (envelope sender mailer-daemon@)'],
  ])('envelope sender %p', (envelopeSender, reason) => {
    expect(mapInboundEmail(message(OPENING, { envelopeSender }), OPTIONS)).toEqual({
      kind: 'ignored',
      reason,
    });
  });

  it('ignores an agent’s out-of-office too: it is not an answer', () => {
    const lines = [...AGENT_REPLY, 'Auto-Submitted: auto-replied'];
    expect(mapInboundEmail(message(lines), OPTIONS).kind).toBe('ignored');
  });

  it.each([
    ['Auto-Submitted: no'],
    ['Auto-Submitted: no (written by a person)'],
    ['Precedence: first-class'],
    ['X-Autoreply: no'],
    // Asks the recipient not to auto-answer; ordinary Outlook/Exchange mail carries it.
    ['X-Auto-Response-Suppress: All'],
    ['X-Auto-Response-Suppress: DR, OOF, AutoReply'],
    ['Return-Path: <jane.doe@customer.example>'],
    ['Content-Type: multipart/mixed; boundary="report"'],
  ])('maps a message written by a person with %s', (header) => {
    expect(eventsOf(mapInboundEmail(message([...OPENING, header]), OPTIONS))[0].type).toBe(
      'contact.opened',
    );
  });
});

describe('mapInboundEmail: fields', () => {
  it('prefers the stripped reply for the opt-in preview and never sends a body otherwise', () => {
    const email = message(CUSTOMER_REPLY, {
      replyText: 'Still  waiting,\nplease help.',
      bodyText: 'Still waiting, please help.\n\nOn Monday Alice wrote:\n> quoted',
    });
    expect(eventsOf(mapInboundEmail(email, { ...OPTIONS, includePreview: true }))[0].data).toEqual({
      subject: 'Re: Order No. 1234 is late',
      preview: 'Still waiting, please help.',
    });
    expect(eventsOf(mapInboundEmail(email, OPTIONS))[0].data).toEqual({
      subject: 'Re: Order No. 1234 is late',
    });
  });

  it('uses the whole text when the provider stripped nothing, cut to 140 characters', () => {
    const email = message(OPENING, { replyText: '  ', bodyText: 'word '.repeat(50) });
    const data = eventsOf(mapInboundEmail(email, { ...OPTIONS, includePreview: true }))[0].data as {
      preview: string;
    };
    expect(data.preview).toHaveLength(140);
  });

  it('puts no preview on an agent reply (the contract has no place for one)', () => {
    const email = message(AGENT_REPLY, { replyText: 'We are on it' });
    expect(eventsOf(mapInboundEmail(email, { ...OPTIONS, includePreview: true }))[0].data).toEqual({
      agentId: 'alice@help.acme.example',
    });
  });

  it('cuts a long subject to 200 characters without splitting an emoji', () => {
    const subject = `${'a'.repeat(199)}😀 tail`;
    const lines = [...OPENING.filter((l) => !l.startsWith('Subject')), `Subject: ${subject}`];
    const data = eventsOf(mapInboundEmail(message(lines), OPTIONS))[0].data as { subject: string };
    expect(data.subject).toBe('a'.repeat(199));
  });

  it('leaves data out when there is no subject', () => {
    const lines = OPENING.filter((line) => !line.startsWith('Subject'));
    expect(eventsOf(mapInboundEmail(message(lines), OPTIONS))[0]).not.toHaveProperty('data');
  });

  it('takes the provider time, then receivedAtIso, when Date is missing or unreadable', () => {
    const noDate = OPENING.filter((line) => !line.startsWith('Date'));
    const badDate = [...noDate, 'Date: sometime last week'];
    const received = { ...OPTIONS, receivedAtIso: '2026-03-02T08:20:00.000Z' };
    expect(
      eventsOf(
        mapInboundEmail(
          message(badDate, { providerTimeIso: '2026-03-02T08:16:00.000Z' }),
          received,
        ),
      )[0].occurredAt,
    ).toBe('2026-03-02T08:16:00.000Z');
    expect(eventsOf(mapInboundEmail(message(noDate), received))[0].occurredAt).toBe(
      '2026-03-02T08:20:00.000Z',
    );
    expect(mapInboundEmail(message(noDate), OPTIONS)).toEqual({
      kind: 'unmappable',
      reason: 'no usable Date header, provider timestamp or receivedAtIso',
    });
  });

  it('refuses a From without an address and leaves out one the contract refuses', () => {
    const lines = ['From: "john doe"@customer.example', ...OPENING.slice(1)];
    expect(mapInboundEmail(message(lines), OPTIONS)).toEqual({
      kind: 'unmappable',
      reason: 'From names no address',
    });
    const quoted = ['From: <j..doe@customer.example>', ...OPENING.slice(1)];
    const [event] = eventsOf(mapInboundEmail(message(quoted), OPTIONS));
    expect(event).not.toHaveProperty('customer');
    expect(event.type).toBe('contact.opened');
  });

  it('refuses an account that is not printable ASCII', () => {
    expect(mapInboundEmail(message(OPENING), { ...OPTIONS, account: 'acme corp' })).toEqual({
      kind: 'unmappable',
      reason: 'account must be 1-100 printable ASCII characters',
    });
  });

  it('refuses an event the contract rejects, as unmappable', () => {
    const noDate = OPENING.filter((line) => !line.startsWith('Date'));
    expect(mapInboundEmail(message(noDate), { ...OPTIONS, receivedAtIso: 'yesterday' })).toEqual({
      kind: 'unmappable',
      reason: 'event fails the contact-event contract: occurredAt: Invalid ISO datetime',
    });
  });
});

describe('address, thread and date helpers', () => {
  it('parses address lists with display names, quotes, comments and groups', () => {
    expect(
      parseAddressList(
        '"Doe, Jane" <Jane@Example.COM>, bob@x.org (Bob, from sales), undisclosed-recipients:;, team: a@t.io, <b@t.io>;',
      ),
    ).toEqual(['jane@example.com', 'bob@x.org', 'a@t.io', 'b@t.io']);
    expect(parseAddressList('Sender Name example@example.com')).toEqual(['example@example.com']);
    expect(parseAddressList('not an address')).toEqual([]);
  });

  it('matches support mailboxes and whole domains, not subdomains', () => {
    const isSupport = supportMatcher([' Support@Acme.example ', '@help.acme.example']);
    expect(isSupport('support@acme.example')).toBe(true);
    expect(isSupport('anyone@HELP.acme.example')).toBe(true);
    expect(isSupport('sales@acme.example')).toBe(false);
    expect(isSupport('x@eu.help.acme.example')).toBe(false);
  });

  it('reads msg-ids with or without brackets, dropping comments', () => {
    expect(messageIdsOf('<A@x> (first)\r\n <b@Y>')).toEqual(['a@x', 'b@y']);
    expect(messageIdsOf('20260203192638.000be97f99f8cea1@sample.mailgun.com')).toEqual([
      '20260203192638.000be97f99f8cea1@sample.mailgun.com',
    ]);
    expect(messageIdsOf('just words')).toEqual([]);
    expect(resolveThread({ messageId: '<m@x>', inReplyTo: 'garbage' })).toEqual({
      messageId: 'm@x',
      rootId: 'm@x',
      isReply: false,
    });
  });

  it.each([
    ['Fri, 26 Apr 2013 11:50:29 -0700', '2013-04-26T18:50:29.000Z'],
    ['Tue, 11 Oct 2016 13:45:32 -0700 (PDT)', '2016-10-11T20:45:32.000Z'],
    ['Fri, 1 Aug 2014 16:45:32 -04:00', '2014-08-01T20:45:32.000Z'],
    ['1 Aug 2014 16:45:32 EDT', '2014-08-01T20:45:32.000Z'],
    ['Thu, 5 Apr 2012 16:59:01 +0200', '2012-04-05T14:59:01.000Z'],
    ['Wed, 27 Jul 2016 14:53:05 GMT', '2016-07-27T14:53:05.000Z'],
  ])('reads the date %p', (value, iso) => {
    expect(parseEmailDate(value)).toBe(iso);
  });

  it.each([['yesterday'], ['Fri, 31 Feb 2014 10:00:00 +0000'], ['']])(
    'refuses the date %p',
    (value) => {
      expect(parseEmailDate(value)).toBeUndefined();
    },
  );
});
