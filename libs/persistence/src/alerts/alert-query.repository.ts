import type { DataSource } from 'typeorm';
import { ALERT_COLUMNS } from './alert-record';
import type { AlertRecord } from './alert-record';

export interface AlertListFilter {
  state?: 'open' | 'acknowledged' | 'resolved';
  channel?: string;
  contactId?: string;
  limit: number;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
}

export interface AlertSummary extends Omit<AlertRecord, 'chain'> {
  /** Notifications given up on after their last attempt: someone was not told. */
  failedNotifications: number;
}

export interface TimelineEntry {
  at: Date;
  kind: string;
  detail: Record<string, unknown>;
}

export interface NotificationHistory {
  id: string;
  kind: string;
  channel: string;
  recipient: string;
  target: string | null;
  level: number | null;
  step: number;
  status: string;
  digestId: string | null;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  attempts: { at: Date; outcome: string; durationMs: number; detail: string | null }[];
}

export interface AlertTimeline {
  alert: AlertRecord;
  events: TimelineEntry[];
  notifications: NotificationHistory[];
}

export class CursorError extends Error {
  readonly code = 'OPS.INVALID_CURSOR';
}

const encodeCursor = (createdAt: Date, id: string) =>
  Buffer.from(`${createdAt.toISOString()}|${id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): [Date, string] {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id ?? '')) {
    throw new CursorError('cursor is not one this API returned');
  }
  return [date, id];
}

/** Reads alerts and their audit trail for the ops API (indexes: alert_created, alert_by_state_created). */
export class AlertQueryRepository {
  constructor(private readonly db: DataSource) {}

  async list(
    filter: AlertListFilter,
  ): Promise<{ items: AlertSummary[]; nextCursor: string | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter.state !== undefined) add((p) => `a.state = ${p}`, filter.state);
    if (filter.channel !== undefined) add((p) => `a.channel = ${p}`, filter.channel);
    if (filter.contactId !== undefined) add((p) => `a.contact_id = ${p}`, filter.contactId);
    if (filter.cursor !== undefined) {
      const [at, id] = decodeCursor(filter.cursor);
      params.push(at, id);
      where.push(`(a.created_at, a.id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows = await this.db.query<(AlertSummary & { chain?: unknown })[]>(
      `SELECT ${ALERT_COLUMNS},
              (SELECT count(*)::int FROM alert_event e
                WHERE e.alert_id = a.id AND e.kind = 'notification.failed') AS "failedNotifications"
         FROM alert a
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, filter.limit).map(({ chain: _chain, ...summary }) => summary);
    const last = page[page.length - 1];
    return {
      items: page,
      nextCursor:
        rows.length > filter.limit && last !== undefined
          ? encodeCursor(last.createdAt, last.id)
          : null,
    };
  }

  /** Everything that happened to one alert, in order, with each notification's attempts. */
  async timeline(alertId: string): Promise<AlertTimeline | undefined> {
    const [alert] = await this.db.query<AlertRecord[]>(
      `SELECT ${ALERT_COLUMNS} FROM alert a WHERE a.id = $1`,
      [alertId],
    );
    if (alert === undefined) return undefined;
    const events = await this.db.query<TimelineEntry[]>(
      `SELECT at, kind, detail FROM alert_event WHERE alert_id = $1 ORDER BY at, id`,
      [alertId],
    );
    const notifications = await this.db.query<NotificationHistory[]>(
      `SELECT n.id, n.kind, n.channel, n.recipient, n.target, n.level, n.step, n.status,
              n.digest_id AS "digestId", n.created_at AS "createdAt", n.sent_at AS "sentAt",
              n.last_error AS "lastError",
              COALESCE((SELECT json_agg(json_build_object('at', t.attempted_at, 'outcome', t.outcome,
                                  'durationMs', t.duration_ms, 'detail', t.detail)
                                  ORDER BY t.attempted_at)
                          FROM notification_attempt t
                         WHERE t.notification_id = COALESCE(n.digest_id, n.id)), '[]') AS attempts
         FROM notification n
        WHERE n.alert_id = $1
        ORDER BY n.created_at, n.step, n.channel, n.recipient`,
      [alertId],
    );
    return { alert, events, notifications };
  }
}
