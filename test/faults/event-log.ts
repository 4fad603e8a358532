import { Kafka, logLevel } from 'kafkajs';
import type { Consumer } from 'kafkajs';
import { uniqueId } from '../support/unique';

/**
 * Everything a topic carries, from the beginning, parsed once as it arrives (a KafkaTap for big
 * volumes). The consumer restarts itself when the broker goes away, so a redelivered message may
 * be seen twice: readers count distinct event ids.
 */
export class EventLog<T extends { eventId: string; contactId: string }> {
  readonly events: T[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly topic: string,
    private readonly brokers: string,
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'fault-event-log',
      brokers: [this.brokers],
      logLevel: logLevel.NOTHING,
      retry: { initialRetryTime: 300, maxRetryTime: 3000, retries: 1000 },
    });
    const consumer = kafka.consumer({
      groupId: uniqueId('fault-log'),
      allowAutoTopicCreation: false,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          if (message.value !== null) this.events.push(JSON.parse(message.value.toString()) as T);
        }
      },
    });
    this.consumer = consumer;
  }

  /** This case's events (contact ids start with its prefix). */
  of(prefix: string): T[] {
    return this.events.filter((event) => event.contactId.startsWith(prefix));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
  }
}
