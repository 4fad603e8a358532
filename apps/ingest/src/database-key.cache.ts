import type { ApiKeyRole } from '@replywatch/persistence';

/** One active (not revoked) key of table `api_key`: its SHA-256 digest, never the key. */
export interface StoredKey {
  digest: Buffer;
  role: ApiKeyRole;
  name: string;
}

export type KeyLookup =
  | { kind: 'found'; role: ApiKeyRole; name: string }
  | { kind: 'unknown' }
  /** The key is not among the keys last loaded, and the database cannot be asked now. */
  | { kind: 'unavailable' };

export interface KeyLookupSource {
  lookup(digest: Buffer): Promise<KeyLookup>;
}

export interface DatabaseKeyCacheOptions {
  /** How often the whole set is reloaded (`INGEST_KEY_REFRESH_MS`): how long a revoked key works. */
  refreshMs: number;
  /** Unknown keys reload at most this often, so a flood of bad keys cannot hammer PostgreSQL. */
  missRefreshMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: { log(message: string): void; warn(message: string): void };
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The active API keys of PostgreSQL, held in memory so no request waits for the database: the
 * set is reloaded every `refreshMs`, and an unknown key reloads it at most once per
 * `missRefreshMs`. When a reload fails the last loaded set stays in use (availability first);
 * a key outside it is then `unavailable` rather than `unknown`, so the connector retries.
 */
export class DatabaseKeyCache implements KeyLookupSource {
  private keys = new Map<string, { role: ApiKeyRole; name: string }>();
  private loadedAt: number | undefined;
  /** Whether the latest finished load failed (undefined before any load finished). */
  private failing: boolean | undefined;
  private inFlight: Promise<void> | undefined;
  private startedLoads = 0;
  private finishedLoads = 0;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly missRefreshMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly load: () => Promise<StoredKey[]>,
    private readonly options: DatabaseKeyCacheOptions,
  ) {
    this.missRefreshMs = options.missRefreshMs ?? 1000;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** First load in the background (start-up never waits for PostgreSQL), then every `refreshMs`. */
  start(): void {
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.inFlight;
  }

  get size(): number {
    return this.keys.size;
  }

  // A map lookup by digest is not constant-time, but the caller controls only the key, not its
  // SHA-256 digest, so timing cannot be steered towards a stored digest.
  async lookup(digest: Buffer): Promise<KeyLookup> {
    const id = digest.toString('hex');
    let key = this.keys.get(id);
    if (key === undefined) {
      await this.loadStartedAfterNow();
      key = this.keys.get(id);
    }
    if (key !== undefined) return { kind: 'found', role: key.role, name: key.name };
    return this.failing === false ? { kind: 'unknown' } : { kind: 'unavailable' };
  }

  /** One load at a time: a call while one runs joins it. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.inFlight ??= this.runLoad().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * Waits until a load that started after this call has finished (a key created a moment ago is
   * then seen), starting one no sooner than `missRefreshMs` after the previous start. Concurrent
   * misses share the same load.
   */
  private async loadStartedAfterNow(): Promise<void> {
    const needed = this.startedLoads + 1;
    while (!this.stopped && this.finishedLoads < needed) {
      if (this.inFlight !== undefined) {
        await this.inFlight;
        continue;
      }
      const wait = this.lastStartedAt + this.missRefreshMs - this.now();
      if (wait > 0) await this.sleep(wait);
      else await this.refresh();
    }
  }

  private async runLoad(): Promise<void> {
    this.startedLoads += 1;
    this.lastStartedAt = this.now();
    try {
      const rows = await this.load();
      this.keys = new Map(
        rows.map((row) => [row.digest.toString('hex'), { role: row.role, name: row.name }]),
      );
      if (this.failing !== false) {
        const connectors = rows.filter((row) => row.role === 'connector').length;
        this.options.logger?.log(
          `${connectors} connector key(s) loaded from PostgreSQL; reloaded every ${this.options.refreshMs} ms`,
        );
      }
      this.failing = false;
      this.loadedAt = this.now();
    } catch (error) {
      if (this.failing !== true) {
        const kept =
          this.loadedAt === undefined
            ? 'only CONNECTOR_KEYS work, other keys get 503 until it answers'
            : `keeping the ${this.keys.size} key(s) loaded ${new Date(this.loadedAt).toISOString()}`;
        this.options.logger?.warn(
          `cannot load API keys from PostgreSQL (${(error as Error).message}): ${kept}`,
        );
      }
      this.failing = true;
    } finally {
      this.finishedLoads += 1;
    }
  }
}
