import { Logger } from '@nestjs/common';
import { DelayedError, Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import type { ContactSlaService } from './contact-sla.service';
import { SLA_TIMER_QUEUE, timerGeneration } from './sla-timer.scheduler';
import type { TimerJobData } from './sla-timer.scheduler';

/** Runs due timers. Thin: read the job, ask the service, map "not yet" to a re-delay. */
export class SlaTimerProcessor {
  private readonly logger = new Logger(SlaTimerProcessor.name);
  private worker: Worker<TimerJobData> | undefined;

  constructor(
    private readonly sla: ContactSlaService,
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly concurrency: number,
  ) {}

  start(): void {
    this.worker = new Worker<TimerJobData>(
      SLA_TIMER_QUEUE,
      (job, token) => this.process(job, token),
      {
        connection: this.connection,
        prefix: this.prefix,
        concurrency: this.concurrency,
        // History is not kept in Redis: the outcome is on sla-events.v1 and in the audit trail.
        removeOnComplete: { count: 0 },
        removeOnFail: { age: 7 * 86400, count: 1000 },
      },
    );
    this.worker.on('failed', (job, error) => {
      this.logger.warn(
        `timer ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`,
      );
    });
    this.worker.on('error', (error) => this.logger.warn(`timer worker: ${error.message}`));
  }

  async close(): Promise<void> {
    await this.worker?.close();
  }

  private async process(job: Job<TimerJobData>, token: string | undefined): Promise<string> {
    const gen = timerGeneration(job.id);
    if (gen === undefined) return 'ignored: job id has no generation';
    const outcome = await this.sla.fireTimer(job.data, gen);
    if (outcome.result === 'early' && outcome.dueMs !== undefined) {
      await job.moveToDelayed(outcome.dueMs, token);
      throw new DelayedError();
    }
    return outcome.result;
  }
}
