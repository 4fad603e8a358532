import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * `cancelled`: the alert was acknowledged or resolved before this was delivered, so it is not
 * sent. `digested`: the target had too many pages, so this one went out in a digest instead.
 */
export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'cancelled' | 'digested';
export type NotificationChannel = 'email' | 'webhook' | 'chat';
/** A page for one alert, the short note that it was resolved, or a digest of several alerts. */
export type NotificationKind = 'page' | 'resolved' | 'digest';

/**
 * The outbox: written in the same transaction as the alert step, delivered by the sender loop
 * with retries. Unique per (alert, kind, step, channel, recipient), so nobody gets the same page
 * twice. The recipient is an e-mail address, or an endpoint id for webhooks and chat.
 */
@Entity({ name: 'notification' })
@Unique('notification_once_per_step', ['alertId', 'kind', 'step', 'channel', 'recipient'])
@Index('notification_due', ['nextAttemptAt'], { where: `status = 'pending'` })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Null for a digest, which lists several alerts (their pages point at it). */
  @Column({ name: 'alert_id', type: 'uuid', nullable: true })
  alertId!: string | null;

  @Column({ type: 'text', default: 'page' })
  kind!: NotificationKind;

  @Column({ type: 'integer', default: 1 })
  step!: number;

  @Column({ type: 'text' })
  channel!: NotificationChannel;

  /** The chain level (1-based) that paged, and the target it came from (`team:support`). */
  @Column({ type: 'integer', nullable: true })
  level!: number | null;

  @Column({ type: 'text', nullable: true })
  target!: string | null;

  @Column({ name: 'person_id', type: 'text', nullable: true })
  personId!: string | null;

  @Column({ name: 'digest_id', type: 'uuid', nullable: true })
  digestId!: string | null;

  /** A digest still collecting alerts until this instant; null once it is being sent. */
  @Column({ name: 'collect_until', type: 'timestamptz', nullable: true })
  collectUntil!: Date | null;

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
