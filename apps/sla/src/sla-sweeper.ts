import { Logger } from '@nestjs/common';
import { backoffMs, delay } from '@replywatch/platform';
import type { ContactSlaService } from './contact-sla.service';
import type { ContactStateRepository } from './contact-state.repository';
import { parseTimerJobId } from './sla-timer.scheduler';
import type { SlaTimerScheduler } from './sla-timer.scheduler';

export interface SweeperOptions {
  intervalMs: number;
  batchSize: number;
  /** Page size of the start-up reconcile (bigger: fewer round trips over a million timers). */
  reconcileBatchSize?: number;
  /** An outbox older than this was left by a crash: publish it again. */
  outboxGraceMs: number;
}

/**
 * The safety net under the timers. At start it reconciles: every contact with a pending deadline
 * gets its timer job back if it was lost. From the start, every few seconds, it fires contacts
 * whose deadline has passed (a lost or late job is never later than one interval) and
 * re-publishes stale outboxes.
 */
export class SlaSweeper {
  private readonly logger = new Logger(SlaSweeper.name);
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  /** The horizon pass has given jobs to every deadline up to here. */
  private loadedUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly sla: ContactSlaService,
    private readonly state: ContactStateRepository,
    private readonly timers: SlaTimerScheduler,
    private readonly options: SweeperOptions,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /**
   * Make the timer jobs match the state: recreate the job of every contact with a pending deadline
   * whose job is missing, and drop delayed jobs for deadlines that no longer exist.
   */
  async reconcile(): Promise<{ checked: number; repaired: number; dropped: number }> {
    // The two directions are independent: run them side by side.
    const [{ checked, repaired }, dropped] = await Promise.all([
      this.restoreMissingTimers(),
      this.dropOrphanTimers(),
    ]);
    return { checked, repaired, dropped };
  }

  private get reconcileBatch(): number {
    return this.options.reconcileBatchSize ?? this.options.batchSize;
  }

  private async restoreMissingTimers(): Promise<{ checked: number; repaired: number }> {
    let checked = 0;
    let repaired = 0;
    const size = this.reconcileBatch;
    // Only deadlines within the horizon have jobs; the horizon pass looks after the rest.
    const until = this.now() + this.timers.horizonMs;
    for (let offset = 0; !this.abort.signal.aborted; offset += size) {
      const page = await this.state.deadlinesBetween(Number.NEGATIVE_INFINITY, until, offset, size);
      if (page.length === 0) break;
      checked += page.length;
      const missing = await this.timers.missing(page);
      repaired += missing.length;
      await this.timers.schedule(missing, this.now());
    }
    return { checked, repaired };
  }

  /**
   * Give a job to every deadline that entered the horizon since the last pass. The window
   * overlaps the previous one by two intervals, so a deadline written while a pass was reading
   * is not left out (adding an existing job is a no-op); one left out anyway is fired by the
   * sweep when due, at most one interval late.
   */
  async loadHorizon(nowMs: number): Promise<number> {
    if (!Number.isFinite(this.timers.horizonMs)) return 0;
    const until = nowMs + this.timers.horizonMs;
    const after = Math.max(this.loadedUntil - 2 * this.options.intervalMs, nowMs);
    const size = this.options.batchSize;
    let scheduled = 0;
    for (let offset = 0; ; offset += size) {
      const page = await this.state.deadlinesBetween(after, until, offset, size);
      await this.timers.schedule(page, nowMs);
      scheduled += page.length;
      if (page.length < size) break;
    }
    this.loadedUntil = until;
    return scheduled;
  }

  private async dropOrphanTimers(): Promise<number> {
    let dropped = 0;
    for (let cursor = 0; !this.abort.signal.aborted;) {
      const jobIds = await this.timers.delayedJobIds(cursor, this.reconcileBatch);
      if (jobIds.length === 0) break;
      const named = jobIds.map((id) => ({ id, timer: parseTimerJobId(id) }));
      const deadlines = await this.state.deadlinesOf(named.map((n) => n.timer?.contactId ?? ''));
      const orphans = named
        .filter((n, i) => n.timer === undefined || deadlines[i] !== n.timer.dueMs)
        .map((n) => n.id);
      await this.timers.remove(orphans);
      dropped += orphans.length;
      cursor += jobIds.length - orphans.length; // removed ones leave the set: do not skip past others
    }
    return dropped;
  }

  /**
   * One pass: give jobs to deadlines entering the horizon, fire what is due, re-publish stale
   * outboxes. Returns how many contacts it fired or re-published.
   */
  async sweepOnce(): Promise<number> {
    const nowMs = this.now();
    await this.loadHorizon(nowMs);
    const due = await this.state.dueBy(this.sla.horizon(nowMs), this.options.batchSize);
    if (due.length > 0) await this.sla.fire(due);
    const stale = await this.state.staleOutboxes(
      nowMs - this.options.outboxGraceMs,
      this.options.batchSize,
    );
    if (stale.length > 0) await this.sla.flushOutboxes(stale);
    return due.length + stale.length;
  }

  private async run(): Promise<void> {
    // The sweep starts at once, beside the reconcile: deadlines that fell due while the service
    // was down fire within one interval of the restart, however long reconciling a million
    // timers takes (firing is idempotent, so a timer and the sweep may both fire a contact).
    await Promise.all([this.reconcileWithRetry(), this.sweepLoop()]);
  }

  private async reconcileWithRetry(): Promise<void> {
    const started = this.now();
    for (let attempt = 0; !this.abort.signal.aborted; attempt += 1) {
      try {
        const { checked, repaired, dropped } = await this.reconcile();
        this.logger.log(
          `reconciled ${checked} pending deadline(s), repaired ${repaired} timer(s), dropped ${dropped} orphan(s) in ${this.now() - started} ms`,
        );
        return;
      } catch (error) {
        this.logger.warn(`reconcile failed (attempt ${attempt + 1}): ${(error as Error).message}`);
        await delay(backoffMs(attempt, 500, 10000), this.abort.signal);
      }
    }
  }

  private async sweepLoop(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const touched = await this.sweepOnce();
        failures = 0;
        // A full page means more is due right now: go again without waiting.
        if (touched >= this.options.batchSize) continue;
      } catch (error) {
        failures += 1;
        this.logger.warn(`sweep failed: ${(error as Error).message}`);
      }
      await delay(
        failures > 0
          ? backoffMs(failures, this.options.intervalMs, 30000)
          : this.options.intervalMs,
        this.abort.signal,
      );
    }
  }
}
