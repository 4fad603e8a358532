import type { DataSource } from 'typeorm';
import type { SlaEvent } from '@replywatch/contracts';

export const REPORT_GROUPS = ['channel', 'policy', 'day'] as const;
export type ReportGroup = (typeof REPORT_GROUPS)[number];

export interface SlaReportRow {
  /** The channel, the policy id, or the UTC day (`YYYY-MM-DD`). */
  key: string;
  /** Targets met by their deadline. */
  metInTime: number;
  /** Targets breached (a late reply afterwards does not undo a breach). */
  breached: number;
  /** metInTime / (metInTime + breached), in percent; null when nothing was decided. */
  attainmentPercent: number | null;
  /** Time to the reply over every met target, on time or late. */
  p50Seconds: number | null;
  p90Seconds: number | null;
}

const GROUP_SQL: Record<ReportGroup | 'all', string> = {
  all: `'all'`,
  channel: 'channel',
  policy: 'policy_id',
  day: `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

/** SLA history in PostgreSQL: what was met and breached, for reports and attainment figures. */
export class SlaOutcomeRepository {
  constructor(private readonly db: DataSource) {}

  /** Record decided targets (`sla.met`, `sla.breached`); redeliveries are ignored. */
  async record(events: readonly SlaEvent[]): Promise<void> {
    const decided = events.filter((e) => e.type === 'sla.met' || e.type === 'sla.breached');
    if (decided.length === 0) return;
    const values: unknown[] = [];
    const rows = decided.map((event, i) => {
      const met = event.type === 'sla.met';
      values.push(
        event.eventId,
        event.contactId,
        event.channel,
        event.priority,
        event.policyId,
        event.target,
        met ? 'met' : 'breached',
        met ? (event.withinTarget ?? true) : false,
        event.elapsedSeconds,
        event.startedAt,
        event.dueAt,
        event.occurredAt,
      );
      const at = i * 12;
      return `(${Array.from({ length: 12 }, (_, j) => `$${at + j + 1}`).join(', ')})`;
    });
    await this.db.query(
      `INSERT INTO sla_outcome (event_id, contact_id, channel, priority, policy_id, target, outcome,
                                within_target, elapsed_seconds, started_at, due_at, occurred_at)
       VALUES ${rows.join(', ')} ON CONFLICT (event_id) DO NOTHING`,
      values,
    );
  }

  /** Breached targets (every target) decided between two instants, per channel. */
  async breachesByChannel(from: Date, to: Date): Promise<Map<string, number>> {
    const rows = await this.db.query<{ channel: string; breached: number }[]>(
      `SELECT channel, count(*)::int AS breached FROM sla_outcome
        WHERE outcome = 'breached' AND occurred_at >= $1 AND occurred_at < $2
        GROUP BY channel`,
      [from, to],
    );
    return new Map(rows.map((row) => [row.channel, row.breached]));
  }

  /** Attainment and reply-time percentiles of one target between two instants, grouped. */
  async report(
    from: Date,
    to: Date,
    groupBy: ReportGroup | 'all',
    target = 'first_response',
  ): Promise<SlaReportRow[]> {
    const rows = await this.db.query<
      {
        key: string;
        metInTime: number;
        breached: number;
        p50: number | null;
        p90: number | null;
      }[]
    >(
      `SELECT ${GROUP_SQL[groupBy]} AS key,
              count(*) FILTER (WHERE outcome = 'met' AND within_target)::int AS "metInTime",
              count(*) FILTER (WHERE outcome = 'breached')::int AS breached,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY elapsed_seconds)
                FILTER (WHERE outcome = 'met') AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY elapsed_seconds)
                FILTER (WHERE outcome = 'met') AS p90
         FROM sla_outcome
        WHERE occurred_at >= $1 AND occurred_at < $2 AND target = $3
        GROUP BY 1 ORDER BY 1`,
      [from, to, target],
    );
    return rows.map((row) => {
      const decided = row.metInTime + row.breached;
      return {
        key: row.key,
        metInTime: row.metInTime,
        breached: row.breached,
        attainmentPercent: decided === 0 ? null : Math.round((row.metInTime / decided) * 1000) / 10,
        p50Seconds: row.p50 === null ? null : Math.round(row.p50 * 10) / 10,
        p90Seconds: row.p90 === null ? null : Math.round(row.p90 * 10) / 10,
      };
    });
  }
}
