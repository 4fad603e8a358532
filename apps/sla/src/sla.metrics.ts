import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import type Redis from 'ioredis';
import type { ContactKeys } from '@replywatch/redis';

/** What ops watch on the SLA service: events applied, refused, and deadlines it is holding. */
export class SlaMetrics {
  readonly eventsConsumed: Counter<'channel' | 'type'>;
  readonly eventsDeadLettered: Counter;

  constructor(readonly registry: Registry) {
    this.eventsConsumed = new Counter({
      name: 'replywatch_sla_events_consumed_total',
      help: 'Valid contact events handed to the SLA clock, by channel and type',
      labelNames: ['channel', 'type'],
      registers: [registry],
    });
    this.eventsDeadLettered = new Counter({
      name: 'replywatch_sla_events_dead_lettered_total',
      help: 'Contact events that broke the contract and went to the dead-letter topic',
      registers: [registry],
    });
  }

  /** Pending deadlines (one timer per contact with a running target), read from Redis when scraped. */
  watchTimers(redis: Redis, keys: ContactKeys): void {
    new Gauge({
      name: 'replywatch_sla_timers_pending',
      help: 'Contacts with a pending SLA deadline (each has one timer)',
      registers: [this.registry],
      async collect() {
        this.set(await redis.zcard(keys.due()));
      },
    });
  }
}
