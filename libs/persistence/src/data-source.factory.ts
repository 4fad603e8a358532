import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { AlertEntity } from './entities/alert.entity';
import { AlertEventEntity } from './entities/alert-event.entity';
import { NotificationEntity } from './entities/notification.entity';
import { NotificationAttemptEntity } from './entities/notification-attempt.entity';
import { AckTokenUseEntity } from './entities/ack-token-use.entity';
import { EscalationDocumentEntity } from './entities/escalation-document.entity';
import { InitialAlerts1732406400000 } from './migrations/1732406400000-initial-alerts';
import { EscalationChains1764000000000 } from './migrations/1764000000000-escalation-chains';
import { ApiKeys1764100000000 } from './migrations/1764100000000-api-keys';
import { SlaOutcomes1764200000000 } from './migrations/1764200000000-sla-outcomes';

export interface DatabaseConfig {
  url: string;
  schema: string;
}

export const ENTITIES = [
  AlertEntity,
  NotificationEntity,
  NotificationAttemptEntity,
  AlertEventEntity,
  AckTokenUseEntity,
  EscalationDocumentEntity,
];
/** Listed explicitly (not globbed) so the build needs no file discovery. */
export const MIGRATIONS = [
  InitialAlerts1732406400000,
  EscalationChains1764000000000,
  ApiKeys1764100000000,
  SlaOutcomes1764200000000,
];

/**
 * TypeORM options: one schema per deployment (and per test), schema changes only through
 * migrations, never `synchronize`.
 */
export function dataSourceOptions(config: DatabaseConfig, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    schema: config.schema,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'all',
    synchronize: false,
    // Migrations use the built-in gen_random_uuid(); no extension is installed into the schema.
    installExtensions: false,
    logging: ['error'],
    // Unqualified names in migrations and queries resolve to this deployment's schema.
    extra: { max: poolSize, options: `-c search_path=${config.schema}` },
  };
}

/** The schema must exist before TypeORM can keep its migrations table in it. */
export async function ensureSchema(config: DatabaseConfig): Promise<void> {
  const client = new Client({ connectionString: config.url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
  } finally {
    await client.end();
  }
}

/** Create the schema if needed and apply pending migrations; returns their names. */
export async function migrate(config: DatabaseConfig): Promise<string[]> {
  await ensureSchema(config);
  const dataSource = new DataSource(dataSourceOptions(config, 1));
  await dataSource.initialize();
  try {
    // Two services migrating at once would race; an advisory lock serialises them.
    await dataSource.query(`SELECT pg_advisory_lock(hashtext($1))`, [
      `replywatch-migrate-${config.schema}`,
    ]);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
