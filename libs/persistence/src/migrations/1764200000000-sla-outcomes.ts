import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SLA history for reports: one row per decided target (met or breached), recorded by the
 * escalation service from sla-events.v1, keyed by the event id so a redelivery adds nothing.
 */
export class SlaOutcomes1764200000000 implements MigrationInterface {
  name = 'SlaOutcomes1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE sla_outcome (
        event_id text PRIMARY KEY,
        contact_id text NOT NULL,
        channel text NOT NULL,
        priority text NOT NULL,
        policy_id text NOT NULL,
        target text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('met', 'breached')),
        within_target boolean NOT NULL,
        elapsed_seconds double precision NOT NULL,
        started_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX sla_outcome_occurred ON sla_outcome (occurred_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE sla_outcome`);
  }
}
