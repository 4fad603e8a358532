import { timingSafeEqual } from 'node:crypto';
import { apiKeyDigest, apiKeyFingerprint } from '@replywatch/persistence';
import { AppError } from '@replywatch/platform';
import type { ApiKeyRecord, ApiKeyRepository, ApiKeyRole } from '@replywatch/persistence';

/** Who called, as the audit trail records it: never the key, only a short fingerprint. */
export interface ApiCaller {
  role: ApiKeyRole;
  keyFingerprint: string;
  /** The key's name (from the CLI), absent for keys from the environment. */
  name?: string;
}

interface CachedLookup {
  record: ApiKeyRecord | undefined;
  at: number;
}

function matches(given: Buffer, known: readonly Buffer[]): boolean {
  let ok = false;
  for (const key of known) ok = timingSafeEqual(given, key) || ok; // no early exit: constant time
  return ok;
}

/**
 * Resolves a bearer key to its caller: keys from the environment (`OPS_API_KEYS` as ops,
 * `OPS_ADMIN_KEYS` as admin) or keys created with the CLI (table `api_key`, any role). Database
 * answers are cached for `cacheMs`, so a revoked key stops working within that time.
 */
export class ApiKeyDirectory {
  private readonly opsDigests: Buffer[];
  private readonly adminDigests: Buffer[];
  private readonly cache = new Map<string, CachedLookup>();

  constructor(
    opsKeys: readonly string[],
    adminKeys: readonly string[],
    private readonly keys: ApiKeyRepository | undefined,
    private readonly cacheMs = 10000,
    private readonly now: () => number = Date.now,
  ) {
    this.opsDigests = opsKeys.map(apiKeyDigest);
    this.adminDigests = adminKeys.map(apiKeyDigest);
  }

  async caller(key: string): Promise<ApiCaller | undefined> {
    const digest = apiKeyDigest(key);
    const fingerprint = apiKeyFingerprint(key);
    if (matches(digest, this.adminDigests)) return { role: 'admin', keyFingerprint: fingerprint };
    if (matches(digest, this.opsDigests)) return { role: 'ops', keyFingerprint: fingerprint };
    if (this.keys === undefined) return undefined;
    const id = digest.toString('hex');
    let cached = this.cache.get(id);
    if (cached === undefined || this.now() - cached.at > this.cacheMs) {
      let record: ApiKeyRecord | undefined;
      try {
        record = await this.keys.findActive(digest);
      } catch (error) {
        throw new AppError(
          'OPS.AUTH_UNAVAILABLE',
          `cannot check the API key now (${(error as Error).message}); try again`,
          503,
        );
      }
      cached = { record, at: this.now() };
      if (this.cache.size > 10000) this.cache.clear(); // bounded: unknown keys must not grow it
      this.cache.set(id, cached);
    }
    const record = cached.record;
    return record === undefined
      ? undefined
      : { role: record.role, keyFingerprint: record.fingerprint, name: record.name };
  }
}
