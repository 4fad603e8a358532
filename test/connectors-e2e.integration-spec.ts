import { createHmac } from 'node:crypto';
import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent, SlaEvent } from '@replywatch/contracts';
import { urlEncoded } from '../libs/connectors/src/email/fixtures/request-bodies';
import {
  ROUTE_SAMPLE,
  ROUTE_SAMPLE_FIELDS,
} from '../libs/connectors/src/email/fixtures/mailgun.fixtures';
import { userCreated } from '../libs/connectors/src/intercom/fixtures/intercom-notifications.fixtures';
import { whatsappTextMessage } from '../libs/connectors/src/meta/fixtures/whatsapp.fixtures';
import { INBOUND_NO_ANSWER_STATUS_CALLBACK } from '../libs/connectors/src/twilio-voice/fixtures/twilio-voice.fixtures';
import { KafkaTap } from './support/kafka-tap';
import { startStack } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait-for';

const SECRETS = {
  twilio: 'e2e-twilio-auth-token',
  mailgun: 'e2e-mailgun-signing-key',
  intercom: 'e2e-intercom-client-secret',
  meta: 'e2e-meta-app-secret',
};

/**
 * One provider per channel, end to end: the provider's documented payload, signed as the provider
 * signs it → ingest → Kafka → SLA (Redis, BullMQ) → Kafka → escalation (Postgres) → alert e-mail.
 * The documented samples are years old, so each contact is already past its 2 s target when it
 * arrives: the breach follows at once.
 */
describe('connectors end to end: a provider payload nobody answers ends in an alert e-mail', () => {
  let stack: Stack;
  let contactEvents: KafkaTap;
  let slaEvents: KafkaTap;

  beforeAll(async () => {
    stack = await startStack(
      { policies: [{ id: 'fast', targets: { first_response: '2s', callback: '2s' } }] },
      ['ingest', 'sla', 'escalation'],
      {
        WEBHOOK_ACCOUNTS: JSON.stringify({
          accounts: [
            { provider: 'twilio', account: 'main', authToken: SECRETS.twilio },
            {
              provider: 'mailgun',
              account: 'support',
              signingKey: SECRETS.mailgun,
              supportAddresses: ['help@example.com'],
            },
            { provider: 'intercom', account: 'main', clientSecret: SECRETS.intercom },
            {
              provider: 'meta',
              account: 'main',
              appSecret: SECRETS.meta,
              verifyToken: 'e2e-verify',
            },
          ],
        }),
      },
    );
    contactEvents = new KafkaTap(topicName(Topic.ContactEvents, stack.topicPrefix));
    slaEvents = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    await Promise.all([contactEvents.start(), slaEvents.start()]);
  });

  afterAll(async () => {
    await contactEvents?.stop();
    await slaEvents?.stop();
    await stack?.close();
  });

  const url = (path: string) => `${stack.urls.ingest!}${path}`;

  /** Post until ingest's topics exist (it creates them in the background at start). */
  async function deliver(path: string, body: Buffer | string, headers: Record<string, string>) {
    const response = await waitFor(`ingest to accept ${path}`, async () => {
      const answer = await fetch(url(path), { method: 'POST', headers, body });
      return answer.status === 503 ? undefined : answer;
    });
    expect(response.status).toBe(202);
    return response;
  }

  /** The published contact event of this source, its breach, its alert row and its e-mail. */
  async function expectAlerted(source: string, channel: string) {
    const event = await waitFor(`the ${source} contact event`, () =>
      contactEvents.json<ContactEvent>().find((e) => e.source === source),
    );
    expect(event.channel).toBe(channel);
    const breach = await waitFor(`sla.breached for ${event.contactId}`, () =>
      slaEvents
        .json<SlaEvent>()
        .find((e) => e.contactId === event.contactId && e.type === 'sla.breached'),
    );
    const alert = await waitFor(`the alert row of ${event.contactId}`, async () => {
      const rows = await stack.db.query<{ id: string; channel: string }>(
        `SELECT id, channel FROM "${stack.id}".alert WHERE contact_id = $1`,
        [event.contactId],
      );
      return rows.rows[0];
    });
    expect(alert.channel).toBe(channel);
    const mail = await waitFor(`the alert e-mail of ${event.contactId}`, () =>
      stack.smtp.received.find((m) => m.raw.includes(alert.id)),
    );
    expect(mail.subject).toContain(`No reply: ${channel} contact`);
    return { event, breach };
  }

  it('phone: a Twilio call that rang out (no-answer status callback)', async () => {
    const path = '/v1/webhooks/twilio/main';
    const params = new URLSearchParams(INBOUND_NO_ANSWER_STATUS_CALLBACK);
    const payload = [...params.keys()]
      .sort()
      .map((name) => name + params.get(name))
      .join('');
    const signature = createHmac('sha1', SECRETS.twilio)
      .update(url(path) + payload)
      .digest('base64');
    await deliver(path, INBOUND_NO_ANSWER_STATUS_CALLBACK, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    });
    const { event, breach } = await expectAlerted('twilio:main', 'phone');
    expect(event).toMatchObject({ type: 'call.missed', customer: { phone: '+14155551212' } });
    expect(breach.target).toBe('callback');
  });

  it('email: a Mailgun inbound route post', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', SECRETS.mailgun)
      .update(timestamp + ROUTE_SAMPLE.token)
      .digest('hex');
    const fields = ROUTE_SAMPLE_FIELDS.map(([name, value]): [string, string] =>
      name === 'timestamp'
        ? [name, timestamp]
        : name === 'signature'
          ? [name, signature]
          : [name, value],
    );
    await deliver('/v1/webhooks/mailgun/support', urlEncoded(fields), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    const { event, breach } = await expectAlerted('mailgun:support', 'email');
    expect(event.customer?.email).toMatch(/^bob@/);
    expect(breach.target).toBe('first_response');
  });

  it('chat: an Intercom conversation a user started', async () => {
    const body = Buffer.from(JSON.stringify(userCreated));
    const signature = `sha1=${createHmac('sha1', SECRETS.intercom).update(body).digest('hex')}`;
    await deliver('/v1/webhooks/intercom/main', body, {
      'content-type': 'application/json',
      'x-hub-signature': signature,
    });
    const { event } = await expectAlerted('intercom:main', 'chat');
    expect(event.type).toBe('contact.opened');
  });

  it('social: a WhatsApp Cloud API message through the Meta webhook', async () => {
    const body = Buffer.from(JSON.stringify(whatsappTextMessage));
    const signature = `sha256=${createHmac('sha256', SECRETS.meta).update(body).digest('hex')}`;
    await deliver('/v1/webhooks/meta/main', body, {
      'content-type': 'application/json',
      'x-hub-signature-256': signature,
    });
    const { event } = await expectAlerted('meta:main', 'social');
    expect(event.customer?.phone).toMatch(/^\+\d+$/);
  });
});
