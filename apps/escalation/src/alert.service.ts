import { Logger } from '@nestjs/common';
import type { Message } from 'kafkajs';
import { Topic } from '@replywatch/contracts';
import type { DeadLetter, SlaEvent, SourceEvent } from '@replywatch/contracts';
import { deadLetterMessage, deadLetterTopic } from '@replywatch/kafka';
import type { MessagePublisher } from '@replywatch/kafka';
import type { AlertRepository } from './alert.repository';

/** Turns SLA events into alerts (and their notifications) and resolves them when a reply comes. */
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly publisher: MessagePublisher,
    private readonly recipients: readonly string[],
    private readonly topicPrefix: string,
    private readonly onNewNotifications: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** Apply in order; resolves after Postgres has them, so the caller may commit the offsets. */
  async handle(events: readonly SlaEvent[], deadLetters: readonly DeadLetter[]): Promise<void> {
    let created = 0;
    for (const event of events) {
      switch (event.type) {
        case 'sla.breached':
          if (await this.alerts.createAlert(event, this.recipients, this.now())) {
            created += 1;
            this.logger.log(
              `alert for ${event.contactId} (${event.channel}, ${event.target} breached)`,
            );
          }
          break;
        case 'sla.met':
        case 'sla.cancelled':
          await this.alerts.resolveAlerts(event, this.now());
          break;
        case 'sla.warning':
          break; // warnings notify assignees once escalation chains exist (issue #6)
      }
    }
    await this.deadLetter(Topic.SlaEvents, deadLetters);
    if (created > 0) this.onNewNotifications();
  }

  /** Connector heartbeats: a silent source is paged like a breach, and resolved when it recovers. */
  async handleSourceEvents(
    events: readonly SourceEvent[],
    deadLetters: readonly DeadLetter[],
  ): Promise<void> {
    let created = 0;
    for (const event of events) {
      if (event.type === 'source.silent') {
        if (await this.alerts.createSourceAlert(event, this.recipients, this.now())) {
          created += 1;
          this.logger.warn(`alert: source ${event.source} silent since ${event.silentSince}`);
        }
      } else {
        await this.alerts.resolveSourceAlerts(event, this.now());
      }
    }
    await this.deadLetter(Topic.SourceEvents, deadLetters);
    if (created > 0) this.onNewNotifications();
  }

  private async deadLetter(topic: Topic, deadLetters: readonly DeadLetter[]): Promise<void> {
    if (deadLetters.length === 0) return;
    const messages: Message[] = deadLetters.map((letter) =>
      deadLetterMessage(letter, 'escalation', this.now()),
    );
    await this.publisher.publish(deadLetterTopic(topic, this.topicPrefix), messages);
  }
}
