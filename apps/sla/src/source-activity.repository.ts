import type Redis from 'ioredis';
import type { ContactKeys } from '@replywatch/redis';

// Keep the latest time per source: batches from different partitions may arrive out of order.
const RECORD_MAX = `
for i = 1, #ARGV, 2 do
  local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
  if tonumber(ARGV[i + 1]) > current then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1`;

export interface SourceActivity {
  /** The last contact event from the source, or undefined when none was seen. */
  lastSeenMs?: number;
  /** When monitoring of the source began (counts as "last seen" for a source never heard from). */
  watchedSinceMs?: number;
  /** The start of the silence already reported, while the source is silent. */
  silentSinceMs?: number;
}

/** Per-source activity in Redis, shared by every SLA instance. */
export class SourceActivityRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ContactKeys,
  ) {}

  /** Record the latest event time per source of one consumed batch (one round trip). */
  async recordSeen(latestBySource: ReadonlyMap<string, number>): Promise<void> {
    if (latestBySource.size === 0) return;
    const args = [...latestBySource].flatMap(([source, ms]) => [source, String(ms)]);
    await this.redis.eval(RECORD_MAX, 1, this.keys.sourceLastSeen(), ...args);
  }

  async activityOf(sources: readonly string[], nowMs: number): Promise<SourceActivity[]> {
    if (sources.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const source of sources) pipeline.hsetnx(this.keys.sourceWatchedSince(), source, nowMs);
    pipeline.hmget(this.keys.sourceLastSeen(), ...sources);
    pipeline.hmget(this.keys.sourceWatchedSince(), ...sources);
    pipeline.hmget(this.keys.sourceSilent(), ...sources);
    const results = (await pipeline.exec()) ?? [];
    const column = (index: number): (string | null)[] => {
      const [error, value] = results[sources.length + index] ?? [null, []];
      if (error) throw error;
      return value as (string | null)[];
    };
    const [last, watched, silent] = [column(0), column(1), column(2)];
    const number = (value: string | null | undefined) =>
      value === null || value === undefined ? undefined : Number(value);
    return sources.map((_source, i) => ({
      lastSeenMs: number(last[i]),
      watchedSinceMs: number(watched[i]),
      silentSinceMs: number(silent[i]),
    }));
  }

  async markSilent(source: string, silentSinceMs: number): Promise<void> {
    await this.redis.hset(this.keys.sourceSilent(), source, silentSinceMs);
  }

  async clearSilent(source: string): Promise<void> {
    await this.redis.hdel(this.keys.sourceSilent(), source);
  }
}
