import { Logger } from '@nestjs/common';
import type { Message } from 'kafkajs';
import { Topic } from '@replywatch/contracts';
import type { DeadLetter, SlaEvent } from '@replywatch/contracts';
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
    if (deadLetters.length > 0) {
      const messages: Message[] = deadLetters.map((letter) =>
        deadLetterMessage(letter, 'escalation', this.now()),
      );
      await this.publisher.publish(deadLetterTopic(Topic.SlaEvents, this.topicPrefix), messages);
    }
    if (created > 0) this.onNewNotifications();
  }
}
