import { Logger } from '@nestjs/common';
import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { AppError } from '@replywatch/platform';

export interface PublisherOptions {
  /** Give up (and report Kafka unavailable) after this long; the caller may retry the same ids. */
  sendTimeoutMs: number;
  /** Wait this long for more messages before sending, so concurrent requests share one round trip. */
  lingerMs: number;
  maxBatchMessages: number;
}

interface Pending {
  topic: string;
  messages: Message[];
  settled: boolean;
  timer: NodeJS.Timeout;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What services depend on: publish and be told once it is stored (or why not). */
export interface MessagePublisher {
  publish(topic: string, messages: Message[]): Promise<void>;
  publishAll(batches: readonly { topic: string; messages: Message[] }[]): Promise<void>;
}

export class KafkaUnavailableError extends AppError {
  constructor(cause: string) {
    super('KAFKA.UNAVAILABLE', `Kafka did not acknowledge the write: ${cause}`, 503);
  }
}

/**
 * Idempotent, acks=all producer that batches: awaiting one `send` per message caps kafkajs near
 * 2k msg/s (kafkajs #772), so callers' messages are gathered for `lingerMs` and sent as one
 * `sendBatch`. One batch is in flight at a time, which keeps the idempotent sequence in order.
 * A caller's promise resolves only after Kafka acknowledged its messages.
 */
export class KafkaPublisher implements MessagePublisher {
  private readonly logger = new Logger(KafkaPublisher.name);
  private producer: Producer;
  private connecting: Promise<void> | undefined;
  private connected = false;
  private queue: Pending[] = [];
  private queuedMessages = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: PublisherOptions,
  ) {
    this.producer = this.createProducer();
  }

  private createProducer(): Producer {
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // The murmur2 partitioner (Java client compatible): the same contactId lands on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 2000 },
    });
    producer.on(producer.events.DISCONNECT, () => {
      if (producer === this.producer) this.connected = false;
    });
    return producer;
  }

  /**
   * After a failed write the idempotent producer's sequence numbers may no longer match the
   * broker's (a batch that landed on some partitions and not others): every later write would
   * then fail with OUT_OF_ORDER_SEQUENCE_NUMBER. A new producer starts a new sequence.
   */
  private async replaceProducer(): Promise<void> {
    const old = this.producer;
    this.producer = this.createProducer();
    this.connected = false;
    this.connecting = undefined;
    await old.disconnect().catch(() => undefined);
  }

  get isConnected(): boolean {
    return this.connected;
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    this.connecting ??= this.producer
      .connect()
      .then(() => {
        this.connected = true;
      })
      .finally(() => {
        this.connecting = undefined;
      });
    return this.connecting;
  }

  /**
   * Publish to one topic; resolves once Kafka acknowledged (acks=all). Rejects with 503 when that
   * does not happen within `sendTimeoutMs` of the call, so an HTTP caller never hangs. A rejected
   * write may still land later: callers retry with the same event ids, which consumers dedupe.
   */
  publish(topic: string, messages: Message[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new KafkaUnavailableError('publisher is shutting down'));
    return new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        topic,
        messages,
        settled: false,
        resolve,
        reject,
        timer: setTimeout(
          () =>
            settle(
              pending,
              new KafkaUnavailableError(
                `no acknowledgement within ${this.options.sendTimeoutMs} ms`,
              ),
            ),
          this.options.sendTimeoutMs,
        ),
      };
      this.queue.push(pending);
      this.queuedMessages += messages.length;
      this.schedule();
    });
  }

  /** Publish to several topics at once (e.g. SLA events and dead letters of one consumed batch). */
  async publishAll(batches: readonly { topic: string; messages: Message[] }[]): Promise<void> {
    await Promise.all(batches.map((batch) => this.publish(batch.topic, batch.messages)));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.flush();
    await this.inFlight;
    await this.producer.disconnect().catch(() => undefined);
  }

  private schedule(): void {
    if (this.inFlight) return; // the running send picks the queue up when it finishes
    if (this.queuedMessages >= this.options.maxBatchMessages) {
      void this.flush();
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.options.lingerMs);
  }

  private async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight || this.queue.length === 0) return;
    const batch = this.takeBatch();
    this.inFlight = this.send(batch).finally(() => {
      this.inFlight = undefined;
      if (this.queue.length > 0) this.schedule();
    });
    await this.inFlight;
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    let count = 0;
    while (
      this.queue.length > 0 &&
      (count === 0 || count + this.queue[0].messages.length <= this.options.maxBatchMessages)
    ) {
      const next = this.queue.shift()!;
      this.queuedMessages -= next.messages.length;
      if (next.settled) continue; // its caller already got a 503: do not write it behind their back
      count += next.messages.length;
      batch.push(next);
    }
    return batch;
  }

  /** One sendBatch at a time, awaited to the end even after callers timed out (keeps order). */
  private async send(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const pending of batch) {
      const list = byTopic.get(pending.topic) ?? [];
      list.push(...pending.messages);
      byTopic.set(pending.topic, list);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({
      topic,
      messages,
    }));
    try {
      await this.connect();
      await this.producer.sendBatch({
        topicMessages,
        acks: -1,
        timeout: this.options.sendTimeoutMs,
        compression: CompressionTypes.None,
      });
      batch.forEach((pending) => settle(pending));
    } catch (error) {
      const message = (error as Error).message;
      this.logger.warn(`publish of ${batch.length} request(s) failed: ${message}`);
      const failure = new KafkaUnavailableError(message);
      batch.forEach((pending) => settle(pending, failure));
      await this.replaceProducer();
    }
  }
}

function settle(pending: Pending, error?: Error): void {
  if (pending.settled) return;
  pending.settled = true;
  clearTimeout(pending.timer);
  if (error) pending.reject(error);
  else pending.resolve();
}
