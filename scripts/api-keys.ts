/**
 * `npm run keys -- <command>`: create, list and revoke API keys (stored hashed in PostgreSQL).
 *   create --role <connector|ops|lead|admin> --name <who or what>   prints the key once
 *   list                                                            id, name, role, fingerprint
 *   revoke <id or fingerprint>
 * Reads DATABASE_URL and DATABASE_SCHEMA like the services; applies pending migrations first.
 */
import { z } from 'zod';
import { DataSource } from 'typeorm';
import {
  API_KEY_ROLES,
  ApiKeyRepository,
  dataSourceOptions,
  migrate,
} from '@replywatch/persistence';
import type { ApiKeyRole } from '@replywatch/persistence';
import { databaseEnvShape, loadConfig } from '@replywatch/platform';

const USAGE = `usage:
  npm run keys -- create --role <${API_KEY_ROLES.join('|')}> --name <who or what>
  npm run keys -- list
  npm run keys -- revoke <id or fingerprint>`;

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function run(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (!['create', 'list', 'revoke'].includes(command ?? '')) throw new UsageError(USAGE);
  const env = loadConfig(z.object(databaseEnvShape), process.env);
  const database = { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA };
  await migrate(database);
  const db = new DataSource(dataSourceOptions(database, 1));
  await db.initialize();
  const keys = new ApiKeyRepository(db);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (command === 'create') {
      const role = option(rest, 'role');
      const name = option(rest, 'name');
      if (role === undefined || !(API_KEY_ROLES as readonly string[]).includes(role)) {
        throw new UsageError(`--role must be one of ${API_KEY_ROLES.join(', ')}\n${USAGE}`);
      }
      if (name === undefined || name.trim() === '' || name.length > 200) {
        throw new UsageError(`--name is required (1-200 characters)\n${USAGE}`);
      }
      const { key, record } = await keys.create(role as ApiKeyRole, name.trim());
      out(
        `created ${record.role} key "${record.name}" (id ${record.id}, fingerprint ${record.fingerprint})`,
      );
      out(`key: ${key}`);
      out('Store it now: only its SHA-256 digest is kept, it cannot be shown again.');
    } else if (command === 'list') {
      for (const k of await keys.list()) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        out(`${k.id}  ${k.fingerprint}  ${k.role.padEnd(9)}  ${state.padEnd(32)}  ${k.name}`);
      }
    } else {
      const target = rest[0];
      if (target === undefined) throw new UsageError(`revoke needs an id or fingerprint\n${USAGE}`);
      const revoked = await keys.revoke(target);
      if (revoked.length === 0) {
        throw new UsageError(`no active key with id or fingerprint ${target}`);
      }
      for (const k of revoked) out(`revoked ${k.role} key "${k.name}" (${k.fingerprint})`);
      out('The ops API stops accepting it within 10 s.');
    }
  } finally {
    await db.destroy();
  }
}

run(process.argv.slice(2)).catch((error: Error) => {
  console.error(error instanceof UsageError ? error.message : `keys: ${error.message}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
