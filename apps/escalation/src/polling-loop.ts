import { Logger } from '@nestjs/common';
import { backoffMs, delay } from '@replywatch/platform';

/**
 * Runs `pass` every `pollMs`, at once again while it reports work done, sooner when kicked, and
 * with capped backoff while it fails (a database outage must not spin).
 */
export class PollingLoop {
  private readonly logger: Logger;
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private kicked = false;
  private loop: Promise<void> | undefined;

  constructor(
    name: string,
    private readonly pass: () => Promise<number>,
    private readonly pollMs: number,
  ) {
    this.logger = new Logger(name);
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** There is new work: look now rather than at the next poll. */
  kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      this.kicked = false;
      try {
        const done = await this.pass();
        failures = 0;
        if (done > 0) continue; // more may be waiting
      } catch (error) {
        failures += 1;
        this.logger.warn(`pass failed (${failures} in a row): ${(error as Error).message}`);
      }
      if (this.kicked && failures === 0) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void delay(
          failures > 0 ? backoffMs(failures, this.pollMs, 10000) : this.pollMs,
          this.abort.signal,
        ).then(resolve);
      });
      this.wake = undefined;
    }
  }
}
