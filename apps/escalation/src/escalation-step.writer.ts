import type { EntityManager } from 'typeorm';
import { digestSendAt, fatigueDecision, planStep } from '@replywatch/escalation-rules';
import type { Delivery, EscalationDocument } from '@replywatch/escalation-rules';
import type { AlertRecord } from '@replywatch/persistence';

export interface StepOutcome {
  seq: number;
  pages: number;
  digested: number;
  nextStepAt: Date | null;
}

const recipientKey = (d: Delivery) => `${d.channel}:${d.address}`;

/**
 * Run the alert's next chain step inside the caller's transaction: the notifications go into the
 * outbox in the same transaction that moves the alert on, so a crash leaves either both or
 * neither. A target over its fatigue limit gets the alert in a digest instead of its own page.
 */
export async function writeStep(
  manager: EntityManager,
  alert: AlertRecord,
  doc: EscalationDocument,
  nowMs: number,
): Promise<StepOutcome> {
  const chain = alert.chain;
  if (chain === null) throw new Error(`alert ${alert.id} has no escalation chain`);
  const position = { level: alert.nextLevel, round: alert.nextRound };
  const plan = planStep(
    chain,
    position,
    { assignee: alert.assignee ?? undefined, team: alert.team ?? undefined },
    doc,
    nowMs,
  );
  const now = new Date(nowMs);
  const seq = alert.stepSeq + 1;
  const deliveries = [...plan.deliveries].sort((a, b) =>
    recipientKey(a) < recipientKey(b) ? -1 : 1,
  );
  let digested = 0;
  const audit: Record<string, unknown>[] = [];
  for (const delivery of deliveries) {
    const rule = doc.fatigue[delivery.channel];
    let recent = 0;
    if (rule !== undefined) {
      // Serialise per recipient: the fatigue count and the open digest are read, then written.
      // Only then: without a rule nothing shared is read, and a burst of alerts to one lead
      // would otherwise queue behind one another's transactions.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `replywatch-notify:${recipientKey(delivery)}`,
      ]);
      const [row] = await manager.query<{ count: string }[]>(
        `SELECT count(*) FROM notification
          WHERE channel = $1 AND recipient = $2 AND kind = 'page'
            AND status IN ('pending', 'sent', 'failed') AND created_at > $3`,
        [delivery.channel, delivery.address, new Date(nowMs - rule.window)],
      );
      recent = Number(row.count);
    }
    let digestId: string | null = null;
    if (rule !== undefined && fatigueDecision(rule, recent) === 'digest') {
      digestId = await openDigest(manager, delivery, digestSendAt(rule, nowMs), now);
      digested += 1;
    }
    await manager.query(
      `INSERT INTO notification (alert_id, kind, step, level, channel, recipient, target, person_id,
                                 status, digest_id, next_attempt_at, created_at)
       VALUES ($1, 'page', $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT ON CONSTRAINT notification_once_per_step DO NOTHING`,
      [
        alert.id,
        seq,
        position.level + 1,
        delivery.channel,
        delivery.address,
        delivery.target,
        delivery.personId ?? null,
        digestId === null ? 'pending' : 'digested',
        digestId,
        now,
      ],
    );
    audit.push({
      channel: delivery.channel,
      recipient: delivery.address,
      target: delivery.target,
      ...(delivery.personId ? { person: delivery.personId } : {}),
      ...(digestId ? { digest: digestId } : {}),
    });
  }
  const nextStepAt = plan.next === undefined ? null : new Date(plan.next.atMs);
  await manager.query(
    `UPDATE alert SET step_seq = $2, next_level = $3, next_round = $4, next_step_at = $5
      WHERE id = $1`,
    [
      alert.id,
      seq,
      plan.next?.position.level ?? position.level,
      plan.next?.position.round ?? position.round,
      nextStepAt,
    ],
  );
  await manager.query(
    `INSERT INTO alert_event (alert_id, kind, at, detail) VALUES ($1, $2, $3, $4)`,
    [
      alert.id,
      deliveries.length === 0 ? 'step.unreached' : 'step.started',
      now,
      {
        step: seq,
        level: position.level + 1,
        round: position.round + 1,
        chain: chain.id,
        deliveries: audit,
        skipped: plan.skipped,
        ...(plan.usedFallback ? { fallback: true } : {}),
        nextStepAt: nextStepAt?.toISOString() ?? null,
      },
    ],
  );
  return { seq, pages: deliveries.length - digested, digested, nextStepAt };
}

/** The digest collecting for this recipient, or a new one sent when its hold ends. */
async function openDigest(
  manager: EntityManager,
  delivery: Delivery,
  sendAtMs: number,
  now: Date,
): Promise<string> {
  const open = await manager.query<{ id: string }[]>(
    `SELECT id FROM notification
      WHERE kind = 'digest' AND channel = $1 AND recipient = $2 AND status = 'pending'
        AND collect_until > $3
      LIMIT 1 FOR UPDATE`,
    [delivery.channel, delivery.address, now],
  );
  if (open[0] !== undefined) return open[0].id;
  const sendAt = new Date(sendAtMs);
  const created = await manager.query<{ id: string }[]>(
    `INSERT INTO notification (alert_id, kind, step, channel, recipient, target, person_id, status,
                               next_attempt_at, collect_until, created_at)
     VALUES (NULL, 'digest', 0, $1, $2, $3, $4, 'pending', $5, $5, $6) RETURNING id`,
    [delivery.channel, delivery.address, delivery.target, delivery.personId ?? null, sendAt, now],
  );
  return created[0].id;
}
