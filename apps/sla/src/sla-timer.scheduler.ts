import { Queue } from 'bullmq';
import type Redis from 'ioredis';

export const SLA_TIMER_QUEUE = 'sla-timers';

/** Job data is the bare contact id; the clock generation is part of the job id. */
export type TimerJobData = string;

/** BullMQ job ids may not contain `:` and contact ids may: encode them (deterministic, reversible). */
export function timerJobId(contactId: string, gen: number): string {
  return `dl-${gen}-${Buffer.from(contactId, 'utf8').toString('base64url')}`;
}

/** The clock generation a timer was scheduled for, read back from its job id. */
export function timerGeneration(jobId: string | undefined): number | undefined {
  const match = /^dl-(\d+)-/.exec(jobId ?? '');
  return match ? Number(match[1]) : undefined;
}

/**
 * One delayed job per open contact, at its nearest deadline. The id is deterministic, so
 * scheduling the same deadline twice (a redelivered event) adds one job.
 */
export class SlaTimerScheduler {
  readonly queue: Queue<TimerJobData>;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue<TimerJobData>(SLA_TIMER_QUEUE, { connection, prefix });
  }

  async schedule(
    timers: readonly { contactId: string; gen: number; dueMs: number }[],
    nowMs: number,
  ): Promise<void> {
    if (timers.length === 0) return;
    await this.queue.addBulk(
      timers.map((timer) => ({
        name: 'deadline',
        data: timer.contactId,
        opts: {
          jobId: timerJobId(timer.contactId, timer.gen),
          delay: Math.max(0, timer.dueMs - nowMs),
          attempts: 10,
          backoff: { type: 'exponential', delay: 500 },
        },
      })),
    );
  }

  /** Drop timers of contacts whose clock stopped; a timer that cannot be removed fires as a no-op. */
  async cancel(timers: readonly { contactId: string; gen: number }[]): Promise<void> {
    await Promise.all(
      timers.map((timer) =>
        this.queue.remove(timerJobId(timer.contactId, timer.gen)).catch(() => 0),
      ),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
