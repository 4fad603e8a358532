import { Logger } from '@nestjs/common';
import { backoffMs, delay } from '@replywatch/platform';
import type { AlertRepository, DueNotification } from './alert.repository';
import { renderAlertEmail } from './alert-email.template';
import type { EmailNotifier } from './email.notifier';

export interface OutboxOptions {
  pollMs: number;
  maxAttempts: number;
  dashboardUrl: string;
  /** How long a claimed notification is reserved for this sender before another may retry it. */
  leaseMs?: number;
  batchSize?: number;
}

/** Delivers the notification outbox: poll (or be woken), claim, send, record; retry with backoff. */
export class NotificationOutboxSender {
  private readonly logger = new Logger(NotificationOutboxSender.name);
  private readonly abort = new AbortController();
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly alerts: AlertRepository,
    private readonly email: EmailNotifier,
    private readonly options: OutboxOptions,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** New rows were written: look now rather than at the next poll. */
  kick(): void {
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
      try {
        const sent = await this.deliverDue();
        failures = 0;
        if (sent > 0) continue; // more may be waiting
      } catch (error) {
        failures += 1;
        this.logger.warn(`outbox pass failed: ${(error as Error).message}`);
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void delay(
          failures > 0 ? backoffMs(failures, this.options.pollMs, 10000) : this.options.pollMs,
          this.abort.signal,
        ).then(resolve);
      });
      this.wake = undefined;
    }
  }

  private async deliverDue(): Promise<number> {
    const due = await this.alerts.claimDue(
      this.options.batchSize ?? 20,
      this.options.leaseMs ?? 60000,
      this.now(),
    );
    await Promise.all(due.map((notification) => this.deliver(notification)));
    return due.length;
  }

  private async deliver(notification: DueNotification): Promise<void> {
    const startedMs = this.now();
    const email = renderAlertEmail(
      { ...notification, dashboardUrl: this.options.dashboardUrl },
      startedMs,
    );
    let response: string;
    try {
      response = await this.email.send(notification.recipient, email, notification.id);
    } catch (error) {
      const attempt = notification.attempts + 1;
      const retryAt =
        attempt >= this.options.maxAttempts
          ? undefined
          : this.now() + backoffMs(attempt - 1, 1000, 300000);
      const message = (error as Error).message;
      this.logger.warn(
        `e-mail for alert ${notification.alertId} failed (attempt ${attempt}/${this.options.maxAttempts}): ${message}`,
      );
      await this.alerts.recordFailed(notification, message, startedMs, this.now(), retryAt);
      return;
    }
    // Sent: if recording that fails, the lease runs out and it is sent again (at-least-once; the
    // stable Message-ID lets mail clients drop the copy) — never recorded as a failed send.
    await this.alerts.recordSent(notification, response, startedMs, this.now());
  }
}
