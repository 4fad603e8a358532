import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';

export const API_KEY_ROLES = ['connector', 'ops', 'lead', 'admin'] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: ApiKeyRole;
  fingerprint: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** SHA-256 of the key: what is stored and looked up. */
export const apiKeyDigest = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** How a key is named in logs and the audit trail: never the key, 12 hex digits of its digest. */
export const apiKeyFingerprint = (key: string) => apiKeyDigest(key).toString('hex').slice(0, 12);

const COLUMNS = `id, name, role, fingerprint, created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** API keys in PostgreSQL: created and revoked by the CLI, looked up by the ops API. */
export class ApiKeyRepository {
  constructor(private readonly db: DataSource) {}

  /** A new key (`rw_<role>_<32 random base64url chars>`): shown once, only its digest is kept. */
  async create(role: ApiKeyRole, name: string): Promise<{ key: string; record: ApiKeyRecord }> {
    const key = `rw_${role}_${randomBytes(24).toString('base64url')}`;
    const [record] = await this.db.query<ApiKeyRecord[]>(
      `INSERT INTO api_key (name, role, key_hash, fingerprint) VALUES ($1, $2, $3, $4)
       RETURNING ${COLUMNS}`,
      [name, role, apiKeyDigest(key), apiKeyFingerprint(key)],
    );
    return { key, record };
  }

  /** The active key with this digest, if there is one. */
  async findActive(digest: Buffer): Promise<ApiKeyRecord | undefined> {
    const rows = await this.db.query<ApiKeyRecord[]>(
      `SELECT ${COLUMNS} FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL`,
      [digest],
    );
    return rows[0];
  }

  async list(): Promise<ApiKeyRecord[]> {
    return this.db.query<ApiKeyRecord[]>(`SELECT ${COLUMNS} FROM api_key ORDER BY created_at, id`);
  }

  /** Revoke by id or fingerprint; returns the keys revoked (none when already revoked or unknown). */
  async revoke(idOrFingerprint: string): Promise<ApiKeyRecord[]> {
    const [rows] = await this.db.query<[ApiKeyRecord[], number]>(
      `UPDATE api_key SET revoked_at = now()
        WHERE (id::text = $1 OR fingerprint = $1) AND revoked_at IS NULL
        RETURNING ${COLUMNS}`,
      [idOrFingerprint],
    );
    return rows;
  }
}
