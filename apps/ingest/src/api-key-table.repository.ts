import { Pool } from 'pg';
import type { ApiKeyRole, DatabaseConfig } from '@replywatch/persistence';
import type { StoredKey } from './database-key.cache';

/** PostgreSQL's "relation does not exist": the schema is not migrated yet, so it holds no keys. */
const UNDEFINED_TABLE = '42P01';

/**
 * Reads the active keys of table `api_key` (written by `npm run keys`). A small pool of its own
 * that connects lazily, so ingest starts and keeps serving while PostgreSQL is down.
 */
export class ApiKeyTableRepository {
  private readonly pool: Pool;
  private warnedMissingTable = false;

  constructor(
    private readonly config: DatabaseConfig,
    private readonly logger: { warn(message: string): void },
  ) {
    this.pool = new Pool({
      connectionString: config.url,
      max: 2,
      connectionTimeoutMillis: 3000,
      query_timeout: 5000,
      idleTimeoutMillis: 30000,
      application_name: 'replywatch-ingest',
    });
    // An idle connection that drops emits here; unhandled, it would crash the process.
    this.pool.on('error', (error) => {
      this.logger.warn(`PostgreSQL connection lost: ${error.message}`);
    });
  }

  async activeKeys(): Promise<StoredKey[]> {
    try {
      const { rows } = await this.pool.query<{ key_hash: Buffer; role: ApiKeyRole; name: string }>(
        `SELECT key_hash, role, name FROM "${this.config.schema}".api_key WHERE revoked_at IS NULL`,
      );
      this.warnedMissingTable = false;
      return rows.map((row) => ({ digest: row.key_hash, role: row.role, name: row.name }));
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNDEFINED_TABLE) throw error;
      if (!this.warnedMissingTable) {
        this.warnedMissingTable = true;
        this.logger.warn(
          `no table api_key in schema "${this.config.schema}" yet (escalation applies the migrations): only CONNECTOR_KEYS work until it exists`,
        );
      }
      return [];
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
