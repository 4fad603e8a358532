import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/** What ops watch on escalation: alerts started, pages out and how late, failures, backlog. */
export class EscalationMetrics {
  readonly alertsCreated: Counter<'trigger' | 'channel'>;
  readonly notificationsSent: Counter<'channel' | 'kind'>;
  readonly notificationsFailed: Counter<'channel' | 'kind' | 'final'>;
  /** From the instant the target was due to the first page of the alert being delivered. */
  readonly alertLatency: Histogram<'channel'>;

  constructor(readonly registry: Registry) {
    this.alertsCreated = new Counter({
      name: 'replywatch_escalation_alerts_created_total',
      help: 'Alerts started, by trigger (sla.breached, sla.warning, source.silent) and contact channel',
      labelNames: ['trigger', 'channel'],
      registers: [registry],
    });
    this.notificationsSent = new Counter({
      name: 'replywatch_notifications_sent_total',
      help: 'Notifications delivered, by notify channel (email, webhook, chat) and kind (page, resolved, digest)',
      labelNames: ['channel', 'kind'],
      registers: [registry],
    });
    this.notificationsFailed = new Counter({
      name: 'replywatch_notifications_failed_total',
      help: 'Failed delivery attempts; final="true" when the notification was given up on',
      labelNames: ['channel', 'kind', 'final'],
      registers: [registry],
    });
    this.alertLatency = new Histogram({
      name: 'replywatch_alert_latency_seconds',
      help: 'Seconds from a breach falling due to its first page being delivered',
      labelNames: ['channel'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    });
  }

  /** Backlog gauges read from PostgreSQL when scraped (cheap: both use partial indexes). */
  watchBacklog(db: DataSource): void {
    new Gauge({
      name: 'replywatch_notifications_pending',
      help: 'Notifications waiting in the outbox (due now or retrying later)',
      registers: [this.registry],
      async collect() {
        const [row] = await db.query<{ count: number }[]>(
          `SELECT count(*)::int AS count FROM notification WHERE status = 'pending'`,
        );
        this.set(row.count);
      },
    });
    new Gauge({
      name: 'replywatch_escalation_steps_pending',
      help: 'Open alerts with a chain step still to come',
      registers: [this.registry],
      async collect() {
        const [row] = await db.query<{ count: number }[]>(
          `SELECT count(*)::int AS count FROM alert WHERE state = 'open' AND next_step_at IS NOT NULL`,
        );
        this.set(row.count);
      },
    });
  }
}
