import type { DataSource } from 'typeorm';
import type { SlaEvent, SourceEvent } from '@replywatch/contracts';
import {
  AlertEntity,
  AlertEventEntity,
  NotificationAttemptEntity,
  NotificationEntity,
} from '@replywatch/persistence';
import { SOURCE_CONTACT_PREFIX, SOURCE_SILENT_TARGET } from './alert-email.template';

/** A claimed outbox row with what its e-mail needs. */
export interface DueNotification {
  id: string;
  alertId: string;
  recipient: string;
  attempts: number;
  contactId: string;
  channel: string;
  priority: string;
  target: string;
  policyId: string;
  startedAt: Date;
  dueAt: Date;
}

interface DueNotificationRow {
  id: string;
  alert_id: string;
  recipient: string;
  attempts: number;
  contact_id: string;
  channel: string;
  priority: string;
  target: string;
  policy_id: string;
  started_at: Date;
  due_at: Date;
}

/** Alerts, the notification outbox and the audit trail in PostgreSQL. */
export class AlertRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Record a breach and its notifications in one transaction. Returns false when this SLA event
   * was already recorded (a redelivery), in which case nothing changes.
   */
  async createAlert(
    event: SlaEvent,
    recipients: readonly string[],
    nowMs: number,
  ): Promise<boolean> {
    return this.insertAlert(
      {
        slaEventId: event.eventId,
        contactId: event.contactId,
        channel: event.channel,
        source: event.source,
        priority: event.priority,
        target: event.target,
        policyId: event.policyId,
        policyVersion: event.policyVersion,
        startedAt: new Date(event.startedAt),
        dueAt: new Date(event.dueAt),
      },
      recipients,
      nowMs,
    );
  }

  /**
   * A silent connector is alerted on like a breach: contact `source:<id>`, target `source_silent`,
   * from its last event (or since monitoring began) to the instant it counted as silent.
   */
  async createSourceAlert(
    event: SourceEvent,
    recipients: readonly string[],
    nowMs: number,
  ): Promise<boolean> {
    return this.insertAlert(
      {
        slaEventId: event.eventId,
        contactId: `${SOURCE_CONTACT_PREFIX}${event.source}`,
        channel: event.channel ?? 'unknown',
        source: event.source,
        priority: 'urgent',
        target: SOURCE_SILENT_TARGET,
        policyId: 'heartbeat',
        policyVersion: 1,
        startedAt: new Date(event.lastSeenAt ?? event.silentSince),
        dueAt: new Date(event.silentSince),
      },
      recipients,
      nowMs,
    );
  }

  async resolveSourceAlerts(event: SourceEvent, nowMs: number): Promise<number> {
    return this.resolve(
      `${SOURCE_CONTACT_PREFIX}${event.source}`,
      SOURCE_SILENT_TARGET,
      event.type,
      event.eventId,
      nowMs,
    );
  }

  private async insertAlert(
    alert: Omit<AlertEntity, 'id' | 'state' | 'createdAt' | 'resolvedAt'>,
    recipients: readonly string[],
    nowMs: number,
  ): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(AlertEntity)
        .values({ ...alert, state: 'open' })
        .orIgnore()
        .returning(['id'])
        .execute();
      const alertId = (inserted.raw as { id: string }[])[0]?.id;
      if (alertId === undefined) return false;
      const now = new Date(nowMs);
      await manager.insert(
        NotificationEntity,
        recipients.map((recipient) => ({
          alertId,
          step: 1,
          channel: 'email' as const,
          recipient,
          nextAttemptAt: now,
        })),
      );
      await manager.insert(AlertEventEntity, {
        alertId,
        kind: 'alert.created',
        at: now,
        detail: {
          slaEventId: alert.slaEventId,
          dueAt: alert.dueAt.toISOString(),
          target: alert.target,
        },
      });
      return true;
    });
  }

  /** Resolve the contact's open alerts for this target (its clock stopped: a reply or a close). */
  async resolveAlerts(event: SlaEvent, nowMs: number): Promise<number> {
    return this.resolve(event.contactId, event.target, event.type, event.eventId, nowMs);
  }

  private async resolve(
    contactId: string,
    target: string,
    by: string,
    eventId: string,
    nowMs: number,
  ): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows = await manager.query<[{ id: string }[], number]>(
        `UPDATE alert SET state = 'resolved', resolved_at = $3
          WHERE contact_id = $1 AND target = $2 AND state = 'open' RETURNING id`,
        [contactId, target, new Date(nowMs)],
      );
      const ids = rows[0].map((row) => row.id);
      if (ids.length > 0) {
        // The customer has a reply: pages not yet delivered would only be noise.
        await manager.query(
          `UPDATE notification SET status = 'cancelled' WHERE alert_id = ANY($1) AND status = 'pending'`,
          [ids],
        );
        await manager.insert(
          AlertEventEntity,
          ids.map((alertId) => ({
            alertId,
            kind: 'alert.resolved',
            at: new Date(nowMs),
            detail: { by, slaEventId: eventId },
          })),
        );
      }
      return ids.length;
    });
  }

  /**
   * Claim due notifications with a lease: rows are locked only for the claim, and a sender that
   * dies mid-send lets the lease run out so another attempt is made.
   */
  async claimDue(limit: number, leaseMs: number, nowMs: number): Promise<DueNotification[]> {
    const rows = await this.db.query<[DueNotificationRow[], number]>(
      `UPDATE notification n SET next_attempt_at = $2
         FROM alert a
        WHERE n.alert_id = a.id AND a.state = 'open' AND n.id IN (
          SELECT id FROM notification
           WHERE status = 'pending' AND next_attempt_at <= $1
           ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING n.id, n.alert_id, n.recipient, n.attempts, a.contact_id, a.channel, a.priority,
                  a.target, a.policy_id, a.started_at, a.due_at`,
      [new Date(nowMs), new Date(nowMs + leaseMs), limit],
    );
    return rows[0].map((row) => ({
      id: row.id,
      alertId: row.alert_id,
      recipient: row.recipient,
      attempts: row.attempts,
      contactId: row.contact_id,
      channel: row.channel,
      priority: row.priority,
      target: row.target,
      policyId: row.policy_id,
      startedAt: row.started_at,
      dueAt: row.due_at,
    }));
  }

  async recordSent(
    notification: DueNotification,
    detail: string,
    startedMs: number,
    nowMs: number,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.update(
        NotificationEntity,
        { id: notification.id },
        {
          status: 'sent',
          sentAt: new Date(nowMs),
          attempts: notification.attempts + 1,
          lastError: null,
        },
      );
      await manager.insert(NotificationAttemptEntity, {
        notificationId: notification.id,
        attemptedAt: new Date(startedMs),
        outcome: 'sent',
        durationMs: nowMs - startedMs,
        detail: detail.slice(0, 500),
      });
      await manager.insert(AlertEventEntity, {
        alertId: notification.alertId,
        kind: 'notification.sent',
        at: new Date(nowMs),
        detail: {
          channel: 'email',
          recipient: notification.recipient,
          notificationId: notification.id,
        },
      });
    });
  }

  /** A failed try: retry later, or give up (status failed, visible on the ops API) after the last. */
  async recordFailed(
    notification: DueNotification,
    error: string,
    startedMs: number,
    nowMs: number,
    retryAtMs: number | undefined,
  ): Promise<void> {
    await this.db.transaction(async (manager) => {
      await manager.update(
        NotificationEntity,
        { id: notification.id },
        {
          status: retryAtMs === undefined ? 'failed' : 'pending',
          attempts: notification.attempts + 1,
          lastError: error.slice(0, 500),
          ...(retryAtMs === undefined ? {} : { nextAttemptAt: new Date(retryAtMs) }),
        },
      );
      await manager.insert(NotificationAttemptEntity, {
        notificationId: notification.id,
        attemptedAt: new Date(startedMs),
        outcome: 'failed',
        durationMs: nowMs - startedMs,
        detail: error.slice(0, 500),
      });
    });
  }
}
