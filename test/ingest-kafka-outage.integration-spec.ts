import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent } from '@replywatch/contracts';
import { DedicatedKafka, freePort } from './support/dedicated-kafka';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/** Ingest never answers 202 for an event Kafka did not store: it says 503 and the connector retries. */
describe('ingest while Kafka is down', () => {
  const policies = { policies: [{ id: 'default', targets: { first_response: '1h' } }] };
  const event = () => {
    const contactId = uniqueId('phone-');
    return {
      eventId: `${contactId}-missed`,
      type: 'call.missed',
      contactId,
      channel: 'phone',
      occurredAt: new Date().toISOString(),
    };
  };
  const post = (url: string, body: unknown) => postEvents(url, body);

  it('answers 503 with a reason when no broker is reachable, and /health says so', async () => {
    const deadPort = await freePort();
    const stack = await startStack(policies, ['ingest'], {
      KAFKA_BROKERS: `127.0.0.1:${deadPort}`,
      INGEST_PUBLISH_TIMEOUT_MS: '1500',
    });
    try {
      const response = await post(stack.urls.ingest!, event());
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('KAFKA.UNAVAILABLE');
      const health = await fetch(`${stack.urls.ingest}/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        status: 'degraded',
        checks: { kafka: { status: 'down' } },
      });
    } finally {
      await stack.close();
    }
  });

  it('stores every event it answered 202 for across a broker stop and restart', async () => {
    const kafka = new DedicatedKafka();
    await kafka.start();
    const stack = await startStack(policies, ['ingest'], {
      KAFKA_BROKERS: kafka.brokers,
      INGEST_PUBLISH_TIMEOUT_MS: '2000',
    });
    const accepted: string[] = [];
    const refused: string[] = [];
    const send = async () => {
      const body = event();
      const response = await post(stack.urls.ingest!, body);
      (response.status === 202 ? accepted : refused).push(body.eventId);
      return response.status;
    };
    try {
      await waitFor('ingest ready on the dedicated broker', async () => (await send()) === 202, {
        timeoutMs: 60000,
      });
      expect(await send()).toBe(202);

      await kafka.stop();
      const refusedBefore = refused.length;
      expect(await send()).toBe(503);
      expect(await send()).toBe(503);
      expect(refused.length).toBe(refusedBefore + 2);

      await kafka.start();
      await waitFor(
        'ingest accepting again after the restart',
        async () => (await send()) === 202,
        {
          timeoutMs: 60000,
        },
      );

      const tap = new KafkaTap(topicName(Topic.ContactEvents, stack.topicPrefix), kafka.brokers);
      // Right after a restart the broker may still be loading the topic's metadata.
      await waitFor('a consumer on the restarted broker', () => tap.start().then(() => true));
      try {
        await waitFor('every accepted event on Kafka', () => {
          const ids = new Set(tap.json<ContactEvent>().map((e) => e.eventId));
          return accepted.every((id) => ids.has(id));
        });
      } finally {
        await tap.stop();
      }
      expect(accepted.length).toBeGreaterThanOrEqual(3);
      console.warn(
        `kafka outage: ${accepted.length} accepted and stored, ${refused.length} refused with 503`,
      );
    } finally {
      await stack.close().catch(() => undefined);
      await kafka.destroy();
    }
  }, 180000);
});
