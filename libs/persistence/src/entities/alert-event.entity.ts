import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** The alert's append-only timeline: created, notified, resolved. */
@Entity({ name: 'alert_event' })
@Index('alert_event_by_alert', ['alertId', 'at'])
export class AlertEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ name: 'alert_id', type: 'uuid' })
  alertId!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'jsonb', default: {} })
  detail!: Record<string, unknown>;
}
