import { Logger } from '@nestjs/common';
import type { Admin, Kafka } from 'kafkajs';
import { backoffMs } from '@replywatch/platform';

export interface ConsumerWatermarkOptions {
  /** The contact-events topic the SLA consumer group reads. */
  topic: string;
  groupId: string;
  /** How often to look when nobody waits (the sweeper reads the horizon between looks). */
  pollMs: number;
  /** A deadline is never held longer than this waiting for the consumer: past it, it is
   * announced on what the state knows (a consumer stuck for good must not silence breaches). */
  maxHoldMs: number;
}

/** Looks this often while a timer waits for the watermark to reach its deadline. */
const WAITING_POLL_MS = 50;

interface Snapshot {
  at: number;
  /** Partition → log end offset at `at`. */
  ends: Map<number, bigint>;
}

type WatermarkAdmin = Pick<Admin, 'connect' | 'disconnect' | 'fetchTopicOffsets' | 'fetchOffsets'>;

/**
 * The instant up to which every contact event has been applied: everything that was on
 * contact-events at that instant is committed by the SLA consumer group (which commits only after
 * the Redis write). Deadlines are announced only up to it, so while the consumer is behind (an
 * instance was killed and its partitions wait for the group to notice, a backlog) a breach never
 * overtakes the reply that already sits on Kafka. Found by the fault suite: after a kill -9 under
 * load, the restarted service fired thousands of deadlines for contacts whose replies it had not
 * read yet (test/faults/service-crashes.fault-spec.ts).
 */
export class ConsumerWatermark {
  private readonly logger = new Logger(ConsumerWatermark.name);
  private readonly admin: WatermarkAdmin;
  private connected = false;
  private snapshots: Snapshot[] = [];
  private mark = Number.NEGATIVE_INFINITY;
  private waiters: { untilMs: number; release: () => void }[] = [];
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private failures = 0;

  constructor(
    kafka: Pick<Kafka, 'admin'>,
    private readonly options: ConsumerWatermarkOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.admin = kafka.admin();
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    for (const waiter of this.waiters) waiter.release();
    this.waiters = [];
    await this.loop;
    await this.admin.disconnect().catch(() => undefined);
  }

  /** Deadlines up to this instant may be announced now (never later than `nowMs`). */
  horizon(nowMs: number): number {
    return Math.min(nowMs, Math.max(this.mark, nowMs - this.options.maxHoldMs));
  }

  /** Resolves once deadlines up to `untilMs` may be announced, or after `maxWaitMs` regardless. */
  waitUntil(untilMs: number, maxWaitMs: number): Promise<void> {
    if (this.horizon(this.now()) >= untilMs || this.abort.signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = {
        untilMs,
        release: () => {
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve();
      }, maxWaitMs);
      this.waiters.push(waiter);
      if (this.failures === 0) this.wake?.(); // while Kafka is away, keep to the backoff
    });
  }

  /** One look: note the topic's end offsets now, and move the mark to the newest note the
   * group's commits have reached. */
  async pollOnce(): Promise<void> {
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    const at = this.now();
    const ends = await this.admin.fetchTopicOffsets(this.options.topic);
    this.snapshots.push({
      at,
      ends: new Map(ends.map((end) => [end.partition, BigInt(end.high)])),
    });
    const [group] = await this.admin.fetchOffsets({
      groupId: this.options.groupId,
      topics: [this.options.topic],
    });
    const committed = new Map(
      (group?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)] as const),
    );
    for (let i = this.snapshots.length - 1; i >= 0; i -= 1) {
      const covered = [...this.snapshots[i].ends].every(
        ([partition, end]) => end === 0n || (committed.get(partition) ?? -1n) >= end,
      );
      if (covered) {
        this.mark = Math.max(this.mark, this.snapshots[i].at);
        this.snapshots = this.snapshots.slice(i + 1);
        break;
      }
    }
    // Dropping the oldest notes is safe: a newer one needs at least as much progress.
    if (this.snapshots.length > 1000) this.snapshots = this.snapshots.slice(-1000);
    const horizon = this.horizon(this.now());
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.untilMs > horizon) return true;
      waiter.release();
      return false;
    });
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        await this.pollOnce();
        if (this.failures > 0) this.logger.log('consumer progress readable again');
        this.failures = 0;
      } catch (error) {
        this.failures += 1;
        if (this.failures === 1)
          this.logger.warn(`cannot read consumer progress: ${(error as Error).message}`);
        this.connected = false;
        await this.admin.disconnect().catch(() => undefined);
      }
      const waitMs =
        this.failures > 0
          ? backoffMs(this.failures - 1, 200, 5000)
          : this.waiters.length > 0
            ? WAITING_POLL_MS
            : this.options.pollMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
