import { Logger } from '@nestjs/common';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { lastValueFrom } from 'rxjs';
import { backoffMs, delay } from '@replywatch/platform';
import { ensureTopicsWithRetry } from './ensure-topics';
import type { TopicSpec } from './topic-spec';

/** What an `@EventPattern(Topic.X)` handler receives: a slice of one partition, in order. */
export interface KafkaMessageBatch {
  topic: string;
  partition: number;
  messages: ReadonlyArray<{
    offset: string;
    key: Buffer | null;
    value: Buffer | null;
    headers?: Record<string, unknown>;
    timestamp: string;
  }>;
}

export interface KafkaBatchServerOptions {
  kafka: Kafka;
  groupId: string;
  /** Logical pattern (unprefixed topic, as in `@EventPattern`) → real topic name. */
  subscriptions: Record<string, string>;
  /** Topics to create at start (idempotent). */
  topics: readonly TopicSpec[];
  maxBatchSize: number;
  partitionsConsumedConcurrently: number;
  sessionTimeoutMs?: number;
  /** Called after each commit with how many messages of the partition are still unread. */
  onLag?: (topic: string, partition: number, lag: number) => void;
}

/**
 * A Nest transport over kafkajs `eachBatch` with explicit commits: a handler gets a chunk of one
 * partition, and its offsets are committed only after the handler resolved (i.e. after the Redis or
 * Postgres write). A throwing handler is retried with capped backoff and the partition waits,
 * never skipping a message: handlers decide permanent failures themselves by dead-lettering them.
 * (Nest's built-in Kafka transport commits per message and blocks on unhandled errors, nestjs#14664.)
 */
export class KafkaBatchServer extends Server implements CustomTransportStrategy {
  protected override readonly logger = new Logger(KafkaBatchServer.name);
  private consumer: Consumer | undefined;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private joined = false;
  private readonly patternByTopic: Map<string, string>;

  constructor(private readonly options: KafkaBatchServerOptions) {
    super();
    this.patternByTopic = new Map(
      Object.entries(options.subscriptions).map(([pattern, topic]) => [topic, pattern]),
    );
  }

  /** True once the consumer joined its group (for health checks and tests). */
  get isConsuming(): boolean {
    return this.joined;
  }

  listen(callback: (...optionalParams: unknown[]) => void): void {
    for (const pattern of Object.keys(this.options.subscriptions)) {
      if (!this.getHandlerByPattern(pattern))
        throw new Error(`no @EventPattern handler for ${pattern}`);
    }
    // Kafka may be down at boot: keep trying in the background and let /health say so.
    this.running = this.startWithRetry();
    callback();
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.consumer?.disconnect().catch(() => undefined);
    await this.running;
  }

  on(): never {
    throw new Error('KafkaBatchServer does not emit transport events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  private async startWithRetry(): Promise<void> {
    await ensureTopicsWithRetry(
      this.options.kafka,
      this.options.topics,
      this.abort.signal,
      (error, attempt) =>
        this.logger.warn(`Kafka topics not ready (attempt ${attempt + 1}): ${error.message}`),
    );
    for (let attempt = 0; !this.abort.signal.aborted; attempt += 1) {
      try {
        await this.start();
        return;
      } catch (error) {
        this.logger.warn(
          `Kafka consumer could not start (attempt ${attempt + 1}): ${(error as Error).message}`,
        );
        await this.consumer?.disconnect().catch(() => undefined);
        await delay(backoffMs(attempt, 500, 10000), this.abort.signal);
      }
    }
  }

  private async start(): Promise<void> {
    if (this.abort.signal.aborted) return;
    const consumer = this.options.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30000,
      heartbeatInterval: 3000,
      allowAutoTopicCreation: false,
      maxBytesPerPartition: 1048576,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      this.joined = false;
      this.logger.error(
        `consumer crashed: ${event.payload.error.message} (restart: ${String(event.payload.restart)})`,
      );
    });
    consumer.on(consumer.events.STOP, () => {
      this.joined = false;
    });
    await consumer.connect();
    // A new group starts at the earliest offset, so nothing published before first start is missed.
    await consumer.subscribe({ topics: [...this.patternByTopic.keys()], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale, resolveOffset } = payload;
    const pattern = this.patternByTopic.get(batch.topic);
    const handler = pattern === undefined ? null : this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for topic ${batch.topic}`);
    const size = this.options.maxBatchSize;
    for (let start = 0; start < batch.messages.length; start += size) {
      const messages = batch.messages.slice(start, start + size);
      const chunk: KafkaMessageBatch = { topic: batch.topic, partition: batch.partition, messages };
      for (let attempt = 0; ; attempt += 1) {
        if (!isRunning() || isStale()) return; // rebalanced away: the new owner re-reads from the commit
        try {
          await lastValueFrom(this.transformToObservable(await handler(chunk)), {
            defaultValue: undefined,
          });
          break;
        } catch (error) {
          this.logger.warn(
            `handler for ${batch.topic}[${batch.partition}] failed (attempt ${attempt + 1}), will retry: ${(error as Error).message}`,
          );
          await heartbeat().catch(() => undefined);
          await delay(backoffMs(attempt, 200, 5000), this.abort.signal);
        }
      }
      const last = messages[messages.length - 1].offset;
      resolveOffset(last);
      await this.consumer!.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() },
      ]);
      this.options.onLag?.(
        batch.topic,
        batch.partition,
        Math.max(0, Number(BigInt(batch.highWatermark) - BigInt(last) - 1n)),
      );
      await heartbeat();
    }
  }
}
