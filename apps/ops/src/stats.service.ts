import { CHANNELS } from '@replywatch/contracts';
import type { Channel } from '@replywatch/contracts';
import type { SlaOutcomeRepository, SlaReportRow } from '@replywatch/persistence';
import type { QueueCounts, QueueRepository } from './queue.repository';
import type { HourCount, QueueStatsRepository, WaitingSample } from './queue-stats.repository';

export const STATS_WINDOWS = ['today', '1h', '24h', '7d'] as const;
export type StatsWindow = (typeof STATS_WINDOWS)[number];

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

export interface FirstResponseStats {
  attainmentPct: number | null;
  met: number;
  breached: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
}

export interface ChannelStats extends QueueCounts {
  oldestWaitSeconds: number | null;
  breachesToday: number;
  firstResponse: FirstResponseStats;
  openedThisHour: number;
  openedByHour: HourCount[];
}

export interface QueueStats {
  generatedAt: string;
  window: { from: string; to: string };
  overall: ChannelStats;
  channels: Record<Channel, ChannelStats>;
  waitingHistory: WaitingSample[];
}

/** The window's start: a UTC day for `today`, else a span back from now. */
export function windowStart(window: StatsWindow, nowMs: number): number {
  switch (window) {
    case 'today':
      return Math.floor(nowMs / DAY_MS) * DAY_MS;
    case '1h':
      return nowMs - HOUR_MS;
    case '24h':
      return nowMs - DAY_MS;
    case '7d':
      return nowMs - 7 * DAY_MS;
  }
}

function firstResponse(row: SlaReportRow | undefined): FirstResponseStats {
  return {
    attainmentPct: row?.attainmentPercent ?? null,
    met: row?.metInTime ?? 0,
    breached: row?.breached ?? 0,
    p50Seconds: row?.p50Seconds ?? null,
    p90Seconds: row?.p90Seconds ?? null,
  };
}

/**
 * `GET /v1/stats`: live queue figures from the Redis queue view, attainment and breaches from
 * the PostgreSQL SLA history, arrivals and the waiting chart from small Redis series.
 */
export class StatsService {
  constructor(
    private readonly queue: QueueRepository,
    private readonly series: QueueStatsRepository,
    private readonly outcomes: SlaOutcomeRepository,
  ) {}

  async stats(window: StatsWindow, nowMs: number): Promise<QueueStats> {
    const from = new Date(windowStart(window, nowMs));
    const to = new Date(nowMs + 1);
    const midnight = new Date(windowStart('today', nowMs));
    const [snapshot, oldest, opened, byChannel, overall, breaches, history] = await Promise.all([
      this.queue.snapshot(),
      this.queue.oldestWaitSeconds(nowMs),
      this.series.openedByHour(nowMs),
      this.outcomes.report(from, to, 'channel'),
      this.outcomes.report(from, to, 'all'),
      this.outcomes.breachesByChannel(midnight, to),
      this.series.waitingHistory(nowMs - HOUR_MS),
    ]);
    const channels = Object.fromEntries(
      CHANNELS.map((channel) => {
        const openedByHour = opened[channel];
        return [
          channel,
          {
            ...snapshot.channels[channel],
            oldestWaitSeconds: oldest[channel],
            breachesToday: breaches.get(channel) ?? 0,
            firstResponse: firstResponse(byChannel.find((row) => row.key === channel)),
            openedThisHour: openedByHour.at(-1)?.count ?? 0,
            openedByHour,
          },
        ];
      }),
    ) as Record<Channel, ChannelStats>;
    const all = Object.values(channels);
    const oldestOverall = all
      .map((stats) => stats.oldestWaitSeconds)
      .filter((seconds): seconds is number => seconds !== null);
    return {
      generatedAt: new Date(nowMs).toISOString(),
      window: { from: from.toISOString(), to: new Date(nowMs).toISOString() },
      overall: {
        ...snapshot.totals,
        oldestWaitSeconds: oldestOverall.length === 0 ? null : Math.max(...oldestOverall),
        breachesToday: all.reduce((sum, stats) => sum + stats.breachesToday, 0),
        firstResponse: firstResponse(overall[0]),
        openedThisHour: all.reduce((sum, stats) => sum + stats.openedThisHour, 0),
        openedByHour: opened[CHANNELS[0]].map((hour, index) => ({
          hour: hour.hour,
          count: CHANNELS.reduce((sum, channel) => sum + opened[channel][index].count, 0),
        })),
      },
      channels,
      waitingHistory: history,
    };
  }
}
