import { Queue } from 'bullmq';
import type Redis from 'ioredis';

export const SLA_TIMER_QUEUE = 'sla-timers';

/** Job data is the bare contact id; the deadline is part of the job id. */
export type TimerJobData = string;

/**
 * BullMQ job ids may not contain `:` and contact ids may: encode them. Deterministic, so scheduling
 * the same deadline twice (a redelivered event, a reconcile pass) adds one job.
 */
export function timerJobId(contactId: string, dueMs: number): string {
  return `dl-${dueMs}-${Buffer.from(contactId, 'utf8').toString('base64url')}`;
}

export interface TimerChange {
  contactId: string;
  previousDueMs?: number;
  nextDueMs?: number;
}

/** The contact and deadline a timer job id names (undefined for a foreign id). */
export function parseTimerJobId(jobId: string): { contactId: string; dueMs: number } | undefined {
  const match = /^dl-(\d+)-([A-Za-z0-9_-]*)$/.exec(jobId);
  if (!match) return undefined;
  return {
    dueMs: Number(match[1]),
    contactId: Buffer.from(match[2], 'base64url').toString('utf8'),
  };
}

/**
 * One delayed job per open contact whose nearest deadline (a warning or a breach) falls within
 * the horizon. Deadlines further out wait in the due index (`…:q:due`) and get their job when
 * the sweeper's horizon pass reaches them: a million contacts due in hours cost no jobs until
 * their last minutes, and the jobs that exist are the ones about to fire.
 */
export class SlaTimerScheduler {
  readonly queue: Queue<TimerJobData>;

  constructor(
    connection: Redis,
    readonly prefix: string,
    /** How far ahead jobs exist (`SLA_TIMER_HORIZON_MS`). */
    readonly horizonMs: number = Number.POSITIVE_INFINITY,
  ) {
    this.queue = new Queue<TimerJobData>(SLA_TIMER_QUEUE, { connection, prefix });
  }

  /** Apply deadline changes: add the new jobs, drop the replaced ones (a missed drop is a no-op fire). */
  async apply(changes: readonly TimerChange[], nowMs: number): Promise<void> {
    const horizon = nowMs + this.horizonMs;
    const moved = changes.filter((change) => change.previousDueMs !== change.nextDueMs);
    const added = moved.filter(
      (c) => c.nextDueMs !== undefined && c.nextDueMs <= horizon,
    ) as Required<TimerChange>[];
    await this.schedule(
      added.map((c) => ({ contactId: c.contactId, dueMs: c.nextDueMs })),
      nowMs,
    );
    // A deadline beyond the horizon never had a job: nothing to drop.
    await Promise.all(
      moved
        .filter((change) => change.previousDueMs !== undefined && change.previousDueMs <= horizon)
        .map((change) =>
          this.queue.remove(timerJobId(change.contactId, change.previousDueMs!)).catch(() => 0),
        ),
    );
  }

  async schedule(
    timers: readonly { contactId: string; dueMs: number }[],
    nowMs: number,
  ): Promise<void> {
    if (timers.length === 0) return;
    await this.queue.addBulk(
      timers.map((timer) => ({
        name: 'deadline',
        data: timer.contactId,
        opts: {
          jobId: timerJobId(timer.contactId, timer.dueMs),
          delay: Math.max(0, timer.dueMs - nowMs),
          attempts: 10,
          backoff: { type: 'exponential', delay: 500 },
        },
      })),
    );
  }

  /** Which of these timers have no job in Redis (for the reconcile pass). */
  async missing(
    timers: readonly { contactId: string; dueMs: number }[],
  ): Promise<{ contactId: string; dueMs: number }[]> {
    if (timers.length === 0) return [];
    const client = (await this.queue.client) as unknown as Redis;
    const pipeline = client.pipeline();
    for (const timer of timers)
      pipeline.exists(
        `${this.prefix}:${SLA_TIMER_QUEUE}:${timerJobId(timer.contactId, timer.dueMs)}`,
      );
    const results = (await pipeline.exec()) ?? [];
    return timers.filter((_, index) => results[index]?.[1] !== 1);
  }

  /** A page of delayed job ids (for dropping orphans). */
  async delayedJobIds(start: number, count: number): Promise<string[]> {
    const client = (await this.queue.client) as unknown as Redis;
    return client.zrange(`${this.prefix}:${SLA_TIMER_QUEUE}:delayed`, start, start + count - 1);
  }

  async remove(jobIds: readonly string[]): Promise<void> {
    await Promise.all(jobIds.map((id) => this.queue.remove(id).catch(() => 0)));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
