import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * `replywatch_kafka_consumer_lag{topic,partition}`: messages not yet handled, as of the last
 * commit. Growing lag means this service falls behind and alerts will come late.
 */
export function consumerLagGauge(
  registry: Registry,
): (topic: string, partition: number, lag: number) => void {
  const gauge = new Gauge({
    name: 'replywatch_kafka_consumer_lag',
    help: 'Messages of the partition not yet handled, as of the last commit',
    labelNames: ['topic', 'partition'],
    registers: [registry],
  });
  return (topic, partition, lag) => gauge.set({ topic, partition: String(partition) }, lag);
}
