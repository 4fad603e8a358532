import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Escalation documents saved through the API, newest wins; every saved version is kept. */
@Entity({ name: 'escalation_document' })
export class EscalationDocumentEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'jsonb' })
  document!: Record<string, unknown>;

  @Column({ name: 'saved_at', type: 'timestamptz' })
  savedAt!: Date;

  @Column({ name: 'saved_by', type: 'text', nullable: true })
  savedBy!: string | null;
}
