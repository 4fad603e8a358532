import type { DataSource, EntityManager } from 'typeorm';
import { ackExpiresAt } from '@replywatch/escalation-rules';
import { ALERT_COLUMNS } from './alert-record';
import type { AlertRecord } from './alert-record';

/** Who acted on an alert and how, for the audit trail. */
export interface AlertActor {
  by: string;
  via: 'link' | 'api' | 'sla' | 'source' | 'escalation';
  /** The notification whose acknowledge link was used (each link works once per alert). */
  linkNotificationId?: string;
  /** The SLA or source event that resolved it. */
  eventId?: string;
}

export type AckOutcome =
  | { outcome: 'acknowledged'; alert: AlertRecord; expiresAt: Date | null }
  | { outcome: 'not_found' }
  | { outcome: 'link_used' }
  | { outcome: 'already_acknowledged'; alert: AlertRecord }
  | { outcome: 'resolved'; alert: AlertRecord };

export type ResolveOutcome =
  | { outcome: 'resolved'; alert: AlertRecord }
  | { outcome: 'not_found' }
  | { outcome: 'already_resolved'; alert: AlertRecord };

export interface AckOptions {
  /** How long before the contact's next breach an acknowledgement lapses. */
  leadMs?: number;
}

// NO KEY UPDATE: rows that reference the alert (audit events, notes) may still be written by
// others meanwhile; a plain FOR UPDATE would deadlock with the sender recording a delivery.
async function lockAlert(
  manager: EntityManager,
  alertId: string,
): Promise<AlertRecord | undefined> {
  const rows = await manager.query<AlertRecord[]>(
    `SELECT ${ALERT_COLUMNS} FROM alert a WHERE a.id = $1 FOR NO KEY UPDATE`,
    [alertId],
  );
  return rows[0];
}

/** Pages not yet delivered are dropped: someone is on it, or the customer has a reply. */
async function cancelPendingPages(
  manager: EntityManager,
  alertIds: readonly string[],
): Promise<void> {
  await manager.query(
    `UPDATE notification SET status = 'cancelled'
      WHERE alert_id = ANY($1) AND kind = 'page' AND status = 'pending'`,
    [alertIds],
  );
}

/**
 * Acknowledge: paging stops at once (pending pages cancelled, no further steps), the customer's
 * clock does not. The acknowledgement lapses at the chain's ack timeout or shortly before the
 * contact's next breach; the escalation service then re-opens it if the alert is still unresolved.
 */
export async function acknowledgeAlert(
  db: DataSource,
  alertId: string,
  actor: AlertActor,
  nowMs: number,
  options: AckOptions = {},
): Promise<AckOutcome> {
  return db.transaction(async (manager) => {
    const alert = await lockAlert(manager, alertId);
    if (alert === undefined) return { outcome: 'not_found' };
    if (actor.linkNotificationId !== undefined) {
      const used = await manager.query<unknown[]>(
        `SELECT 1 FROM ack_token_use WHERE notification_id = $1 AND alert_id = $2`,
        [actor.linkNotificationId, alertId],
      );
      if (used.length > 0) return { outcome: 'link_used' };
    }
    if (alert.state === 'resolved') return { outcome: 'resolved', alert };
    if (alert.state === 'acknowledged') return { outcome: 'already_acknowledged', alert };
    const now = new Date(nowMs);
    if (actor.linkNotificationId !== undefined) {
      await manager.query(
        `INSERT INTO ack_token_use (notification_id, alert_id, used_at) VALUES ($1, $2, $3)`,
        [actor.linkNotificationId, alertId, now],
      );
    }
    const expiresMs = ackExpiresAt({
      acknowledgedAtMs: nowMs,
      ackTimeoutMs: alert.chain?.ackTimeout,
      nextDueAtMs: alert.nextDueAt?.getTime(),
      leadMs: options.leadMs,
    });
    const expiresAt = expiresMs === undefined ? null : new Date(expiresMs);
    await manager.query(
      `UPDATE alert SET state = 'acknowledged', acked_at = $2, acked_by = $3, ack_expires_at = $4
        WHERE id = $1`,
      [alertId, now, actor.by, expiresAt],
    );
    await cancelPendingPages(manager, [alertId]);
    await manager.query(
      `INSERT INTO alert_event (alert_id, kind, at, detail) VALUES ($1, 'alert.acknowledged', $2, $3)`,
      [
        alertId,
        now,
        {
          by: actor.by,
          via: actor.via,
          expiresAt: expiresAt?.toISOString() ?? null,
          ...(actor.linkNotificationId ? { notificationId: actor.linkNotificationId } : {}),
        },
      ],
    );
    return {
      outcome: 'acknowledged',
      alert: {
        ...alert,
        state: 'acknowledged',
        ackedAt: now,
        ackedBy: actor.by,
        ackExpiresAt: expiresAt,
      },
      expiresAt,
    };
  });
}

export interface ResolveOptions {
  /** Send the people already paged a short "resolved" note (not for a warning a breach replaced). */
  notifyPaged: boolean;
}

/**
 * Resolve alerts inside the caller's transaction: no further steps, pending pages cancelled, and
 * each (channel, recipient) that was sent a page gets one "resolved" note through the outbox.
 */
export async function resolveAlertsTx(
  manager: EntityManager,
  alertIds: readonly string[],
  actor: AlertActor,
  nowMs: number,
  options: ResolveOptions,
): Promise<string[]> {
  if (alertIds.length === 0) return [];
  const now = new Date(nowMs);
  const rows = await manager.query<[{ id: string }[], number]>(
    `UPDATE alert SET state = 'resolved', resolved_at = $2, resolved_by = $3, next_step_at = NULL,
            ack_expires_at = NULL
      WHERE id = ANY($1) AND state <> 'resolved' RETURNING id`,
    [alertIds, now, actor.by],
  );
  const ids = rows[0].map((row) => row.id);
  if (ids.length === 0) return [];
  await cancelPendingPages(manager, ids);
  if (options.notifyPaged) {
    await manager.query(
      `INSERT INTO notification (alert_id, kind, step, channel, recipient, status, next_attempt_at,
                                 created_at, target, person_id)
       SELECT DISTINCT ON (alert_id, channel, recipient)
              alert_id, 'resolved', 0, channel, recipient, 'pending', $2::timestamptz,
              $2::timestamptz, target, person_id
         FROM notification
        WHERE alert_id = ANY($1) AND kind = 'page' AND status = 'sent'
       ON CONFLICT ON CONSTRAINT notification_once_per_step DO NOTHING`,
      [ids, now],
    );
  }
  await manager.query(
    `INSERT INTO alert_event (alert_id, kind, at, detail)
     SELECT id, 'alert.resolved', $2, $3 FROM unnest($1::uuid[]) AS id`,
    [
      ids,
      now,
      {
        by: actor.by,
        via: actor.via,
        ...(actor.eventId ? { eventId: actor.eventId } : {}),
        ...(options.notifyPaged ? {} : { quiet: true }),
      },
    ],
  );
  return ids;
}

/** Resolve one alert by hand (the ops API). */
export async function resolveAlert(
  db: DataSource,
  alertId: string,
  actor: AlertActor,
  nowMs: number,
): Promise<ResolveOutcome> {
  return db.transaction(async (manager) => {
    const alert = await lockAlert(manager, alertId);
    if (alert === undefined) return { outcome: 'not_found' };
    if (alert.state === 'resolved') return { outcome: 'already_resolved', alert };
    await resolveAlertsTx(manager, [alertId], actor, nowMs, { notifyPaged: true });
    return {
      outcome: 'resolved',
      alert: { ...alert, state: 'resolved', resolvedAt: new Date(nowMs), resolvedBy: actor.by },
    };
  });
}
