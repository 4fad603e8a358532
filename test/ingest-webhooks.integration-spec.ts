import { createHmac } from 'node:crypto';
import { DEAD_LETTER_HEADERS, Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent } from '@replywatch/contracts';
import { signGenericBody, xCrcResponse } from '@replywatch/connectors';
import {
  messengerMessages,
  messengerReceipts,
} from '../libs/connectors/src/meta/fixtures/messenger.fixtures';
import { INBOUND_NO_ANSWER_STATUS_CALLBACK } from '../libs/connectors/src/twilio-voice/fixtures/twilio-voice.fixtures';
import { ticketCreated } from '../libs/connectors/src/zendesk/fixtures/zendesk-events.fixtures';
import { AMI_QUEUE_CALLER_ABANDON } from '../libs/connectors/src/pbx/fixtures/asterisk.fixtures';
import { KafkaTap } from './support/kafka-tap';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait-for';

const SECRETS = {
  metaA: 'meta-app-secret-brand-a',
  metaB: 'meta-app-secret-brand-b',
  verifyToken: 'verify-token-brand-a',
  twilio: 'twilio-auth-token-0001',
  zendesk: 'zendesk-signing-secret-01',
  x: 'x-consumer-secret-00001',
  sendgrid: 'sendgrid-url-token-0001',
  pbx: 'pbx-shared-secret-0001',
  connector: 'signed-connector-secret-01',
};

const ACCOUNTS = {
  accounts: [
    {
      provider: 'meta',
      account: 'brand-a',
      appSecret: SECRETS.metaA,
      verifyToken: SECRETS.verifyToken,
    },
    {
      provider: 'meta',
      account: 'brand-b',
      appSecret: SECRETS.metaB,
      verifyToken: 'verify-token-brand-b',
    },
    { provider: 'twilio', account: 'main', authToken: SECRETS.twilio },
    { provider: 'zendesk', account: 'main', signingSecret: SECRETS.zendesk },
    { provider: 'x', account: 'main', consumerSecret: SECRETS.x },
    {
      provider: 'sendgrid',
      account: 'inbound',
      urlToken: SECRETS.sendgrid,
      supportAddresses: ['support@example.com'],
    },
    { provider: 'pbx', account: 'office', signingSecrets: [SECRETS.pbx], defaultCountry: 'US' },
  ],
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const metaSignature = (body: Buffer, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

interface ErrorBody {
  error: { code: string; message: string };
}

/** Provider webhooks against a real Kafka: authentic deliveries land, nothing forged does. */
describe('ingest provider webhooks', () => {
  let stack: Stack;
  let events: KafkaTap;
  let deadLetters: KafkaTap;

  beforeAll(async () => {
    stack = await startStack(
      { policies: [{ id: 'default', targets: { first_response: '1h' } }] },
      ['ingest'],
      {
        WEBHOOK_ACCOUNTS: JSON.stringify(ACCOUNTS),
        CONNECTOR_SIGNING_SECRETS: `office-relay=${SECRETS.connector}`,
      },
    );
    // Ingest creates its topics in the background: ready once an authentic delivery is accepted.
    await waitFor('ingest to accept webhooks', async () => {
      const response = await postMeta('brand-a', json(messengerMessages), SECRETS.metaA);
      return response.status === 202;
    });
    events = new KafkaTap(topicName(Topic.ContactEvents, stack.topicPrefix));
    deadLetters = new KafkaTap(topicName(Topic.ContactEventsDeadLetter, stack.topicPrefix));
    await Promise.all([events.start(), deadLetters.start()]);
  });

  afterAll(async () => {
    await events?.stop();
    await deadLetters?.stop();
    await stack?.close();
  });

  const url = (path: string) => `${stack.urls.ingest!}${path}`;

  function postMeta(account: string, body: Buffer, secret: string | null): Promise<Response> {
    return fetch(url(`/v1/webhooks/meta/${account}`), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(secret === null ? {} : { 'x-hub-signature-256': metaSignature(body, secret) }),
      },
      body,
    });
  }

  const stored = () => events.json<ContactEvent>();

  async function expectRefused(response: Response, status: number, code: string) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe(code);
    return body.error.message;
  }

  it('publishes an authentic delivery, keyed per account, and a provider retry keeps its ids', async () => {
    const first = await postMeta('brand-a', json(messengerMessages), SECRETS.metaA);
    const retry = await postMeta('brand-a', json(messengerMessages), SECRETS.metaA);
    expect(first.status).toBe(202);
    const accepted = (await first.json()) as { status: string; eventIds: string[] };
    expect(accepted.status).toBe('accepted');
    expect(accepted.eventIds.length).toBeGreaterThan(0);
    expect(((await retry.json()) as { eventIds: string[] }).eventIds).toEqual(accepted.eventIds);
    const ids = new Set(accepted.eventIds);
    const published = await waitFor('the events on contact-events', () => {
      const found = stored().filter((event) => ids.has(event.eventId));
      return found.length >= ids.size ? found : undefined;
    });
    expect(new Set(published.map((event) => event.source))).toEqual(new Set(['meta:brand-a']));
    expect(published.every((event) => event.channel === 'social')).toBe(true);
  });

  it('answers 401 for a wrong secret, another account’s secret, a tampered body or no signature', async () => {
    // Ids no authentic delivery uses, so "nothing forged was forwarded" does not depend on timing.
    const body = Buffer.from(JSON.stringify(messengerMessages).replaceAll('"mid.', '"mid.forged-'));
    await expectRefused(
      await postMeta('brand-a', body, 'not-the-secret'),
      401,
      'INGEST.SIGNATURE_INVALID',
    );
    // Each account has its own secret: brand-b's secret does not open brand-a.
    await expectRefused(
      await postMeta('brand-a', body, SECRETS.metaB),
      401,
      'INGEST.SIGNATURE_INVALID',
    );
    expect((await postMeta('brand-b', body, SECRETS.metaB)).status).toBe(202);
    const tampered = Buffer.from(body.toString().replace('hello, world!', 'hello, there!'));
    const forged = await fetch(url('/v1/webhooks/meta/brand-a'), {
      method: 'POST',
      headers: { 'x-hub-signature-256': metaSignature(body, SECRETS.metaA) },
      body: tampered,
    });
    expect(await expectRefused(forged, 401, 'INGEST.SIGNATURE_INVALID')).toMatch(/does not match/);
    expect(
      await expectRefused(await postMeta('brand-a', body, null), 401, 'INGEST.SIGNATURE_INVALID'),
    ).toMatch(/missing x-hub-signature-256/);

    const metrics = await (await fetch(url('/metrics'))).text();
    const line = metrics
      .split('\n')
      .find(
        (l) =>
          l.startsWith('replywatch_ingest_requests_rejected_total{') &&
          l.includes('source="meta:brand-a"') &&
          l.includes('INGEST.SIGNATURE_INVALID'),
      );
    expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(4);
    // Only brand-b's authentic delivery went on: nothing forged was forwarded.
    await waitFor('brand-b events', () =>
      stored().some((event) => event.source === 'meta:brand-b'),
    );
    const forgedIds = stored().filter((event) => event.eventId.includes('mid.forged-'));
    expect(forgedIds.every((event) => event.source === 'meta:brand-b')).toBe(true);
    expect(forgedIds.length).toBeGreaterThan(0);
  });

  it('refuses a stale Zendesk timestamp (replay window) and accepts a fresh one', async () => {
    const body = json(ticketCreated);
    const sign = (timestamp: string) =>
      createHmac('sha256', SECRETS.zendesk).update(timestamp).update(body).digest('base64');
    const post = (timestamp: string) =>
      fetch(url('/v1/webhooks/zendesk/main'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-zendesk-webhook-signature': sign(timestamp),
          'x-zendesk-webhook-signature-timestamp': timestamp,
        },
        body,
      });
    const stale = new Date(Date.now() - 10 * 60_000).toISOString();
    await expectRefused(await post(stale), 401, 'INGEST.SIGNATURE_INVALID');
    const fresh = await post(new Date().toISOString());
    expect(fresh.status).toBe(202);
    expect(((await fresh.json()) as { status: string }).status).toBe('accepted');
  });

  it('checks Twilio’s signature over the full URL and answers with empty TwiML', async () => {
    const path = '/v1/webhooks/twilio/main?attempt=1';
    const params = new URLSearchParams(INBOUND_NO_ANSWER_STATUS_CALLBACK);
    const signed = [...params.keys()]
      .sort()
      .map((name) => name + params.get(name))
      .join('');
    const signature = createHmac('sha1', SECRETS.twilio)
      .update(url(path) + signed)
      .digest('base64');
    const post = (sig: string) =>
      fetch(url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': sig },
        body: INBOUND_NO_ANSWER_STATUS_CALLBACK,
      });
    await expectRefused(
      await post(signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))),
      401,
      'INGEST.SIGNATURE_INVALID',
    );
    const response = await post(signature);
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await response.text()).toContain('<Response/>');
    const missed = await waitFor('the missed call', () =>
      stored().find((event) => event.source === 'twilio:main'),
    );
    expect(missed).toMatchObject({
      type: 'call.missed',
      channel: 'phone',
      contactId: 'twilio:main:+14155551212',
    });
  });

  it('answers 400 with the reason for a body that is not the provider’s format', async () => {
    const body = Buffer.from('{"object":');
    const message = await expectRefused(
      await postMeta('brand-a', body, SECRETS.metaA),
      400,
      'INGEST.MALFORMED_PAYLOAD',
    );
    expect(message).toBe('body is not JSON');
  });

  it('dead-letters an authentic delivery it cannot map, with the raw bytes and the reason', async () => {
    const body = json({ object: 'user', entry: [{ id: '1', time: 1, changes: [] }] });
    const response = await postMeta('brand-a', body, SECRETS.metaA);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      status: 'dead-lettered',
      accepted: 0,
      reason: "unsupported webhook object 'user'",
    });
    const letter = await waitFor('the dead letter', () =>
      deadLetters.messages.find((m) => m.headers['x-dlq-provider'] === 'meta'),
    );
    expect(letter.value?.equals(body)).toBe(true);
    expect(letter.key).toBe('meta:brand-a');
    expect(letter.headers).toMatchObject({
      [DEAD_LETTER_HEADERS.reasonCode]: 'INGEST.UNMAPPABLE',
      [DEAD_LETTER_HEADERS.reason]: "unsupported webhook object 'user'",
      [DEAD_LETTER_HEADERS.sourceTopic]: 'webhook:meta/brand-a',
      [DEAD_LETTER_HEADERS.service]: 'ingest',
      'x-dlq-account': 'brand-a',
      'x-dlq-content-type': 'application/json',
    });
  });

  it('answers 202 "ignored" for an authentic delivery with nothing to track', async () => {
    const response = await postMeta('brand-a', json(messengerReceipts), SECRETS.metaA);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'ignored', accepted: 0 });
  });

  it('answers the GET handshakes: Meta’s hub.challenge and X’s CRC', async () => {
    const challenge = await fetch(
      url(
        `/v1/webhooks/meta/brand-a?hub.mode=subscribe&hub.verify_token=${SECRETS.verifyToken}&hub.challenge=1158201444`,
      ),
    );
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toBe('1158201444');
    const wrong = await fetch(
      url('/v1/webhooks/meta/brand-a?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1'),
    );
    await expectRefused(wrong, 403, 'INGEST.CHALLENGE_REFUSED');
    const crc = await fetch(url('/v1/webhooks/x/main?crc_token=abc123'));
    expect(await crc.json()).toEqual({ response_token: xCrcResponse('abc123', SECRETS.x) });
    await expectRefused(await fetch(url('/v1/webhooks/twilio/main')), 405, 'INGEST.NO_HANDSHAKE');
  });

  it('answers 404 for an unknown provider or account, and 401 without SendGrid’s URL token', async () => {
    await expectRefused(
      await postMeta('brand-z', json(messengerMessages), SECRETS.metaA),
      404,
      'INGEST.UNKNOWN_ACCOUNT',
    );
    const unknown = await fetch(url('/v1/webhooks/myspace/main'), { method: 'POST', body: '{}' });
    await expectRefused(unknown, 404, 'INGEST.UNKNOWN_PROVIDER');
    const sendgrid = await fetch(url('/v1/webhooks/sendgrid/inbound?token=wrong-token-123'), {
      method: 'POST',
      body: 'x',
    });
    await expectRefused(sendgrid, 401, 'INGEST.SIGNATURE_INVALID');
  });

  it('takes PBX events and generic events signed with X-Replywatch-Signature, within the replay window', async () => {
    const pbxBody = json({ ...AMI_QUEUE_CALLER_ABANDON, Timestamp: String(Date.now() / 1000) });
    const postPbx = (timestamp: number) =>
      fetch(url('/v1/webhooks/pbx/office'), {
        method: 'POST',
        headers: {
          'x-replywatch-timestamp': String(timestamp),
          'x-replywatch-signature': signGenericBody(pbxBody, SECRETS.pbx, timestamp),
        },
        body: pbxBody,
      });
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(await postPbx(now - 3600), 401, 'INGEST.SIGNATURE_INVALID');
    expect((await postPbx(now)).status).toBe(202);
    await waitFor('the abandoned call', () =>
      stored().find((event) => event.source === 'pbx:office' && event.type === 'call.abandoned'),
    );

    const event = json({
      eventId: 'relay-1-open',
      type: 'contact.opened',
      contactId: 'relay-1',
      channel: 'chat',
      occurredAt: new Date().toISOString(),
    });
    const postSigned = (source: string, secret: string) =>
      fetch(url('/v1/events'), {
        method: 'POST',
        headers: {
          'x-replywatch-source': source,
          'x-replywatch-timestamp': String(now),
          'x-replywatch-signature': signGenericBody(event, secret, now),
        },
        body: event,
      });
    await expectRefused(
      await postSigned('office-relay', 'wrong-secret-000001'),
      401,
      'INGEST.SIGNATURE_INVALID',
    );
    await expectRefused(
      await postSigned('someone-else', SECRETS.connector),
      401,
      'INGEST.SIGNATURE_INVALID',
    );
    const accepted = await postSigned('office-relay', SECRETS.connector);
    expect(accepted.status).toBe(202);
    expect(await accepted.json()).toEqual({ accepted: 1, eventIds: ['relay-1-open'] });
    const published = await waitFor('the signed event', () =>
      stored().find((e) => e.eventId === 'relay-1-open'),
    );
    expect(published.source).toBe('office-relay');
  });

  it('serves the contact event JSON Schema', async () => {
    const response = await fetch(url('/v1/events/schema'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/schema\+json/);
    const schema = (await response.json()) as { $schema: string; oneOf: unknown[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.oneOf.length).toBe(11);
  });
});
