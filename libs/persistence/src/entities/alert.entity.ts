import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AlertState = 'open' | 'acknowledged' | 'resolved';
export type AlertTrigger = 'sla.warning' | 'sla.breached' | 'source.silent';

/**
 * One breach (or warning) of one target of one contact: what leads are paged about. It carries a
 * snapshot of its escalation chain and where it is in it.
 */
@Entity({ name: 'alert' })
export class AlertEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The `sla.breached` event id: unique, so a redelivered event creates no second alert. */
  @Column({ name: 'sla_event_id', type: 'text', unique: true })
  slaEventId!: string;

  @Column({ name: 'contact_id', type: 'text' })
  contactId!: string;

  @Column({ type: 'text' })
  channel!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  priority!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ name: 'policy_id', type: 'text' })
  policyId!: string;

  @Column({ name: 'policy_version', type: 'integer' })
  policyVersion!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'text', default: 'open' })
  state!: AlertState;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Column({ type: 'text', default: 'sla.breached' })
  trigger!: AlertTrigger;

  @Column({ type: 'text', nullable: true })
  team!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ name: 'chain_id', type: 'text', nullable: true })
  chainId!: string | null;

  /** The chain as it was when the alert started: later edits apply to new alerts only. */
  @Column({ type: 'jsonb', nullable: true })
  chain!: Record<string, unknown> | null;

  @Column({ name: 'document_version', type: 'text', nullable: true })
  documentVersion!: string | null;

  /** Steps run so far; the next step pages `nextLevel` (0-based) of round `nextRound`. */
  @Column({ name: 'step_seq', type: 'integer', default: 0 })
  stepSeq!: number;

  @Column({ name: 'next_level', type: 'integer', default: 0 })
  nextLevel!: number;

  @Column({ name: 'next_round', type: 'integer', default: 0 })
  nextRound!: number;

  /** When the next step is due; null when the chain has run out. */
  @Column({ name: 'next_step_at', type: 'timestamptz', nullable: true })
  nextStepAt!: Date | null;

  @Column({ name: 'acked_at', type: 'timestamptz', nullable: true })
  ackedAt!: Date | null;

  @Column({ name: 'acked_by', type: 'text', nullable: true })
  ackedBy!: string | null;

  @Column({ name: 'ack_expires_at', type: 'timestamptz', nullable: true })
  ackExpiresAt!: Date | null;

  /** The contact's next breach, from its latest SLA event: an acknowledgement lapses before it. */
  @Column({ name: 'next_due_at', type: 'timestamptz', nullable: true })
  nextDueAt!: Date | null;
}
