import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type AlertState = 'open' | 'resolved';

/** One breach of one target of one contact: what leads are paged about. */
@Entity({ name: 'alert' })
@Index('alert_open_by_contact', ['contactId'], { where: `state = 'open'` })
@Index('alert_created_at', ['createdAt'])
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
}
