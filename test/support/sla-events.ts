import { Kafka, logLevel } from 'kafkajs';
import type { Producer } from 'kafkajs';
import { Topic, topicName } from '@replywatch/contracts';
import type { SlaEvent } from '@replywatch/contracts';
import { TEST_KAFKA_BROKERS } from './kafka-tap';

/**
 * Publishes SLA events straight onto sla-events.v1, as the SLA service would: the escalation
 * service is then tested at its own boundary, with exact due instants.
 */
export class SlaEventProducer {
  private producer: Producer | undefined;

  constructor(private readonly topicPrefix: string) {}

  async publish(events: SlaEvent[]): Promise<void> {
    if (this.producer === undefined) {
      const kafka = new Kafka({
        clientId: 'test-sla-events',
        brokers: TEST_KAFKA_BROKERS,
        logLevel: logLevel.NOTHING,
      });
      this.producer = kafka.producer({ allowAutoTopicCreation: false });
      await this.producer.connect();
    }
    await this.producer.send({
      topic: topicName(Topic.SlaEvents, this.topicPrefix),
      acks: -1,
      messages: events.map((event) => ({ key: event.contactId, value: JSON.stringify(event) })),
    });
  }

  async close(): Promise<void> {
    await this.producer?.disconnect();
  }
}

/** An `sla.breached` (or other type) event for a contact, due now unless told otherwise. */
export function slaEvent(
  contactId: string,
  policyId: string,
  overrides: Partial<SlaEvent> = {},
): SlaEvent {
  const now = Date.now();
  return {
    eventId: `${contactId}:first_response:1:${overrides.type ?? 'sla.breached'}`,
    type: 'sla.breached',
    schemaVersion: 1,
    contactId,
    channel: 'chat',
    source: 'test-connector',
    priority: 'normal',
    target: 'first_response',
    policyId,
    policyVersion: 1,
    startedAt: new Date(now - 600000).toISOString(),
    dueAt: new Date(now).toISOString(),
    occurredAt: new Date(now).toISOString(),
    emittedAt: new Date(now).toISOString(),
    elapsedSeconds: 600,
    ...overrides,
  };
}
