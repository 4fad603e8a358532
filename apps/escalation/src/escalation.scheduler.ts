import type { AlertRepository } from './alert.repository';
import type { EscalationDocumentStore } from './escalation-document.store';
import { PollingLoop } from './polling-loop';

/**
 * The chain's timers are due times in PostgreSQL (`alert.next_step_at`, `alert.ack_expires_at`),
 * so they survive restarts: this loop runs what is due and lapses acknowledgements.
 */
export class EscalationScheduler {
  private readonly loop: PollingLoop;

  constructor(
    private readonly alerts: AlertRepository,
    private readonly documents: EscalationDocumentStore,
    pollMs: number,
    private readonly onNewNotifications: () => void,
    private readonly now: () => number = Date.now,
    private readonly batch = 50,
  ) {
    this.loop = new PollingLoop(EscalationScheduler.name, () => this.runDue(), pollMs);
  }

  start(): void {
    this.loop.start();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  async runDue(): Promise<number> {
    const current = await this.documents.get();
    const reopened = await this.alerts.reopenLapsedAcks(current, this.batch, this.now());
    const stepped = await this.alerts.runDueSteps(current, this.batch, this.now());
    if (reopened + stepped > 0) this.onNewNotifications();
    return reopened + stepped;
  }
}
