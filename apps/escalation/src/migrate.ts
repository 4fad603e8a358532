import 'reflect-metadata';
import { migrate } from '@replywatch/persistence';
import { loadEscalationConfig } from './escalation.config';

/** `npm run migrate`: apply pending migrations to DATABASE_URL / DATABASE_SCHEMA and exit. */
async function main(): Promise<void> {
  const config = loadEscalationConfig();
  const applied = await migrate(config.database);
  console.warn(
    applied.length === 0
      ? `migrate: schema "${config.database.schema}" is up to date`
      : `migrate: applied ${applied.join(', ')} to schema "${config.database.schema}"`,
  );
}

main().catch((error: unknown) => {
  console.error(`migrate: ${(error as Error).message}`);
  process.exit(1);
});
