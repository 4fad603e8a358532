import type Redis from 'ioredis';
import { CHANNELS } from '@replywatch/contracts';
import type { Channel } from '@replywatch/contracts';
import type { ContactKeys } from '@replywatch/redis';
import type { QueueSnapshot } from './queue.repository';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface HourCount {
  hour: string;
  count: number;
}

export interface WaitingSample {
  at: string;
  waiting: number;
}

/**
 * Time series for the dashboard, kept small in Redis: contacts opened per UTC hour (the SLA
 * service counts them as it opens contacts) and the waiting count sampled by ops every interval.
 */
export class QueueStatsRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ContactKeys,
  ) {}

  /** Contacts opened in each of the last 24 hours (the current one last), per channel. */
  async openedByHour(nowMs: number): Promise<Record<Channel, HourCount[]>> {
    const today = Math.floor(nowMs / DAY_MS);
    const [yesterdayCounts, todayCounts] = await Promise.all([
      this.redis.hgetall(this.keys.openedOnDay(today - 1)),
      this.redis.hgetall(this.keys.openedOnDay(today)),
    ]);
    const currentHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const result = Object.fromEntries(CHANNELS.map((c) => [c, [] as HourCount[]])) as Record<
      Channel,
      HourCount[]
    >;
    for (let back = 23; back >= 0; back -= 1) {
      const start = currentHour - back * HOUR_MS;
      const counts = Math.floor(start / DAY_MS) === today ? todayCounts : yesterdayCounts;
      const hourOfDay = new Date(start).getUTCHours();
      for (const channel of CHANNELS) {
        result[channel].push({
          hour: new Date(start).toISOString(),
          count: Number(counts[`${hourOfDay}:${channel}`] ?? 0),
        });
      }
    }
    return result;
  }

  /**
   * Record the waiting count for the sample bucket `nowMs` falls in. Several ops instances may
   * sample the same bucket: the first write wins. Samples older than `keepMs` are dropped.
   */
  async recordWaiting(snapshot: QueueSnapshot, nowMs: number, bucketMs: number, keepMs: number) {
    const key = this.keys.waitingHistory();
    const bucket = Math.floor(nowMs / bucketMs) * bucketMs;
    const sample = { waiting: snapshot.totals.waiting, channels: waitingByChannel(snapshot) };
    await this.redis.hsetnx(key, String(bucket), JSON.stringify(sample));
    const stale = (await this.redis.hkeys(key)).filter((field) => Number(field) < nowMs - keepMs);
    if (stale.length > 0) await this.redis.hdel(key, ...stale);
  }

  /** The samples since `sinceMs`, oldest first. */
  async waitingHistory(sinceMs: number): Promise<WaitingSample[]> {
    const raw = await this.redis.hgetall(this.keys.waitingHistory());
    return Object.entries(raw)
      .map(([bucket, json]) => ({
        at: Number(bucket),
        sample: JSON.parse(json) as { waiting: number },
      }))
      .filter((entry) => entry.at >= sinceMs)
      .sort((a, b) => a.at - b.at)
      .map((entry) => ({ at: new Date(entry.at).toISOString(), waiting: entry.sample.waiting }));
  }
}

function waitingByChannel(snapshot: QueueSnapshot): Record<Channel, number> {
  return Object.fromEntries(
    CHANNELS.map((channel) => [channel, snapshot.channels[channel].waiting]),
  ) as Record<Channel, number>;
}
