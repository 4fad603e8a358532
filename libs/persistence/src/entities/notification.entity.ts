import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** `cancelled`: the alert was resolved before this was delivered, so it is not sent. */
export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'cancelled';

/**
 * The outbox: written in the same transaction as the alert, delivered by the sender loop with
 * retries. Unique per (alert, step, channel, recipient), so nobody gets the same page twice.
 */
@Entity({ name: 'notification' })
@Unique('notification_once_per_step', ['alertId', 'step', 'channel', 'recipient'])
@Index('notification_due', ['nextAttemptAt'], { where: `status = 'pending'` })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId!: string;

  @Column({ type: 'integer', default: 1 })
  step!: number;

  @Column({ type: 'text' })
  channel!: 'email';

  @Column({ type: 'text' })
  recipient!: string;

  @Column({ type: 'text', default: 'pending' })
  status!: NotificationStatus;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz' })
  nextAttemptAt!: Date;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
