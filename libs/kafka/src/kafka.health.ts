import type { Kafka } from 'kafkajs';
import type { HealthIndicator } from '@replywatch/platform';

/** Kafka is up when a broker answers a metadata request (cheap, needs no topic). */
export function kafkaHealthIndicator(kafka: Kafka): HealthIndicator & { close(): Promise<void> } {
  const admin = kafka.admin();
  let connected: Promise<void> | undefined;
  return {
    name: 'kafka',
    async close() {
      await admin.disconnect().catch(() => undefined);
    },
    async check() {
      try {
        connected ??= admin.connect();
        await connected;
        const cluster = await admin.describeCluster();
        return { up: true, detail: `${cluster.brokers.length} broker(s)` };
      } catch (error) {
        connected = undefined;
        await admin.disconnect().catch(() => undefined);
        return { up: false, detail: (error as Error).message };
      }
    },
  };
}
