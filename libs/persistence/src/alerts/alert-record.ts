import type { Chain } from '@replywatch/escalation-rules';
import type { AlertState, AlertTrigger } from '../entities/alert.entity';

/** An alert as the services read it (one row of `alert`). */
export interface AlertRecord {
  id: string;
  slaEventId: string;
  contactId: string;
  channel: string;
  source: string;
  priority: string;
  target: string;
  policyId: string;
  policyVersion: number;
  trigger: AlertTrigger;
  team: string | null;
  assignee: string | null;
  chainId: string | null;
  chain: Chain | null;
  documentVersion: string | null;
  state: AlertState;
  startedAt: Date;
  dueAt: Date;
  createdAt: Date;
  stepSeq: number;
  nextLevel: number;
  nextRound: number;
  nextStepAt: Date | null;
  ackedAt: Date | null;
  ackedBy: string | null;
  ackExpiresAt: Date | null;
  nextDueAt: Date | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

/** The SELECT list that reads an `alert` row as an AlertRecord (`a` is the table alias). */
export const ALERT_COLUMNS = `a.id, a.sla_event_id AS "slaEventId", a.contact_id AS "contactId",
  a.channel, a.source, a.priority, a.target, a.policy_id AS "policyId",
  a.policy_version AS "policyVersion", a.trigger, a.team, a.assignee, a.chain_id AS "chainId",
  a.chain, a.document_version AS "documentVersion", a.state, a.started_at AS "startedAt",
  a.due_at AS "dueAt", a.created_at AS "createdAt", a.step_seq AS "stepSeq",
  a.next_level AS "nextLevel", a.next_round AS "nextRound", a.next_step_at AS "nextStepAt",
  a.acked_at AS "ackedAt", a.acked_by AS "ackedBy", a.ack_expires_at AS "ackExpiresAt",
  a.next_due_at AS "nextDueAt", a.resolved_at AS "resolvedAt", a.resolved_by AS "resolvedBy"`;
