import { createHmac } from 'node:crypto';
import { validateContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';
import {
  TWITTERDEV_ID,
  directMessageReceived,
  directMessageSentCopy,
  favoriteEvent,
  mentionFromCustomer,
  ownSelfReply,
  replyByAccount,
} from './fixtures/account-activity.fixtures';
import { isXCrcToken, verifyXSignature, xCrcResponse } from './x-signature';
import { parseXActivity } from './x.parser';

const SECRET = 'x-consumer-secret';
const body = (payload: unknown) => Buffer.from(JSON.stringify(payload));
const sign = (raw: Buffer, secret = SECRET) =>
  `sha256=${createHmac('sha256', secret).update(raw).digest('base64')}`;
const request = (rawBody: Buffer, signature?: string) => ({
  rawBody,
  headers: { 'x-twitter-webhooks-signature': signature },
});

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

describe('xCrcResponse', () => {
  it('is sha256= + base64 HMAC-SHA256 of the crc_token with the consumer secret', () => {
    // Computed independently: printf crc-token-123 | openssl dgst -sha256 -hmac … -binary | base64
    expect(xCrcResponse('crc-token-123', SECRET)).toBe(
      'sha256=YUsT0aLbF0VtFGcLCND1EU/aQP0sjPL19cPulVY7Wes=',
    );
  });

  it("matches the secret and token of Twitter's published CRC samples (jcipriano's gists)", () => {
    // https://gist.github.com/jcipriano/373d4d441e8041f775b6227c0e2fd1f3 publishes the inputs, not
    // the output; the expected value was computed with openssl from those inputs.
    expect(
      xCrcResponse(
        '9b4507b3-9040-4669-9ca3-6b94edb50553',
        'z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu',
      ),
    ).toBe('sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=');
  });
});

describe('isXCrcToken', () => {
  it('takes the tokens X sends and refuses text that could be a body to sign', () => {
    expect(isXCrcToken('9b4507b3-9040-4669-9ca3-6b94edb50553')).toBe(true);
    expect(isXCrcToken('LWNhYzQtNDkyYS1hYTAzLTA0Y2FlY2E0YjZiOA')).toBe(true);
    expect(isXCrcToken('YUsT0aLbF0VtFGcLCND1EU/aQP0sjPL19cPulVY7Wes=')).toBe(true);
    // The CRC answer is the delivery MAC: answering for a JSON body would forge its signature.
    expect(isXCrcToken(body(directMessageReceived).toString('utf8'))).toBe(false);
    expect(isXCrcToken('')).toBe(false);
    expect(isXCrcToken('a b')).toBe(false);
    expect(isXCrcToken('a'.repeat(257))).toBe(false);
  });
});

describe('verifyXSignature', () => {
  const raw = body(directMessageReceived);

  it('accepts the base64 HMAC-SHA256 of the raw body with the consumer secret', () => {
    expect(verifyXSignature(request(raw, sign(raw)), SECRET)).toEqual({ ok: true });
  });

  it('passes the published vectors of xdevplatform/autohook (test/signature.js)', () => {
    // https://github.com/xdevplatform/autohook/blob/master/test/signature.js, consumer secret "test"
    const vectors = [
      ['test=1&other_test=2', 'sha256=25Cu3iwbbiqBTwQRzcKJZwisjf736V2Q8UaTlkfLSoc='],
      [
        '{"test_number":1,"test_string":"two"}',
        'sha256=YWHphPn/JFq43jkF0y4/w8R/SelmLjvpunhVFY8JhlI=',
      ],
    ];
    for (const [payload, header] of vectors) {
      expect(verifyXSignature(request(Buffer.from(payload), header), 'test')).toEqual({ ok: true });
    }
  });

  it('rejects a tampered body and another secret', () => {
    const mismatch = { ok: false, reason: 'signature does not match the body' };
    const tampered = Buffer.from(raw.toString('utf8').replace('Hello World!', 'Hello World?'));
    expect(verifyXSignature(request(tampered, sign(raw)), SECRET)).toEqual(mismatch);
    expect(verifyXSignature(request(raw, sign(raw, 'other')), SECRET)).toEqual(mismatch);
  });

  it('names a missing or malformed header, and a missing secret', () => {
    expect(verifyXSignature(request(raw), SECRET)).toEqual({
      ok: false,
      reason: 'missing x-twitter-webhooks-signature header',
    });
    const sha1 = `sha1=${createHmac('sha1', SECRET).update(raw).digest('base64')}`;
    for (const header of [sign(raw).slice('sha256='.length), 'sha256=***', sha1]) {
      expect(verifyXSignature(request(raw, header), SECRET)).toEqual({
        ok: false,
        reason: 'malformed x-twitter-webhooks-signature header (expected sha256=<base64>)',
      });
    }
    expect(verifyXSignature(request(raw, sign(raw, '')), '')).toEqual({
      ok: false,
      reason: 'no consumer secret configured',
    });
  });
});

describe('parseXActivity: direct messages', () => {
  it('maps the documented DM to customer.replied on the account+sender contact', () => {
    expect(parseXActivity(body(directMessageReceived), { includePreview: true })).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'x:4337869213:954491830116155396',
          contactId: 'x:4337869213:dm:3001969357',
          channel: 'social',
          type: 'customer.replied',
          occurredAt: '2018-01-19T23:12:40.557Z',
          customer: { id: 'x:3001969357', handle: '@furiouscamper' },
          data: { preview: 'Hello World!' },
        },
      ],
    });
  });

  it("maps the sender's copy of the same DM to agent.replied on the sender's own contact", () => {
    expect(parseXActivity(body(directMessageSentCopy), { includePreview: true })).toEqual({
      kind: 'events',
      events: [
        {
          eventId: 'x:3001969357:954491830116155396',
          contactId: 'x:3001969357:dm:4337869213',
          channel: 'social',
          type: 'agent.replied',
          occurredAt: '2018-01-19T23:12:40.557Z',
          customer: { id: 'x:4337869213', handle: '@harris_0ff' },
        },
      ],
    });
  });
});

describe('parseXActivity: posts', () => {
  it('maps a mention from a customer to a public customer.replied', () => {
    expect(parseXActivity(body(mentionFromCustomer), {})).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `x:${TWITTERDEV_ID}:1307032310353682432`,
          contactId: `x:${TWITTERDEV_ID}:tweet:3001969357`,
          channel: 'social',
          type: 'customer.replied',
          occurredAt: '2020-09-18T19:02:41.000Z',
          customer: { id: 'x:3001969357', handle: '@furiouscamper' },
          data: { public: true },
        },
      ],
    });
  });

  it("maps the account's reply to agent.replied on the customer's thread (created_at parsed)", () => {
    expect(eventsOf(parseXActivity(body(replyByAccount), {}))).toEqual([
      {
        eventId: `x:${TWITTERDEV_ID}:1307036687298666496`,
        contactId: `x:${TWITTERDEV_ID}:tweet:3001969357`,
        channel: 'social',
        type: 'agent.replied',
        occurredAt: '2020-09-18T19:20:05.000Z',
        customer: { id: 'x:3001969357', handle: '@furiouscamper' },
      },
    ]);
  });

  it("ignores the account's own posts and self-threads, retweets and likes", () => {
    expect(parseXActivity(body(ownSelfReply), {})).toEqual({
      kind: 'ignored',
      reason: 'x post by the account itself',
    });
    const retweet = structuredClone(mentionFromCustomer);
    Object.assign(retweet.tweet_create_events[0], { retweeted_status: { id_str: '1' } });
    expect(parseXActivity(body(retweet), {})).toEqual({ kind: 'ignored', reason: 'x retweet' });
    expect(parseXActivity(body(favoriteEvent), {})).toEqual({
      kind: 'ignored',
      reason: 'x favorite_events',
    });
  });

  it('ignores a post that neither mentions nor replies to the account', () => {
    const unrelated = structuredClone(mentionFromCustomer);
    unrelated.tweet_create_events[0].in_reply_to_user_id_str = '42';
    unrelated.tweet_create_events[0].entities.user_mentions = [];
    expect(parseXActivity(body(unrelated), {})).toEqual({
      kind: 'ignored',
      reason: 'x post not addressed to the account',
    });
  });
});

describe('parseXActivity: deliveries it cannot map', () => {
  it('names bad JSON, unknown activities and a missing for_user_id', () => {
    expect(parseXActivity(Buffer.from('nope'), {})).toEqual({
      kind: 'malformed',
      reason: 'body is not JSON',
    });
    expect(parseXActivity(body({ for_user_id: '1', poll_events: [] }), {})).toEqual({
      kind: 'unmappable',
      reason: 'unknown X activity (keys: for_user_id, poll_events)',
    });
    const { for_user_id: _omitted, ...anonymous } = directMessageReceived;
    expect(parseXActivity(body(anonymous), {})).toEqual({
      kind: 'unmappable',
      reason: 'X activity without for_user_id',
    });
  });
});

describe('parseXActivity: every sample', () => {
  const samples = {
    directMessageReceived,
    directMessageSentCopy,
    mentionFromCustomer,
    replyByAccount,
  };

  it.each(Object.entries(samples))(
    '%s: a retried delivery gives the same eventIds',
    (_name, sample) => {
      const first = eventsOf(parseXActivity(body(sample), { includePreview: true }));
      const retry = eventsOf(parseXActivity(body(sample), { includePreview: true }));
      expect(retry.map((event) => event.eventId)).toEqual(first.map((event) => event.eventId));
    },
  );

  it.each(Object.entries(samples))(
    '%s: every event validates against the contract',
    (_name, sample) => {
      for (const event of eventsOf(parseXActivity(body(sample), { includePreview: true }))) {
        expect(validateContactEventInput(event)).toMatchObject({ ok: true });
      }
    },
  );

  it('keeps the copies of one DM for two subscribed accounts apart', () => {
    const [received] = eventsOf(parseXActivity(body(directMessageReceived), {}));
    const [sent] = eventsOf(parseXActivity(body(directMessageSentCopy), {}));
    expect(received.eventId).not.toBe(sent.eventId);
  });
});
