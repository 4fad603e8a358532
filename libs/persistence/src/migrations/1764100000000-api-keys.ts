import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys with roles, created by the `keys` CLI. Only a SHA-256 digest of each key is stored
 * (keys are 192-bit random, so a fast hash is enough); revoked keys are kept for the audit trail.
 */
export class ApiKeys1764100000000 implements MigrationInterface {
  name = 'ApiKeys1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('connector', 'ops', 'lead', 'admin')),
        key_hash bytea NOT NULL CONSTRAINT api_key_hash_key UNIQUE,
        fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE api_key`);
  }
}
