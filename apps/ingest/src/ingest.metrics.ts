import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/** What ops watch on ingest: what came in per source and channel, what was refused and why. */
export class IngestMetrics {
  readonly eventsAccepted: Counter<'source' | 'channel' | 'type'>;
  readonly requestsRejected: Counter<'source' | 'code'>;
  readonly deadLettered: Counter<'source'>;
  readonly deliveriesIgnored: Counter<'source'>;

  constructor(readonly registry: Registry) {
    this.eventsAccepted = new Counter({
      name: 'replywatch_ingest_events_accepted_total',
      help: 'Contact events published to Kafka, by source, channel and type',
      labelNames: ['source', 'channel', 'type'],
      registers: [registry],
    });
    this.requestsRejected = new Counter({
      name: 'replywatch_ingest_requests_rejected_total',
      help: 'Requests refused with a 4xx/5xx, by source (provider/account or connector) and error code',
      labelNames: ['source', 'code'],
      registers: [registry],
    });
    this.deadLettered = new Counter({
      name: 'replywatch_ingest_dead_lettered_total',
      help: 'Authentic deliveries that could not be mapped and went to the dead-letter topic',
      labelNames: ['source'],
      registers: [registry],
    });
    this.deliveriesIgnored = new Counter({
      name: 'replywatch_ingest_deliveries_ignored_total',
      help: 'Authentic deliveries that hold no contact (auto-replies, receipts, pings)',
      labelNames: ['source'],
      registers: [registry],
    });
  }
}
