import type { DataSource } from 'typeorm';
import { ALERT_COLUMNS } from '@replywatch/persistence';
import type { AlertRecord, NotificationChannel, NotificationKind } from '@replywatch/persistence';

/** A claimed outbox row. */
export interface ClaimedNotification {
  id: string;
  alertId: string | null;
  kind: NotificationKind;
  channel: NotificationChannel;
  recipient: string;
  attempts: number;
  level: number | null;
  /** The chain step that paged (1 = the alert's first). */
  step: number;
}

/** The notification outbox in PostgreSQL: claim with a lease, record every attempt. */
export class NotificationOutboxRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Claim due notifications with a lease: rows are locked only for the claim, and a sender that
   * dies mid-send lets the lease run out so another attempt is made. A claimed digest stops
   * collecting (later alerts open a new one).
   */
  async claimDue(
    limit: number,
    leaseMs: number,
    nowMs: number,
    channels: readonly NotificationChannel[],
  ): Promise<ClaimedNotification[]> {
    const rows = await this.db.query<[ClaimedNotification[], number]>(
      `UPDATE notification n SET next_attempt_at = $2, collect_until = NULL
        WHERE n.id IN (
          SELECT id FROM notification
           WHERE status = 'pending' AND next_attempt_at <= $1 AND channel = ANY($4)
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING n.id, n.alert_id AS "alertId", n.kind, n.channel, n.recipient, n.attempts, n.level,
                  n.step`,
      [new Date(nowMs), new Date(nowMs + leaseMs), limit, channels],
    );
    return rows[0];
  }

  async alerts(ids: readonly string[]): Promise<Map<string, AlertRecord>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.query<AlertRecord[]>(
      `SELECT ${ALERT_COLUMNS} FROM alert a WHERE a.id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row] as const));
  }

  /** The alerts a digest lists: those still waiting for someone (open), oldest breach first. */
  async digestAlerts(digestId: string): Promise<AlertRecord[]> {
    return this.db.query<AlertRecord[]>(
      `SELECT ${ALERT_COLUMNS} FROM alert a
        WHERE a.state = 'open' AND a.id IN (SELECT alert_id FROM notification WHERE digest_id = $1)
        ORDER BY a.due_at, a.id`,
      [digestId],
    );
  }

  async recordSent(
    notification: ClaimedNotification,
    alertIds: readonly string[],
    detail: string,
    startedMs: number,
    nowMs: number,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      // Delivered is delivered: a page cancelled while in flight (an ack, a reply) is recorded as
      // sent; a row another sender already finished (lease overrun) is left as it is.
      await manager.query(
        `UPDATE notification SET status = 'sent', sent_at = $2, attempts = attempts + 1,
                last_error = NULL WHERE id = $1 AND status IN ('pending', 'cancelled')`,
        [notification.id, new Date(nowMs)],
      );
      if (notification.kind === 'page' && notification.alertId !== null) {
        // Resolved while this page was in flight: its recipient still gets the resolved note.
        await manager.query(
          `INSERT INTO notification (alert_id, kind, step, channel, recipient, status,
                                     next_attempt_at, created_at, target, person_id)
           SELECT n.alert_id, 'resolved', 0, n.channel, n.recipient, 'pending', $2, $2, n.target,
                  n.person_id
             FROM notification n JOIN alert a ON a.id = n.alert_id
            WHERE n.id = $1 AND a.state = 'resolved'
           ON CONFLICT ON CONSTRAINT notification_once_per_step DO NOTHING`,
          [notification.id, new Date(nowMs)],
        );
      }
      await manager.query(
        `INSERT INTO notification_attempt (notification_id, attempted_at, outcome, duration_ms, detail)
         VALUES ($1, $2, 'sent', $3, $4)`,
        [notification.id, new Date(startedMs), nowMs - startedMs, detail.slice(0, 500)],
      );
      await this.alertEvents(manager, alertIds, 'notification.sent', notification, nowMs, {
        attempt: notification.attempts + 1,
      });
    });
  }

  /** A failed try: retry later, or give up (status failed, on the timeline and the ops API). */
  async recordFailed(
    notification: ClaimedNotification,
    alertIds: readonly string[],
    error: string,
    startedMs: number,
    nowMs: number,
    retryAtMs: number | undefined,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.query(
        // Only a pending row: one cancelled meanwhile stays cancelled (it must not come back).
        `UPDATE notification SET status = $2, attempts = attempts + 1, last_error = $3,
                next_attempt_at = COALESCE($4, next_attempt_at) WHERE id = $1 AND status = 'pending'`,
        [
          notification.id,
          retryAtMs === undefined ? 'failed' : 'pending',
          error.slice(0, 500),
          retryAtMs === undefined ? null : new Date(retryAtMs),
        ],
      );
      await manager.query(
        `INSERT INTO notification_attempt (notification_id, attempted_at, outcome, duration_ms, detail)
         VALUES ($1, $2, 'failed', $3, $4)`,
        [notification.id, new Date(startedMs), nowMs - startedMs, error.slice(0, 500)],
      );
      if (retryAtMs === undefined) {
        await this.alertEvents(manager, alertIds, 'notification.failed', notification, nowMs, {
          attempts: notification.attempts + 1,
          error: error.slice(0, 200),
        });
      }
    });
  }

  /** Not sent: the alert no longer needs it (acknowledged or resolved meanwhile, digest empty). */
  async cancel(notification: ClaimedNotification, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE notification SET status = 'cancelled', last_error = $2 WHERE id = $1 AND status = 'pending'`,
      [notification.id, reason],
    );
  }

  private async alertEvents(
    manager: { query: DataSource['query'] },
    alertIds: readonly string[],
    kind: string,
    notification: ClaimedNotification,
    nowMs: number,
    extra: Record<string, unknown>,
  ): Promise<void> {
    if (alertIds.length === 0) return;
    await manager.query(
      `INSERT INTO alert_event (alert_id, kind, at, detail)
       SELECT id, $2, $3, $4 FROM unnest($1::uuid[]) AS id`,
      [
        alertIds,
        kind,
        new Date(nowMs),
        {
          notificationId: notification.id,
          kind: notification.kind,
          channel: notification.channel,
          recipient: notification.recipient,
          ...extra,
        },
      ],
    );
  }
}
