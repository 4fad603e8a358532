import { Logger } from '@nestjs/common';
import type { Message } from 'kafkajs';
import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent, ContactEventType, DeadLetter, SlaEvent } from '@replywatch/contracts';
import { deadLetterMessage, deadLetterTopic } from '@replywatch/kafka';
import type { MessagePublisher } from '@replywatch/kafka';
import { firstResponseDueAt } from '@replywatch/sla-clock';
import type { ApplyCommand, ContactStateRepository, EventKind } from './contact-state.repository';
import { firstResponseEvent } from './sla-event.factory';
import type { PolicyStore } from './policy.store';
import type { SlaTimerScheduler } from './sla-timer.scheduler';

/** What each contact event does to the first-response clock (the rest arrive with issue #4). */
const KIND_BY_TYPE: Record<ContactEventType, EventKind> = {
  'contact.opened': 'open',
  'customer.replied': 'open',
  'call.missed': 'open',
  'call.abandoned': 'open',
  'voicemail.left': 'open',
  'agent.replied': 'reply',
  'contact.resolved': 'resolve',
  'contact.assigned': 'other',
  'contact.waiting_on_customer': 'other',
  'contact.resumed': 'other',
  'contact.reopened': 'other',
};

export type Clock = () => number;

export interface TimerOutcome {
  result: 'breached' | 'stale' | 'early';
  dueMs?: number;
}

/** Applies contact events to Redis state, keeps each open contact's timer, emits SLA events. */
export class ContactSlaService {
  private readonly logger = new Logger(ContactSlaService.name);

  constructor(
    private readonly state: ContactStateRepository,
    private readonly timers: SlaTimerScheduler,
    private readonly publisher: MessagePublisher,
    private readonly policies: PolicyStore,
    private readonly topicPrefix: string,
    private readonly now: Clock = Date.now,
  ) {}

  /**
   * Apply a batch of valid events (in partition order) and dead-letter the invalid ones. Resolves
   * only when state, timers and outgoing events are all written, so the caller may then commit.
   */
  async applyBatch(
    events: readonly ContactEvent[],
    deadLetters: readonly DeadLetter[],
  ): Promise<void> {
    const commands = events.map((event) => this.toCommand(event));
    const outcomes = await this.state.applyAll(commands);
    const nowMs = this.now();
    const toSchedule: { contactId: string; gen: number; dueMs: number }[] = [];
    const toCancel: { contactId: string; gen: number }[] = [];
    const slaEvents: SlaEvent[] = [];
    outcomes.forEach((outcome, index) => {
      const contactId = commands[index].contactId;
      switch (outcome.a) {
        case 'opened':
          toSchedule.push({ contactId, gen: outcome.gen, dueMs: outcome.due });
          break;
        case 'met':
          toCancel.push({ contactId, gen: outcome.gen });
          slaEvents.push(
            firstResponseEvent(
              contactId,
              'sla.met',
              outcome,
              outcome.at,
              nowMs,
              outcome.at <= outcome.fd,
            ),
          );
          break;
        case 'cancelled':
          toCancel.push({ contactId, gen: outcome.gen });
          slaEvents.push(
            firstResponseEvent(contactId, 'sla.cancelled', outcome, outcome.at, nowMs),
          );
          break;
        case 'noop':
          break;
      }
    });
    await Promise.all([
      this.publisher.publishAll([
        { topic: topicName(Topic.SlaEvents, this.topicPrefix), messages: slaEvents.map(toMessage) },
        {
          topic: deadLetterTopic(Topic.ContactEvents, this.topicPrefix),
          messages: deadLetters.map((letter) => deadLetterMessage(letter, 'sla', nowMs)),
        },
      ]),
      this.timers.schedule(toSchedule, nowMs),
      this.timers.cancel(toCancel),
    ]);
  }

  /** A timer fired: publish the breach if the contact is still waiting, then record it. */
  async fireTimer(contactId: string, gen: number): Promise<TimerOutcome> {
    const nowMs = this.now();
    const check = await this.state.checkDeadline(contactId, gen, nowMs);
    if (check === null) return { result: 'stale' };
    if (check.a === 'early') return { result: 'early', dueMs: check.fd };
    const event = firstResponseEvent(contactId, 'sla.breached', check, check.fd, nowMs);
    await this.publisher.publish(topicName(Topic.SlaEvents, this.topicPrefix), [toMessage(event)]);
    await this.state.markBreached(contactId, gen);
    this.logger.log(
      `first response breached: ${contactId} (${event.channel}, policy ${event.policyId})`,
    );
    return { result: 'breached', dueMs: check.fd };
  }

  private toCommand(event: ContactEvent): ApplyCommand {
    const occurredAtMs = Date.parse(event.occurredAt);
    const policy = this.policies.select({
      channel: event.channel,
      priority: event.priority,
      source: event.source,
      tags: event.tags,
    });
    return {
      eventId: event.eventId,
      contactId: event.contactId,
      kind: KIND_BY_TYPE[event.type],
      occurredAtMs,
      channel: event.channel,
      source: event.source,
      priority: event.priority,
      policyId: policy.id,
      policyVersion: policy.version,
      firstResponseDueMs: firstResponseDueAt(policy, occurredAtMs),
      ...(event.customer ? { customer: event.customer } : {}),
    };
  }
}

function toMessage(event: SlaEvent): Message {
  return {
    key: event.contactId,
    value: JSON.stringify(event),
    headers: { type: event.type, schemaVersion: String(event.schemaVersion) },
  };
}
