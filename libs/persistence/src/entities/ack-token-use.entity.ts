import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An acknowledge link that was used: each link works once per alert it names. */
@Entity({ name: 'ack_token_use' })
export class AckTokenUseEntity {
  @PrimaryColumn({ name: 'notification_id', type: 'uuid' })
  notificationId!: string;

  @PrimaryColumn({ name: 'alert_id', type: 'uuid' })
  alertId!: string;

  @Column({ name: 'used_at', type: 'timestamptz' })
  usedAt!: Date;
}
