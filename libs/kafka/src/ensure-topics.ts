import type { Kafka } from 'kafkajs';
import { backoffMs, delay } from '@replywatch/platform';
import type { TopicSpec } from './topic-spec';

/** Create missing topics; existing ones are left as they are, so every service may call this. */
export async function ensureTopics(kafka: Kafka, specs: readonly TopicSpec[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return;
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.numPartitions,
          replicationFactor: -1,
        })),
      });
    } catch (error) {
      // Two services starting together race to create the same topic: that is success.
      if (!/already exists/i.test((error as Error).message)) throw error;
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * Keep trying to create the topics until it works or `signal` aborts: a service starts even while
 * Kafka is down, reports it on /health, and is ready as soon as Kafka is.
 */
export async function ensureTopicsWithRetry(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  signal: AbortSignal,
  onError: (error: Error, attempt: number) => void,
): Promise<void> {
  for (let attempt = 0; !signal.aborted; attempt += 1) {
    try {
      await ensureTopics(kafka, specs);
      return;
    } catch (error) {
      onError(error as Error, attempt);
      await delay(backoffMs(attempt, 500, 10000), signal);
    }
  }
}
