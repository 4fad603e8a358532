import { Logger } from '@nestjs/common';
import { Worker } from 'bullmq';
import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import type { ConsumerWatermark } from './consumer-watermark';
import type { ContactSlaService } from './contact-sla.service';
import { parseTimerJobId, SLA_TIMER_QUEUE } from './sla-timer.scheduler';
import type { TimerJobData } from './sla-timer.scheduler';

const WATERMARK_WAIT_MS = 2000;

/** Runs due timers. Thin: the job names a contact; the service decides what (if anything) is due. */
export class SlaTimerProcessor {
  private readonly logger = new Logger(SlaTimerProcessor.name);
  private worker: Worker<TimerJobData> | undefined;

  constructor(
    private readonly sla: ContactSlaService,
    private readonly connection: Redis,
    private readonly prefix: string,
    private readonly concurrency: number,
    private readonly watermark?: ConsumerWatermark,
  ) {}

  start(): void {
    this.worker = new Worker<TimerJobData>(SLA_TIMER_QUEUE, (job) => this.process(job), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: this.concurrency,
      // History is not kept in Redis: the outcome is on sla-events.v1 and in the audit trail.
      removeOnComplete: { count: 0 },
      removeOnFail: { age: 7 * 86400, count: 1000 },
    });
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

  private async process(job: Job<TimerJobData>): Promise<void> {
    // Give the consumer a moment to read up to the deadline (normally a few ms); if it is further
    // behind, the fire below announces nothing yet and the sweep fires the contact once it caught up.
    const dueMs = parseTimerJobId(job.id ?? '')?.dueMs;
    if (dueMs !== undefined) await this.watermark?.waitUntil(dueMs, WATERMARK_WAIT_MS);
    await this.sla.fire([job.data]);
  }
}
