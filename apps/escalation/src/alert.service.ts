import { Logger } from '@nestjs/common';
import type { Message } from 'kafkajs';
import { Topic } from '@replywatch/contracts';
import type { DeadLetter, SlaEvent, SourceEvent } from '@replywatch/contracts';
import { deadLetterMessage, deadLetterTopic } from '@replywatch/kafka';
import type { MessagePublisher } from '@replywatch/kafka';
import { subjectOfSlaEvent, subjectOfSourceEvent } from './alert.repository';
import type { AlertRepository, AlertSubject } from './alert.repository';
import type { EscalationDocumentStore } from './escalation-document.store';
import type { EscalationMetrics } from './escalation.metrics';
import type { SlaOutcomeRepository } from '@replywatch/persistence';
import { contactLanes } from './contact-lanes';
import { SOURCE_CONTACT_PREFIX, SOURCE_SILENT_TARGET } from './notification-message';

/**
 * Lanes per consumed chunk: each partition's chunk runs this many alert transactions at once, so
 * with six partitions up to 18 of the pool's 20 connections create alerts in a burst.
 */
const CONTACT_LANES = 3;

/**
 * Turns SLA and source events into alerts on their escalation chains, and resolves them when the
 * customer has a reply (or the connector is back).
 */
export class AlertService {
  private readonly logger = new Logger(AlertService.name);

  constructor(
    private readonly alerts: AlertRepository,
    private readonly documents: EscalationDocumentStore,
    private readonly publisher: MessagePublisher,
    private readonly topicPrefix: string,
    private readonly ackLeadMs: number,
    private readonly onNewNotifications: () => void,
    private readonly outcomes?: SlaOutcomeRepository,
    private readonly metrics?: EscalationMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Apply each contact's events in order; resolves after Postgres has them, so the caller may
   * commit the offsets.
   */
  async handle(events: readonly SlaEvent[], deadLetters: readonly DeadLetter[]): Promise<void> {
    // SLA history for reports first: idempotent, so a replayed chunk records nothing twice.
    await this.outcomes?.record(events);
    // The latest word on each contact's next breach, applied once the chunk's alerts exist.
    const nextDue = new Map<string, Date | undefined>();
    for (const event of events) {
      nextDue.set(
        event.contactId,
        event.nextDueAt === undefined ? undefined : new Date(event.nextDueAt),
      );
    }
    // Only a contact's own events must keep their order: contacts go to a few lanes, each run in
    // order, side by side, so a burst of breaches in one partition is not created one at a time.
    // Every lane finishes before a failure is thrown, so the redelivered chunk never races one.
    const results = await Promise.allSettled(
      contactLanes(events, CONTACT_LANES).map((lane) => this.applyInOrder(lane)),
    );
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const changed = results.reduce(
      (sum, result) => sum + (result.status === 'fulfilled' ? result.value : 0),
      0,
    );
    await this.alerts.updateNextDue(nextDue, this.ackLeadMs, this.now());
    await this.deadLetter(Topic.SlaEvents, deadLetters);
    if (changed > 0) this.onNewNotifications();
  }

  private async applyInOrder(events: readonly SlaEvent[]): Promise<number> {
    let changed = 0;
    for (const event of events) {
      switch (event.type) {
        case 'sla.breached':
        case 'sla.warning':
          changed += await this.start(subjectOfSlaEvent(event));
          break;
        case 'sla.met':
        case 'sla.cancelled':
          changed += await this.alerts.resolveForContact(
            event.contactId,
            event.target,
            { by: event.type, via: 'sla', eventId: event.eventId },
            this.now(),
          );
          break;
      }
    }
    return changed;
  }

  /** Connector heartbeats: a silent source is paged like a breach, and resolved when it recovers. */
  async handleSourceEvents(
    events: readonly SourceEvent[],
    deadLetters: readonly DeadLetter[],
  ): Promise<void> {
    let changed = 0;
    for (const event of events) {
      if (event.type === 'source.silent') {
        changed += await this.start(subjectOfSourceEvent(event));
      } else {
        changed += await this.alerts.resolveForContact(
          `${SOURCE_CONTACT_PREFIX}${event.source}`,
          SOURCE_SILENT_TARGET,
          { by: event.type, via: 'source', eventId: event.eventId },
          this.now(),
        );
      }
    }
    await this.deadLetter(Topic.SourceEvents, deadLetters);
    if (changed > 0) this.onNewNotifications();
  }

  private async start(subject: AlertSubject): Promise<number> {
    const outcome = await this.alerts.createAlert(subject, await this.documents.get(), this.now());
    if (outcome !== 'created') return 0;
    // Page now, not after the rest of the chunk: sending overlaps with creating the next alerts.
    this.onNewNotifications();
    this.metrics?.alertsCreated.inc({ trigger: subject.trigger, channel: subject.channel });
    this.logger.log(
      `alert for ${subject.contactId} (${subject.channel}, ${subject.target} ${subject.trigger === 'sla.warning' ? 'at risk' : subject.trigger === 'source.silent' ? 'silent' : 'breached'})`,
    );
    return 1;
  }

  private async deadLetter(topic: Topic, deadLetters: readonly DeadLetter[]): Promise<void> {
    if (deadLetters.length === 0) return;
    const messages: Message[] = deadLetters.map((letter) =>
      deadLetterMessage(letter, 'escalation', this.now()),
    );
    await this.publisher.publish(deadLetterTopic(topic, this.topicPrefix), messages);
  }
}
