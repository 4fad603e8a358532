import { createHmac } from 'node:crypto';
import { validateContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';
import {
  PAGE_ID,
  PSID,
  messengerEcho,
  messengerMessages,
  messengerReceipts,
  messengerStandbyEcho,
} from './fixtures/messenger.fixtures';
import {
  COMMENTER_ID,
  POST_ID,
  pageFeedComment,
  pageFeedOwnCommentAndReaction,
} from './fixtures/page-feed.fixtures';
import {
  IGSID,
  IG_ACCOUNT_ID,
  IG_COMMENTER_ID,
  instagramComments,
  instagramCommentFlat,
  instagramEcho,
  instagramMessage,
} from './fixtures/instagram.fixtures';
import {
  PHONE_NUMBER_ID,
  whatsappStatus,
  whatsappTextMessage,
  whatsappTwoMessages,
} from './fixtures/whatsapp.fixtures';
import { metaVerificationChallenge, verifyMetaSignature } from './meta-signature';
import { parseMetaWebhook } from './meta.parser';

const APP_SECRET = 'meta-app-secret';
const body = (payload: unknown) => Buffer.from(JSON.stringify(payload));
const sign = (raw: Buffer, secret = APP_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
const request = (rawBody: Buffer, signature?: string) => ({
  rawBody,
  headers: { 'x-hub-signature-256': signature },
});

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

describe('verifyMetaSignature', () => {
  const raw = body(messengerMessages);

  it('accepts the HMAC-SHA256 of the raw body with the app secret', () => {
    expect(verifyMetaSignature(request(raw, sign(raw)), APP_SECRET)).toEqual({ ok: true });
  });

  it('matches a vector computed independently (openssl dgst -sha256 -hmac)', () => {
    const fixed = Buffer.from('{"object":"page","entry":[]}');
    const header = 'sha256=5dcb51eb590634700c8d9cc1fde4d2d5981ca7bb83f250eb3fb71bfd849057ed';
    expect(verifyMetaSignature(request(fixed, header), APP_SECRET)).toEqual({ ok: true });
    expect(
      verifyMetaSignature(
        request(fixed, header.toUpperCase().replace('SHA256', 'sha256')),
        APP_SECRET,
      ),
    ).toEqual({ ok: true });
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(raw.toString('utf8').replace('hello, world!', 'hello, world?'));
    expect(verifyMetaSignature(request(tampered, sign(raw)), APP_SECRET)).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyMetaSignature(request(raw, sign(raw, 'other-secret')), APP_SECRET)).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
  });

  it('names a missing or malformed header, and a missing secret', () => {
    expect(verifyMetaSignature(request(raw), APP_SECRET)).toEqual({
      ok: false,
      reason: 'missing x-hub-signature-256 header',
    });
    const sha1 = `sha1=${createHmac('sha1', APP_SECRET).update(raw).digest('hex')}`;
    for (const header of [sha1, sign(raw).slice('sha256='.length), 'sha256=xyz']) {
      expect(verifyMetaSignature(request(raw, header), APP_SECRET)).toEqual({
        ok: false,
        reason: 'malformed x-hub-signature-256 header (expected sha256=<64 hex>)',
      });
    }
    expect(verifyMetaSignature(request(raw, sign(raw, '')), '')).toEqual({
      ok: false,
      reason: 'no app secret configured',
    });
  });
});

describe('metaVerificationChallenge', () => {
  const query = {
    'hub.mode': 'subscribe',
    'hub.verify_token': 'token-1',
    'hub.challenge': '1158201444',
  };

  it('echoes hub.challenge when the mode is subscribe and the token matches', () => {
    expect(metaVerificationChallenge(query, 'token-1')).toEqual({
      ok: true,
      challenge: '1158201444',
    });
  });

  it('refuses a wrong or missing token', () => {
    const refused = { ok: false, reason: 'hub.verify_token does not match' };
    expect(metaVerificationChallenge(query, 'token-2')).toEqual(refused);
    expect(metaVerificationChallenge(query, 'token-10')).toEqual(refused);
    expect(
      metaVerificationChallenge({ ...query, 'hub.verify_token': undefined }, 'token-1'),
    ).toEqual(refused);
  });

  it('refuses another mode, a missing challenge and an unset token', () => {
    expect(metaVerificationChallenge({ ...query, 'hub.mode': 'unsubscribe' }, 'token-1')).toEqual({
      ok: false,
      reason: 'hub.mode is not subscribe',
    });
    expect(metaVerificationChallenge({ ...query, 'hub.challenge': undefined }, 'token-1')).toEqual({
      ok: false,
      reason: 'missing hub.challenge',
    });
    expect(metaVerificationChallenge({ ...query, 'hub.verify_token': '' }, '')).toEqual({
      ok: false,
      reason: 'no verify token configured',
    });
  });
});

describe('parseMetaWebhook: Messenger', () => {
  it('maps each customer message of a delivery to customer.replied on the Page+PSID contact', () => {
    expect(parseMetaWebhook(body(messengerMessages), {})).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'meta:mid.1457764197618:41d102a3e1ae206a38',
          contactId: `meta:${PAGE_ID}:${PSID}`,
          channel: 'social',
          type: 'customer.replied',
          occurredAt: '2016-03-23T00:25:52.478Z',
          customer: { id: `fb:${PSID}` },
        },
        {
          eventId: 'meta:mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c',
          contactId: `meta:${PAGE_ID}:${PSID}`,
          channel: 'social',
          type: 'customer.replied',
          occurredAt: '2018-02-12T23:46:35.308Z',
          customer: { id: `fb:${PSID}` },
        },
      ],
    });
  });

  it('adds a preview of the text only when asked to', () => {
    const [first, second] = eventsOf(
      parseMetaWebhook(body(messengerMessages), { includePreview: true }),
    );
    expect(first.data).toEqual({ preview: 'hello, world!' });
    expect(second.data).toBeUndefined();
  });

  it('maps an echo (a message the Page sent) to agent.replied on the same contact', () => {
    expect(parseMetaWebhook(body(messengerEcho), { includePreview: true })).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'meta:mid.1457764197618:41d102a3e1ae206a38',
          contactId: `meta:${PAGE_ID}:${PSID}`,
          channel: 'social',
          type: 'agent.replied',
          occurredAt: '2016-03-12T06:29:57.627Z',
          customer: { id: `fb:${PSID}` },
        },
      ],
    });
  });

  it('reads messages delivered under standby (another app owns the thread)', () => {
    expect(eventsOf(parseMetaWebhook(body(messengerStandbyEcho), {}))).toEqual([
      {
        eventId:
          'meta:qT7ywaKpO9kkQR7Gv-nM8LIfLZDamVrALniheUYEDdHJXjDXEAyaS1xxONzb2Iv-DFzmTihfWJV012P5pK0AhQ',
        contactId: `meta:${PAGE_ID}:${PSID}`,
        channel: 'social',
        type: 'agent.replied',
        occurredAt: '2019-10-02T21:52:50.673Z',
        customer: { id: `fb:${PSID}` },
      },
    ]);
  });

  it('ignores delivery and read receipts', () => {
    expect(parseMetaWebhook(body(messengerReceipts), {})).toEqual({
      kind: 'ignored',
      reason: 'messenger delivery event; messenger read event',
    });
  });
});

describe('parseMetaWebhook: Page feed comments', () => {
  it('maps a comment to a public customer.replied, one contact per commenter per post', () => {
    expect(parseMetaWebhook(body(pageFeedComment), { includePreview: true })).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'meta:1164870100259578_2117453241888923',
          contactId: `meta:${PAGE_ID}:comment:${POST_ID}:${COMMENTER_ID}`,
          channel: 'social',
          type: 'customer.replied',
          occurredAt: '2018-03-08T21:33:34.000Z',
          customer: { id: `fb:${COMMENTER_ID}` },
          data: { public: true, preview: 'Is this available in blue?' },
        },
      ],
    });
  });

  it("ignores the Page's own comments and reactions", () => {
    expect(parseMetaWebhook(body(pageFeedOwnCommentAndReaction), {})).toEqual({
      kind: 'ignored',
      reason: 'comment by the Page itself; feed reaction change',
    });
  });
});

describe('parseMetaWebhook: Instagram', () => {
  it('maps a DM to customer.replied and an echo to agent.replied on the account+IGSID contact', () => {
    const contact = {
      contactId: `meta:${IG_ACCOUNT_ID}:${IGSID}`,
      channel: 'social',
      customer: { id: `ig:${IGSID}` },
    };
    expect(eventsOf(parseMetaWebhook(body(instagramMessage), {}))).toEqual([
      {
        eventId: 'meta:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1ODIyMzA0OTE0',
        ...contact,
        type: 'customer.replied',
        occurredAt: '2019-09-23T18:14:45.349Z',
      },
    ]);
    expect(eventsOf(parseMetaWebhook(body(instagramEcho), { includePreview: true }))).toEqual([
      {
        eventId: 'meta:aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDA1ODIyMzA0OTE1',
        ...contact,
        type: 'agent.replied',
        occurredAt: '2019-09-23T18:16:29.000Z',
      },
    ]);
  });

  it('maps a comment (examples-page form) to a public customer.replied with the normalised handle', () => {
    expect(eventsOf(parseMetaWebhook(body(instagramCommentFlat), {}))).toEqual([
      {
        eventId: 'meta:17919697626119712',
        contactId: `meta:${IG_ACCOUNT_ID}:comment:18172143295349192:${IG_COMMENTER_ID}`,
        channel: 'social',
        type: 'customer.replied',
        occurredAt: '2025-08-21T12:28:00.000Z',
        customer: { id: `ig:${IG_COMMENTER_ID}`, handle: '@jane.doe' },
        data: { public: true },
      },
    ]);
  });

  it("maps comments in the changes form and ignores the account's own reply", () => {
    expect(eventsOf(parseMetaWebhook(body(instagramComments), {}))).toEqual([
      {
        eventId: 'meta:17919697626119799',
        contactId: `meta:${IG_ACCOUNT_ID}:comment:18172143295349192:${IG_COMMENTER_ID}`,
        channel: 'social',
        type: 'customer.replied',
        occurredAt: '2025-08-21T12:28:20.000Z',
        customer: { id: `ig:${IG_COMMENTER_ID}`, handle: '@jane.doe' },
        data: { public: true },
      },
    ]);
  });
});

describe('parseMetaWebhook: WhatsApp Cloud API', () => {
  it('maps the documented text message to customer.replied with the phone in E.164', () => {
    expect(parseMetaWebhook(body(whatsappTextMessage), { includePreview: true })).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'whatsapp:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
          contactId: `whatsapp:${PHONE_NUMBER_ID}:16505551234`,
          channel: 'social',
          type: 'customer.replied',
          occurredAt: '2025-06-08T20:59:43.000Z',
          customer: { phone: '+16505551234' },
          data: { preview: 'Does it come in another color?' },
        },
      ],
    });
  });

  it('maps every message of a delivery and ignores reactions', () => {
    expect(eventsOf(parseMetaWebhook(body(whatsappTwoMessages), {}))).toEqual([
      {
        eventId: 'whatsapp:wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUFBQUFBQUFBQUFBQUFBQUFBQQA=',
        contactId: `whatsapp:${PHONE_NUMBER_ID}:16505551234`,
        channel: 'social',
        type: 'customer.replied',
        occurredAt: '2025-06-08T21:00:00.000Z',
        customer: { phone: '+16505551234' },
      },
      {
        eventId: 'whatsapp:wamid.HBgNNTUxMTk4NzY1NDMyMRUCABIYFDNCQkJCQkJCQkJCQkJCQkJCQkIA',
        contactId: `whatsapp:${PHONE_NUMBER_ID}:5511987654321`,
        channel: 'social',
        type: 'customer.replied',
        occurredAt: '2025-06-08T21:00:01.000Z',
        customer: { phone: '+5511987654321' },
      },
    ]);
  });

  it('ignores message statuses (receipts of the business’s own messages)', () => {
    expect(parseMetaWebhook(body(whatsappStatus), {})).toEqual({
      kind: 'ignored',
      reason: 'whatsapp message statuses',
    });
  });

  it('ignores account notifications and refuses unknown fields', () => {
    const change = (field: string) => ({
      object: 'whatsapp_business_account',
      entry: [{ id: '1', changes: [{ field, value: {} }] }],
    });
    expect(parseMetaWebhook(body(change('message_template_status_update')), {})).toEqual({
      kind: 'ignored',
      reason: 'whatsapp message_template_status_update notification',
    });
    expect(parseMetaWebhook(body(change('smb_message_echoes')), {})).toEqual({
      kind: 'unmappable',
      reason: "unsupported whatsapp field 'smb_message_echoes'",
    });
  });
});

describe('parseMetaWebhook: deliveries it cannot map', () => {
  it('names unknown objects, fields and messaging events, and bad JSON', () => {
    expect(parseMetaWebhook(Buffer.from('{"object":'), {})).toEqual({
      kind: 'malformed',
      reason: 'body is not JSON',
    });
    expect(parseMetaWebhook(body({ object: 'user', entry: [] }), {})).toEqual({
      kind: 'unmappable',
      reason: "unsupported webhook object 'user'",
    });
    expect(
      parseMetaWebhook(
        body({
          object: 'page',
          entry: [{ id: PAGE_ID, changes: [{ field: 'ratings', value: {} }] }],
        }),
        {},
      ),
    ).toEqual({ kind: 'unmappable', reason: "unsupported page field 'ratings'" });
    expect(
      parseMetaWebhook(
        body({
          object: 'page',
          entry: [
            {
              id: PAGE_ID,
              messaging: [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, surprise: {} }],
            },
          ],
        }),
        {},
      ),
    ).toEqual({
      kind: 'unmappable',
      reason: 'unknown messenger messaging event (keys: sender, recipient, surprise)',
    });
  });

  it('dead-letters a whole delivery when one message in it is malformed', () => {
    const broken = structuredClone(messengerMessages);
    broken.entry[0].messaging[1].message.mid = '';
    expect(parseMetaWebhook(body(broken), {})).toEqual({
      kind: 'unmappable',
      reason: expect.stringContaining('malformed messenger message: message.mid'),
    });
  });
});

describe('parseMetaWebhook: every documented sample', () => {
  const samples = {
    messengerMessages,
    messengerEcho,
    messengerStandbyEcho,
    pageFeedComment,
    instagramMessage,
    instagramEcho,
    instagramCommentFlat,
    instagramComments,
    whatsappTextMessage,
    whatsappTwoMessages,
  };

  it.each(Object.entries(samples))(
    '%s: a retried delivery gives the same eventIds',
    (_name, sample) => {
      const first = eventsOf(parseMetaWebhook(body(sample), { includePreview: true }));
      const retry = eventsOf(parseMetaWebhook(body(sample), { includePreview: true }));
      expect(retry.map((event) => event.eventId)).toEqual(first.map((event) => event.eventId));
      expect(new Set(first.map((event) => event.eventId)).size).toBe(first.length);
    },
  );

  it.each(Object.entries(samples))(
    '%s: every event validates against the contract',
    (_name, sample) => {
      for (const event of eventsOf(parseMetaWebhook(body(sample), { includePreview: true }))) {
        expect(validateContactEventInput(event)).toMatchObject({ ok: true });
      }
    },
  );

  it('replaces an id too long for a key with a stable digest', () => {
    const long = structuredClone(messengerMessages);
    long.entry[0].messaging = [long.entry[0].messaging[0]];
    long.entry[0].messaging[0].message.mid = `m_${'x'.repeat(300)}`;
    const [first] = eventsOf(parseMetaWebhook(body(long), {}));
    const [retry] = eventsOf(parseMetaWebhook(body(long), {}));
    expect(first.eventId).toMatch(/^meta:sha256:[0-9a-f]{64}$/);
    expect(retry.eventId).toBe(first.eventId);
    expect(validateContactEventInput(first)).toMatchObject({ ok: true });
  });

  it('keeps previews within 140 characters without splitting an emoji', () => {
    const long = structuredClone(messengerMessages);
    long.entry[0].messaging[0].message.text = `${'a'.repeat(139)}😀 and more`;
    const [event] = eventsOf(parseMetaWebhook(body(long), { includePreview: true }));
    expect(event.data).toEqual({ preview: 'a'.repeat(139) });
  });
});
