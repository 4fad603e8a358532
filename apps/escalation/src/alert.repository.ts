import type { DataSource, EntityManager } from 'typeorm';
import type { SlaEvent, SourceEvent } from '@replywatch/contracts';
import { chooseChain } from '@replywatch/escalation-rules';
import type { Chain, RoutingSubject } from '@replywatch/escalation-rules';
import { ALERT_COLUMNS, resolveAlertsTx } from '@replywatch/persistence';
import type { AlertActor, AlertRecord, AlertTrigger } from '@replywatch/persistence';
import { SOURCE_CONTACT_PREFIX, SOURCE_SILENT_TARGET } from './notification-message';
import type { VersionedDocument } from './escalation-document.store';
import { writeStep } from './escalation-step.writer';

/** What an alert is about, from an SLA event or a silent connector. */
export interface AlertSubject {
  eventId: string;
  trigger: AlertTrigger;
  contactId: string;
  channel: string;
  source: string;
  priority: SlaEvent['priority'];
  target: string;
  policyId: string;
  policyVersion: number;
  team?: string;
  assignee?: string;
  startedAt: Date;
  dueAt: Date;
  nextDueAt?: Date;
}

export function subjectOfSlaEvent(event: SlaEvent): AlertSubject {
  return {
    eventId: event.eventId,
    trigger: event.type === 'sla.warning' ? 'sla.warning' : 'sla.breached',
    contactId: event.contactId,
    channel: event.channel,
    source: event.source,
    priority: event.priority,
    target: event.target,
    policyId: event.policyId,
    policyVersion: event.policyVersion,
    team: event.team,
    assignee: event.assignee,
    startedAt: new Date(event.startedAt),
    dueAt: new Date(event.dueAt),
    nextDueAt: event.nextDueAt === undefined ? undefined : new Date(event.nextDueAt),
  };
}

/**
 * A silent connector is alerted on like a breach: contact `source:<id>`, target `source_silent`,
 * from its last event (or since monitoring began) to the instant it counted as silent.
 */
export function subjectOfSourceEvent(event: SourceEvent): AlertSubject {
  return {
    eventId: event.eventId,
    trigger: 'source.silent',
    contactId: `${SOURCE_CONTACT_PREFIX}${event.source}`,
    channel: event.channel ?? 'unknown',
    source: event.source,
    priority: 'urgent',
    target: SOURCE_SILENT_TARGET,
    policyId: 'heartbeat',
    policyVersion: 1,
    startedAt: new Date(event.lastSeenAt ?? event.silentSince),
    dueAt: new Date(event.silentSince),
  };
}

export type CreateOutcome = 'created' | 'duplicate' | 'unrouted';

/** Alerts and their chain steps in PostgreSQL; every change writes its audit event with it. */
export class AlertRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Start an alert on the chain its route picks, and run the chain's first step, in one
   * transaction. `duplicate`: the event was seen before (a redelivery) and nothing changed.
   * `unrouted`: a warning no route asks for.
   */
  async createAlert(
    subject: AlertSubject,
    current: VersionedDocument,
    nowMs: number,
  ): Promise<CreateOutcome> {
    const routing: RoutingSubject = {
      trigger: subject.trigger,
      policyId: subject.policyId,
      channel: subject.channel as RoutingSubject['channel'],
      priority: subject.priority,
      team: subject.team,
      target: subject.target,
    };
    const chainId = chooseChain(current.document, routing);
    if (chainId === undefined) return 'unrouted';
    const chain = current.document.chains.find((candidate) => candidate.id === chainId) as Chain;
    const now = new Date(nowMs);
    return this.db.transaction(async (manager) => {
      const inserted = await manager.query<AlertRecord[]>(
        `INSERT INTO alert AS a (sla_event_id, contact_id, channel, source, priority, target, policy_id,
                            policy_version, started_at, due_at, state, trigger, team, assignee,
                            chain_id, chain, document_version, next_step_at, next_due_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12, $13, $14, $15, $16, $17,
                 $18, $17)
         ON CONFLICT (sla_event_id) DO NOTHING
         RETURNING ${ALERT_COLUMNS}`,
        [
          subject.eventId,
          subject.contactId,
          subject.channel,
          subject.source,
          subject.priority,
          subject.target,
          subject.policyId,
          subject.policyVersion,
          subject.startedAt,
          subject.dueAt,
          subject.trigger,
          subject.team ?? null,
          subject.assignee ?? null,
          chain.id,
          JSON.stringify(chain),
          current.version,
          now,
          subject.nextDueAt ?? null,
        ],
      );
      const alert = inserted[0];
      if (alert === undefined) return 'duplicate';
      await manager.query(
        `INSERT INTO alert_event (alert_id, kind, at, detail) VALUES ($1, 'alert.created', $2, $3)`,
        [
          alert.id,
          now,
          {
            eventId: subject.eventId,
            trigger: subject.trigger,
            target: subject.target,
            dueAt: subject.dueAt.toISOString(),
            chain: chain.id,
            documentVersion: current.version,
          },
        ],
      );
      if (subject.trigger === 'sla.breached') {
        // The breach's own chain takes over from the warning's: one alert per breach to act on.
        const warnings = await manager.query<{ id: string }[]>(
          `SELECT id FROM alert WHERE contact_id = $1 AND target = $2 AND trigger = 'sla.warning'
              AND state <> 'resolved'`,
          [subject.contactId, subject.target],
        );
        await resolveAlertsTx(
          manager,
          warnings.map((w) => w.id),
          { by: 'sla.breached', via: 'sla', eventId: subject.eventId },
          nowMs,
          { notifyPaged: false },
        );
      }
      await writeStep(manager, alert, current.document, nowMs);
      return 'created';
    });
  }

  /** The contact's clock for this target stopped (a reply, a close): resolve its alerts. */
  async resolveForContact(
    contactId: string,
    target: string,
    actor: AlertActor,
    nowMs: number,
  ): Promise<number> {
    return this.db.transaction(async (manager) => {
      const rows = await manager.query<{ id: string }[]>(
        `SELECT id FROM alert WHERE contact_id = $1 AND target = $2 AND state <> 'resolved'
          FOR NO KEY UPDATE`,
        [contactId, target],
      );
      const ids = await resolveAlertsTx(
        manager,
        rows.map((row) => row.id),
        actor,
        nowMs,
        { notifyPaged: true },
      );
      return ids.length;
    });
  }

  /**
   * Keep the contact's next breach on its unresolved alerts, so an acknowledgement lapses before
   * it; an acknowledgement already running is shortened if the new breach comes sooner.
   */
  async updateNextDue(
    nextDue: ReadonlyMap<string, Date | undefined>,
    leadMs: number,
    nowMs: number,
  ): Promise<void> {
    if (nextDue.size === 0) return;
    // One statement per chunk of events, not one per event: most contacts have no alert at all.
    await this.db.query(
      `UPDATE alert a SET next_due_at = u.next_due,
              ack_expires_at = CASE
                WHEN a.state = 'acknowledged' AND u.next_due > a.acked_at
                THEN LEAST(COALESCE(a.ack_expires_at, 'infinity'),
                           GREATEST(u.next_due - $3::int * interval '1 millisecond',
                                    LEAST(u.next_due, GREATEST(a.acked_at, $4::timestamptz)
                                                      + $3::int * interval '1 millisecond')))
                ELSE a.ack_expires_at END
         FROM unnest($1::text[], $2::timestamptz[]) AS u(contact_id, next_due)
        WHERE a.contact_id = u.contact_id AND a.state <> 'resolved'
          AND a.next_due_at IS DISTINCT FROM u.next_due`,
      [[...nextDue.keys()], [...nextDue.values()].map((at) => at ?? null), leadMs, new Date(nowMs)],
    );
  }

  /**
   * Run due chain steps: claim alerts whose next step is due (SKIP LOCKED, so several instances
   * share the work), each in its own transaction with the step's notifications.
   */
  async runDueSteps(current: VersionedDocument, limit: number, nowMs: number): Promise<number> {
    let ran = 0;
    for (let i = 0; i < limit; i += 1) {
      const done = await this.db.transaction(async (manager) => {
        const alert = await this.claimOne(
          manager,
          `a.state = 'open' AND a.next_step_at <= $1 AND a.chain IS NOT NULL`,
          'a.next_step_at',
          nowMs,
        );
        if (alert === undefined) return false;
        await writeStep(manager, alert, current.document, nowMs);
        return true;
      });
      if (!done) break;
      ran += 1;
    }
    return ran;
  }

  /**
   * Acknowledged is not answered: an acknowledgement that lapsed with the alert still open
   * re-opens it and the chain resumes at once where it stopped (the last level again when the
   * chain had run out).
   */
  async reopenLapsedAcks(
    current: VersionedDocument,
    limit: number,
    nowMs: number,
  ): Promise<number> {
    let reopened = 0;
    for (let i = 0; i < limit; i += 1) {
      const done = await this.db.transaction(async (manager) => {
        const alert = await this.claimOne(
          manager,
          `a.state = 'acknowledged' AND a.ack_expires_at <= $1`,
          'a.ack_expires_at',
          nowMs,
        );
        if (alert === undefined) return false;
        const now = new Date(nowMs);
        const finished = alert.nextStepAt === null;
        const lastLevel = (alert.chain?.levels.length ?? 1) - 1;
        const resumed: AlertRecord = {
          ...alert,
          state: 'open',
          nextLevel: finished ? lastLevel : alert.nextLevel,
          nextStepAt: now,
        };
        await manager.query(
          `UPDATE alert SET state = 'open', ack_expires_at = NULL, next_level = $2, next_step_at = $3
            WHERE id = $1`,
          [alert.id, resumed.nextLevel, now],
        );
        const byTimeout =
          alert.chain?.ackTimeout !== undefined &&
          alert.ackedAt !== null &&
          alert.ackExpiresAt !== null &&
          alert.ackedAt.getTime() + alert.chain.ackTimeout <= alert.ackExpiresAt.getTime();
        await manager.query(
          `INSERT INTO alert_event (alert_id, kind, at, detail)
           VALUES ($1, 'alert.unacknowledged', $2, $3)`,
          [
            alert.id,
            now,
            {
              reason: byTimeout ? 'ack_timeout' : 'next_breach',
              acknowledgedBy: alert.ackedBy,
              acknowledgedAt: alert.ackedAt?.toISOString() ?? null,
            },
          ],
        );
        if (alert.chain !== null) await writeStep(manager, resumed, current.document, nowMs);
        return true;
      });
      if (!done) break;
      reopened += 1;
    }
    return reopened;
  }

  private async claimOne(
    manager: EntityManager,
    where: string,
    orderBy: string,
    nowMs: number,
  ): Promise<AlertRecord | undefined> {
    const rows = await manager.query<AlertRecord[]>(
      `SELECT ${ALERT_COLUMNS} FROM alert a WHERE ${where}
        ORDER BY ${orderBy} LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED`,
      [new Date(nowMs)],
    );
    return rows[0];
  }
}
