import { createHmac } from 'node:crypto';
import type { ParseResult } from '../connector.types';
import {
  ADMIN_ID,
  ADMIN_REPLY_PART,
  CONVERSATION_ID,
  LEAD_ID,
  TWITTER_USER_PART,
  USER_REPLY_PART,
  adminAssigned,
  adminClosed,
  adminNoted,
  adminOpened,
  adminPart,
  adminReplied,
  adminRepliedByBot,
  adminSingleCreated,
  adminSnoozed,
  adminUnsnoozed,
  companyCreated,
  conversation20,
  notification,
  ping,
  userCreated,
  userCreated11,
  userCreatedSigned,
  userReplied,
  withParts,
} from './fixtures/intercom-notifications.fixtures';
import { htmlToText } from './html-text.extractor';
import { verifyIntercomSignature } from './intercom-signature';
import { parseIntercomWebhook } from './intercom.parser';

const CLIENT_SECRET = 'intercom-client-secret';
const ACCOUNT = 'acme';
const CONTACT_ID = `intercom:${ACCOUNT}:${CONVERSATION_ID}`;
const LEAD = { id: `intercom:${LEAD_ID}` };

const body = (payload: unknown) => Buffer.from(JSON.stringify(payload));
const sign = (raw: Buffer, secret = CLIENT_SECRET) =>
  `sha1=${createHmac('sha1', secret).update(raw).digest('hex')}`;
const request = (rawBody: Buffer, signature?: string) => ({
  rawBody,
  headers: { 'x-hub-signature': signature },
});
const parse = (payload: unknown, includePreview = false) =>
  parseIntercomWebhook(body(payload), { account: ACCOUNT, includePreview });

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

describe('verifyIntercomSignature', () => {
  const raw = body(userCreated);

  it('accepts the hex HMAC-SHA1 of the raw body keyed with the client secret', () => {
    expect(verifyIntercomSignature(request(raw, sign(raw)), CLIENT_SECRET)).toEqual({ ok: true });
  });

  it('matches a vector computed independently (openssl dgst -sha1 -hmac), in either hex case', () => {
    const fixed = body(ping);
    const header = 'sha1=ab82853f3cca89e2267a71522b42fc33d204973e';
    expect(verifyIntercomSignature(request(fixed, header), CLIENT_SECRET)).toEqual({ ok: true });
    const upper = `sha1=${header.slice('sha1='.length).toUpperCase()}`;
    expect(verifyIntercomSignature(request(fixed, upper), CLIENT_SECRET)).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(raw.toString('utf8').replace('<p>Hi</p>', '<p>Hi!</p>'));
    expect(verifyIntercomSignature(request(tampered, sign(raw)), CLIENT_SECRET)).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyIntercomSignature(request(raw, sign(raw, 'other')), CLIENT_SECRET)).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
  });

  it('names a missing or malformed header, and a missing secret', () => {
    expect(verifyIntercomSignature(request(raw), CLIENT_SECRET)).toEqual({
      ok: false,
      reason: 'missing x-hub-signature header',
    });
    const sha256 = `sha256=${createHmac('sha256', CLIENT_SECRET).update(raw).digest('hex')}`;
    for (const header of [sha256, sign(raw).slice('sha1='.length), 'sha1=xyz']) {
      expect(verifyIntercomSignature(request(raw, header), CLIENT_SECRET)).toEqual({
        ok: false,
        reason: 'malformed x-hub-signature header (expected sha1=<40 hex>)',
      });
    }
    expect(verifyIntercomSignature(request(raw, sign(raw, '')), '')).toEqual({
      ok: false,
      reason: 'no client secret configured',
    });
  });
});

describe('parseIntercomWebhook: documented samples', () => {
  it('maps conversation.user.created to contact.opened, anchored on the first message', () => {
    expect(parse(userCreated)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `${CONTACT_ID}:conversation.user.created:269650473`,
          contactId: CONTACT_ID,
          channel: 'chat',
          type: 'contact.opened',
          occurredAt: '2018-10-18T21:13:18.000Z',
          customer: LEAD,
        },
      ],
    });
  });

  it('reads the API 1.1 shape (conversation_message, user, customers) the same way', () => {
    expect(parse(userCreated11)).toEqual(parse(userCreated));
  });

  it('maps conversation.user.replied to customer.replied by the author of the part', () => {
    expect(parse(userReplied)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `${CONTACT_ID}:conversation.user.replied:4412`,
          contactId: CONTACT_ID,
          channel: 'chat',
          type: 'customer.replied',
          occurredAt: '2014-05-23T15:04:54.000Z',
          customer: { id: 'intercom:536e564f316c83104c000020' },
        },
      ],
    });
  });

  it('maps conversation.admin.replied to agent.replied with the admin author as agentId', () => {
    expect(parse(adminReplied)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `${CONTACT_ID}:conversation.admin.replied:3`,
          contactId: CONTACT_ID,
          channel: 'chat',
          type: 'agent.replied',
          occurredAt: '2022-09-19T14:20:23.000Z',
          customer: LEAD,
          data: { agentId: '274' },
        },
      ],
    });
  });

  it("ignores the bot's auto-reply of the 1.1 example: a bot answers nobody", () => {
    expect(parse(adminRepliedByBot)).toEqual({
      kind: 'ignored',
      reason: 'automated reply by a bot: not an agent reply',
    });
  });

  it('ignores ping notifications', () => {
    expect(parse(ping)).toEqual({ kind: 'ignored', reason: 'intercom ping (subscription check)' });
  });

  it('names the topic of an authentic notification it does not map', () => {
    expect(parse(companyCreated)).toEqual({
      kind: 'unmappable',
      reason: "unsupported Intercom topic 'company.created'",
    });
    expect(parse(userCreatedSigned)).toEqual({
      kind: 'unmappable',
      reason: "unsupported Intercom topic 'user.created'",
    });
  });
});

describe('parseIntercomWebhook: topic rules', () => {
  const stateEvent = (topic: string, part: string, type: string, occurredAt: string) => ({
    eventId: `${CONTACT_ID}:${topic}:${part}`,
    contactId: CONTACT_ID,
    channel: 'chat',
    type,
    occurredAt,
    customer: LEAD,
  });

  it('maps conversation.admin.assigned to contact.assigned with the assigned admin', () => {
    expect(eventsOf(parse(adminAssigned))).toEqual([
      {
        ...stateEvent(
          'conversation.admin.assigned',
          '2202737300',
          'contact.assigned',
          '2018-10-18T21:51:48.000Z',
        ),
        data: { agentId: ADMIN_ID },
      },
    ]);
  });

  it('records a team assignment as the team, and ignores an assignment to nobody', () => {
    const toTeam = {
      ...adminPart('2202737310', 'assignment', 1539899508, null),
      assigned_to: { type: 'team', id: '5017691' },
    };
    const [event] = eventsOf(
      parse(notification('conversation.admin.assigned', withParts(conversation20, toTeam))),
    );
    expect(event.data).toEqual({ team: '5017691' });

    const unassigned = { ...conversation20, assignee: { type: 'nobody_admin', id: null } };
    const toNobody = adminPart('2202737311', 'assignment', 1539899508, null);
    expect(
      parse(notification('conversation.admin.assigned', withParts(unassigned, toNobody))),
    ).toEqual({ kind: 'ignored', reason: 'conversation assigned to nobody' });
  });

  it('falls back to the conversation assignee when the part names none (2.x admin_assignee_id)', () => {
    const conversation = { ...conversation20, assignee: undefined, admin_assignee_id: 991267242 };
    const part = adminPart('2202737312', 'default_assignment', 1539899508, null);
    const [event] = eventsOf(
      parse(notification('conversation.admin.assigned', withParts(conversation, part))),
    );
    expect(event.data).toEqual({ agentId: '991267242' });
  });

  it('ignores conversation.admin.noted: an internal note is not a reply', () => {
    expect(parse(adminNoted)).toEqual({
      kind: 'ignored',
      reason: 'internal note: not a reply the customer sees',
    });
  });

  it('maps a snooze after a teammate replied to contact.waiting_on_customer', () => {
    expect(eventsOf(parse(adminSnoozed))).toEqual([
      stateEvent(
        'conversation.admin.snoozed',
        '2202737302',
        'contact.waiting_on_customer',
        '2018-10-18T22:00:00.000Z',
      ),
    ]);
  });

  it('does not pause for a snooze while the customer awaits a reply (waiting_since set)', () => {
    const waiting = {
      ...adminSnoozed,
      data: {
        ...adminSnoozed.data,
        item: { ...adminSnoozed.data.item, waiting_since: 1539897198 },
      },
    };
    expect(parse(waiting)).toEqual({
      kind: 'ignored',
      reason: 'snoozed while the customer awaits a reply: the clocks keep running',
    });
  });

  it('maps unsnoozed, closed and opened to resumed, resolved and reopened', () => {
    expect(eventsOf(parse(adminUnsnoozed))).toEqual([
      stateEvent(
        'conversation.admin.unsnoozed',
        '2202737303',
        'contact.resumed',
        '2018-10-24T15:01:10.000Z',
      ),
    ]);
    expect(eventsOf(parse(adminClosed))).toEqual([
      stateEvent(
        'conversation.admin.closed',
        '2202737304',
        'contact.resolved',
        '2018-10-24T15:01:40.000Z',
      ),
    ]);
    expect(eventsOf(parse(adminOpened))).toEqual([
      stateEvent(
        'conversation.admin.opened',
        '2202737305',
        'contact.reopened',
        '2018-10-24T16:53:20.000Z',
      ),
    ]);
  });

  it('maps conversation.admin.single.created (an outbound 1:1 message) to agent.replied', () => {
    expect(eventsOf(parse(adminSingleCreated))).toEqual([
      {
        eventId: `${CONTACT_ID}:conversation.admin.single.created:269650473`,
        contactId: CONTACT_ID,
        channel: 'chat',
        type: 'agent.replied',
        occurredAt: '2018-10-18T21:13:18.000Z',
        customer: { id: 'intercom:5bc8f7ae2d96695c18a' },
        data: { agentId: ADMIN_ID },
      },
    ]);
  });

  it('anchors on the notification (its id and created_at) when the part is not in the payload', () => {
    const bare = notification(
      'conversation.admin.closed',
      conversation20,
      'notif_0c7a5b1e-5d0f-4c1e-9d4e-1b2c3d4e5f60',
    );
    expect(eventsOf(parse(bare))).toEqual([
      {
        eventId: `intercom:${ACCOUNT}:notif_0c7a5b1e-5d0f-4c1e-9d4e-1b2c3d4e5f60`,
        contactId: CONTACT_ID,
        channel: 'chat',
        type: 'contact.resolved',
        occurredAt: '2014-02-18T13:48:51.000Z',
        customer: LEAD,
      },
    ]);
  });

  it('is unmappable when neither the part nor the notification has a time', () => {
    const { created_at: _createdAt, ...undated } = notification('conversation.admin.closed', {
      ...conversation20,
    });
    expect(parse(undated)).toEqual({
      kind: 'unmappable',
      reason: 'conversation.admin.closed without a valid created_at',
    });
  });
});

describe('parseIntercomWebhook: retries and ids', () => {
  it('gives a retried delivery the same event ids', () => {
    const retry = { ...userReplied, delivery_attempts: 2, first_sent_at: 1392731452 };
    expect(parse(retry)).toEqual(parse(userReplied));
  });

  it('gives a second notification about the same part the same event id', () => {
    const again = { ...adminReplied, id: 'notif_9f1e2d3c-0000-11e4-9464-79b01267cc2e' };
    expect(eventsOf(parse(again))[0].eventId).toBe(eventsOf(parse(adminReplied))[0].eventId);
  });

  it('keeps contacts of two accounts apart', () => {
    const [first] = eventsOf(parseIntercomWebhook(body(userCreated), { account: 'eu' }));
    const [second] = eventsOf(parseIntercomWebhook(body(userCreated), { account: 'us' }));
    expect([first.contactId, second.contactId]).toEqual([
      `intercom:eu:${CONVERSATION_ID}`,
      `intercom:us:${CONVERSATION_ID}`,
    ]);
    expect(first.eventId).not.toBe(second.eventId);
  });
});

describe('parseIntercomWebhook: channel, customer and preview', () => {
  const openedVia = (type: string | undefined) =>
    eventsOf(
      parse(
        notification('conversation.user.created', {
          ...conversation20,
          source: { ...conversation20.source, type },
        }),
      ),
    )[0].channel;

  it('takes the channel from source.type, defaulting to chat', () => {
    expect(
      ['conversation', 'push', 'sms', 'email', 'facebook', 'instagram', 'twitter', 'whatsapp'].map(
        openedVia,
      ),
    ).toEqual(['chat', 'chat', 'chat', 'email', 'social', 'social', 'social', 'social']);
    expect(['phone_call', 'phone_switch', 'carrier_pigeon', undefined].map(openedVia)).toEqual([
      'phone',
      'chat',
      'chat',
      'chat',
    ]);
  });

  it('reads a Twitter reply as social, with no email when Intercom blanks it; previews stop at 140', () => {
    const twitter = {
      ...conversation20,
      source: { ...conversation20.source, type: 'twitter' },
    };
    const [event] = eventsOf(
      parse(notification('conversation.user.replied', withParts(twitter, TWITTER_USER_PART)), true),
    );
    expect(event).toEqual({
      eventId: `${CONTACT_ID}:conversation.user.replied:1223445555`,
      contactId: CONTACT_ID,
      channel: 'social',
      type: 'customer.replied',
      occurredAt: '2019-09-05T14:21:13.000Z',
      customer: { id: 'intercom:5310d8e7598c9a0b24000002' },
      data: {
        preview:
          "We've removed this part of the conversation to comply with Twitter's terms and conditions. You can view the complete conversation in Interco",
      },
    });
  });

  it('lower-cases the customer email and drops one that is not an address', () => {
    const withEmail = (email: string) =>
      eventsOf(
        parse(
          notification('conversation.user.created', {
            ...conversation20,
            source: {
              ...conversation20.source,
              author: { type: 'user', id: LEAD_ID, email },
            },
          }),
        ),
      )[0].customer;
    expect(withEmail(' Bob.Dylan@REI.com ')).toEqual({ ...LEAD, email: 'bob.dylan@rei.com' });
    expect(withEmail('not an address')).toEqual(LEAD);
  });

  it('adds the text of HTML bodies (and the subject) only when previews are on', () => {
    expect(eventsOf(parse(userCreated, true))[0].data).toEqual({ preview: 'Hi' });
    expect(eventsOf(parse(userReplied, true))[0].data).toEqual({
      preview: "Hi Jane, it's all great thanks!",
    });
    const email = notification('conversation.user.created', {
      ...conversation20,
      source: {
        ...conversation20.source,
        type: 'email',
        subject: 'Order <b>#1042</b>',
        body: '<p>Hi&nbsp;<b>team</b>,</p><p>it&#39;s &lt;still&gt; late &amp; unpaid</p>',
      },
    });
    expect(eventsOf(parse(email, true))[0].data).toEqual({
      subject: 'Order #1042',
      preview: "Hi team, it's <still> late & unpaid",
    });
    expect(eventsOf(parse(email))[0].data).toBeUndefined();
    expect(eventsOf(parse(adminReplied, true))[0].data).toEqual({ agentId: '274' });
  });

  it('takes the last customer part when the notification carries several', () => {
    const later = { ...USER_REPLY_PART, id: '4413', created_at: 1400857600 };
    const conversation = withParts(conversation20, USER_REPLY_PART, ADMIN_REPLY_PART, later);
    const [event] = eventsOf(parse(notification('conversation.user.replied', conversation)));
    expect(event.eventId).toBe(`${CONTACT_ID}:conversation.user.replied:4413`);
    expect(event.occurredAt).toBe('2014-05-23T15:06:40.000Z');
  });
});

describe('parseIntercomWebhook: malformed and refused', () => {
  it.each([
    ['not JSON', Buffer.from('type=notification_event'), 'body is not JSON'],
    ['a JSON array', body([userCreated]), 'not an Intercom notification: (root): '],
    [
      'another envelope type',
      body({ ...userCreated, type: 'event' }),
      'not an Intercom notification: type: ',
    ],
    [
      'no data.item',
      body({ ...userCreated, data: {} }),
      'not an Intercom notification: data.item: ',
    ],
  ])('answers malformed for %s', (_name, raw, reason) => {
    const result = parseIntercomWebhook(raw, { account: ACCOUNT });
    expect(result.kind).toBe('malformed');
    expect(result.kind === 'malformed' && result.reason.startsWith(reason)).toBe(true);
  });

  it('is unmappable when a conversation topic carries something else', () => {
    const ticket = notification('conversation.user.replied', { type: 'ticket', id: '1' });
    expect(parse(ticket)).toEqual({
      kind: 'unmappable',
      reason:
        'conversation.user.replied without a readable conversation: type: Invalid input: expected "conversation"',
    });
  });

  it('refuses, as unmappable, an event the contact-event contract rejects', () => {
    const longId = '9'.repeat(201);
    const part = {
      ...adminPart('2202737313', 'assignment', 1539899508, null),
      assigned_to: { type: 'admin', id: longId },
    };
    const result = parse(
      notification('conversation.admin.assigned', withParts(conversation20, part)),
    );
    expect(result.kind).toBe('unmappable');
    expect(result.kind === 'unmappable' && result.reason).toMatch(
      /^event fails the contact-event contract: data\.agentId: /,
    );
  });
});

describe('htmlToText', () => {
  it('drops markup, keeps blocks apart and decodes entities once', () => {
    expect(htmlToText('<p>a</p><p>b<br>c</p>')).toBe(' a  b c ');
    expect(htmlToText('&amp;lt; &#x1F600; &#128512; &bogus; &constructor;')).toBe(
      '&lt; 😀 😀 &bogus; &constructor;',
    );
    expect(htmlToText('<style>p{}</style><!-- x -->ok')).toBe('  ok');
  });
});
