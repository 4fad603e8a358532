import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { Subject } from 'rxjs';
import type { Channel } from '@replywatch/contracts';
import type { QueueRepository, QueueSnapshot } from './queue.repository';
import type { QueueStatsRepository } from './queue-stats.repository';

export interface QueueUpdate extends QueueSnapshot {
  seq: number;
}

export interface AlertUpdate {
  alertId: string;
  kind: string;
  contactId: string;
  channel: Channel;
  at: string;
}

export type LiveUpdate =
  { type: 'queue'; data: QueueUpdate } | { type: 'alert'; data: AlertUpdate };

export interface LiveUpdateSettings {
  /** How often the queue's change counter and the alert timeline are polled. */
  pollMs: number;
  /** The waiting-count sample interval for the dashboard chart. */
  sampleMs: number;
}

const HOUR_MS = 3_600_000;
// Alert events are numbered when inserted but become visible at commit, which can be out of
// order: re-read a short tail below the highest id seen and drop the ones already sent.
const ALERT_ID_TAIL = 200;

interface AlertEventRow {
  id: string;
  alert_id: string;
  kind: string;
  at: Date;
  contact_id: string;
  channel: Channel;
}

/**
 * One poller per ops instance, whatever the number of stream clients: the queue view's change
 * counter (a Redis GET) and new alert timeline rows (PostgreSQL, only while someone listens).
 */
export class LiveUpdates {
  readonly updates = new Subject<LiveUpdate>();
  private readonly logger = new Logger('LiveUpdates');
  private latest: QueueUpdate | undefined;
  private lastAlertId: bigint | undefined;
  private readonly sentAlertIds = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private lastSampleBucket = -1;
  private polling = false;
  private listeners = 0;

  constructor(
    private readonly queue: QueueRepository,
    private readonly series: QueueStatsRepository,
    private readonly db: DataSource,
    private readonly settings: LiveUpdateSettings,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.settings.pollMs);
    void this.poll();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.updates.complete();
  }

  /** The queue as last seen, for a client that just connected. */
  async current(): Promise<QueueUpdate> {
    return this.latest ?? { seq: await this.queue.changeSeq(), ...(await this.queue.snapshot()) };
  }

  listen(): () => void {
    this.listeners += 1;
    return () => {
      this.listeners -= 1;
    };
  }

  get clientCount(): number {
    return this.listeners;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      await this.pollQueue();
      if (this.listeners > 0) await this.pollAlerts();
      else this.lastAlertId = undefined;
    } catch (error) {
      this.logger.warn(`live updates poll failed: ${(error as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  private async pollQueue(): Promise<void> {
    const now = Date.now();
    const seq = await this.queue.changeSeq();
    const bucket = Math.floor(now / this.settings.sampleMs);
    if (this.latest?.seq === seq && bucket === this.lastSampleBucket) return;
    const snapshot = await this.queue.snapshot();
    if (bucket !== this.lastSampleBucket) {
      await this.series.recordWaiting(snapshot, now, this.settings.sampleMs, HOUR_MS);
      this.lastSampleBucket = bucket;
    }
    if (this.latest?.seq === seq) return;
    this.latest = { seq, ...snapshot };
    this.updates.next({ type: 'queue', data: this.latest });
  }

  private async pollAlerts(): Promise<void> {
    if (this.lastAlertId === undefined) {
      // Only what happens from now on (the dashboard loads the alert list itself): remember the
      // tail that is already there so it is not sent as new.
      const tail = await this.db.query<{ id: string }[]>(
        `SELECT id::text AS id FROM alert_event
          WHERE id > (SELECT coalesce(max(id), 0) - ${ALERT_ID_TAIL} FROM alert_event)`,
      );
      this.sentAlertIds.clear();
      for (const row of tail) this.sentAlertIds.add(row.id);
      this.lastAlertId = tail.reduce(
        (max, row) => (BigInt(row.id) > max ? BigInt(row.id) : max),
        0n,
      );
      return;
    }
    const floor = this.lastAlertId - BigInt(ALERT_ID_TAIL);
    const rows = await this.db.query<AlertEventRow[]>(
      `SELECT e.id::text AS id, e.alert_id, e.kind, e.at, a.contact_id, a.channel
         FROM alert_event e JOIN alert a ON a.id = e.alert_id
        WHERE e.id > $1 ORDER BY e.id LIMIT 1000`,
      [floor.toString()],
    );
    for (const row of rows) {
      if (BigInt(row.id) <= floor || this.sentAlertIds.has(row.id)) continue;
      this.sentAlertIds.add(row.id);
      if (BigInt(row.id) > this.lastAlertId) this.lastAlertId = BigInt(row.id);
      this.updates.next({
        type: 'alert',
        data: {
          alertId: row.alert_id,
          kind: row.kind,
          contactId: row.contact_id,
          channel: row.channel,
          at: new Date(row.at).toISOString(),
        },
      });
    }
    for (const id of this.sentAlertIds) {
      if (BigInt(id) <= floor) this.sentAlertIds.delete(id);
    }
  }
}
