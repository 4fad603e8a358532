import { Kafka, logLevel } from 'kafkajs';
import type { Consumer, IHeaders } from 'kafkajs';
import { uniqueId } from './unique';

export interface TappedMessage {
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export const TEST_KAFKA_BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

/** Reads a topic from the beginning into memory, so a test can assert on what was published. */
export class KafkaTap {
  readonly messages: TappedMessage[] = [];
  private consumer: Consumer | undefined;

  constructor(
    private readonly topic: string,
    private readonly brokers: string = TEST_KAFKA_BROKERS.join(','),
  ) {}

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'test-tap',
      brokers: this.brokers.split(','),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: uniqueId('tap'), allowAutoTopicCreation: false });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    } catch (error) {
      await consumer.disconnect();
      throw error;
    }
    this.consumer = consumer;
    await consumer.run({
      eachMessage: async ({ message }) => {
        this.messages.push({
          key: message.key?.toString() ?? null,
          value: message.value,
          headers: stringHeaders(message.headers),
        });
      },
    });
  }

  json<T>(): T[] {
    return this.messages.map((message) => JSON.parse(message.value?.toString() ?? 'null') as T);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return out;
}
