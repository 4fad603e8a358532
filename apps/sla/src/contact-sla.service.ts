import { Logger } from '@nestjs/common';
import type { Message } from 'kafkajs';
import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent, DeadLetter, SlaEvent } from '@replywatch/contracts';
import { deadLetterMessage, deadLetterTopic } from '@replywatch/kafka';
import type { MessagePublisher } from '@replywatch/kafka';
import { applyContactEvent, fireDue, nextBreachAt, queuePlacement } from '@replywatch/sla-clock';
import type { ContactClock, SlaEmission } from '@replywatch/sla-clock';
import type {
  ContactStateRepository,
  ContactWrite,
  StoredContact,
} from './contact-state.repository';
import type { PolicyStore } from './policy.store';
import { toSlaEvent } from './sla-event.mapper';
import type { SlaTimerScheduler, TimerChange } from './sla-timer.scheduler';

export type Clock = () => number;

export interface SlaServiceOptions {
  topicPrefix: string;
  /** How long a resolved contact is kept, so a reopen continues its resolution clock. */
  resolvedTtlSeconds: number;
  /** How long an open contact with nothing pending (answered, no resolution target) is kept. */
  idleTtlSeconds: number;
  /**
   * Deadlines up to this instant may be announced (default: now). The service passes the
   * consumer's watermark, so a deadline is not announced before the events that could meet it
   * have been read (ConsumerWatermark).
   */
  horizon?: (nowMs: number) => number;
}

/** How many times to reload and recompute a contact that another writer changed meanwhile. */
const MAX_CONFLICT_RETRIES = 10;

interface Plan {
  write: ContactWrite;
  timer: TimerChange;
  /** The SLA events this change produced (earlier outbox entries belong to their own writer). */
  emitted: SlaEvent[];
}

/**
 * Applies contact events and due timers to the contacts' clocks. Every change goes through one
 * path: load, compute (pure functions of libs/sla-clock), compare-and-set in Redis together with
 * the SLA events it produced (an outbox), publish them, clear the outbox, move the timer.
 */
export class ContactSlaService {
  private readonly logger = new Logger(ContactSlaService.name);

  constructor(
    private readonly state: ContactStateRepository,
    private readonly timers: SlaTimerScheduler,
    private readonly publisher: MessagePublisher,
    private readonly policies: PolicyStore,
    private readonly options: SlaServiceOptions,
    private readonly now: Clock = Date.now,
  ) {}

  /** Apply a batch of valid events (partition order) and dead-letter the invalid ones. */
  async applyBatch(
    events: readonly ContactEvent[],
    deadLetters: readonly DeadLetter[],
  ): Promise<void> {
    const byContact = new Map<string, ContactEvent[]>();
    for (const event of events) {
      const list = byContact.get(event.contactId) ?? [];
      list.push(event);
      byContact.set(event.contactId, list);
    }
    const eventIds = events.map((event) => event.eventId);
    const failed = await this.update(
      [...byContact.keys()],
      eventIds,
      (contactId, stored, processed) => {
        let state = stored.state;
        const emissions: SlaEmission[] = [];
        const applied: string[] = [];
        for (const event of byContact.get(contactId)!) {
          if (processed.has(event.eventId) || applied.includes(event.eventId)) continue;
          const result = applyContactEvent(state, event, this.policies);
          state = result.state;
          emissions.push(...result.emissions);
          applied.push(event.eventId);
        }
        return { state, emissions, applied };
      },
    );
    const letters = [
      ...deadLetters,
      ...[...failed].flatMap(([contactId, reason]) =>
        byContact.get(contactId)!.map((event): DeadLetter => ({
          reasonCode: 'SLA.CANNOT_APPLY',
          reason,
          sourceTopic: topicName(Topic.ContactEvents, this.options.topicPrefix),
          key: contactId,
          value: JSON.stringify(event),
        })),
      ),
    ];
    if (letters.length > 0) {
      await this.publisher.publish(
        deadLetterTopic(Topic.ContactEvents, this.options.topicPrefix),
        letters.map((letter) => deadLetterMessage(letter, 'sla', this.now())),
      );
    }
  }

  /** Deadlines up to this instant may be announced now. */
  horizon(nowMs: number): number {
    return this.options.horizon?.(nowMs) ?? nowMs;
  }

  /** A timer fired (or the sweep found a due contact): announce what is due now. */
  async fire(contactIds: readonly string[]): Promise<void> {
    await this.update(contactIds, [], (_contactId, stored) => ({
      state: stored.state,
      emissions: [],
      applied: [],
    }));
  }

  /** Re-publish outboxes a crash left behind (written to Redis, never confirmed on Kafka). */
  async flushOutboxes(contactIds: readonly string[]): Promise<void> {
    if (contactIds.length === 0) return;
    const { contacts } = await this.state.load(contactIds);
    await this.publishOutboxes(
      [...contacts].map(([contactId, stored]) => ({ contactId, outbox: stored.outbox })),
    );
  }

  private async update(
    contactIds: readonly string[],
    eventIds: readonly string[],
    change: (
      contactId: string,
      stored: StoredContact,
      processed: Set<string>,
    ) => { state: ContactClock | undefined; emissions: SlaEmission[]; applied: string[] },
  ): Promise<Map<string, string>> {
    let pending = [...new Set(contactIds)];
    const written: Plan[] = [];
    const failed = new Map<string, string>();
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > MAX_CONFLICT_RETRIES)
        throw new Error(`contacts kept changing under us: ${pending.join(', ')}`);
      // Read before the state: every event on Kafka before the horizon is then in what we load.
      const horizonMs = this.horizon(this.now());
      const { contacts, processed } = await this.state.load(pending, eventIds);
      const nowMs = this.now();
      const plans = pending.map((contactId) => {
        const stored = contacts.get(contactId)!;
        try {
          const changed = change(contactId, stored, processed);
          return this.plan(
            contactId,
            stored,
            changed.state,
            changed.emissions,
            changed.applied,
            nowMs,
            horizonMs,
          );
        } catch (error) {
          // A computation that fails will fail again (e.g. a calendar with no open time for years):
          // set this contact aside instead of blocking its partition or timer queue for ever.
          failed.set(contactId, (error as Error).message);
          return undefined;
        }
      });
      const toWrite = plans.filter((plan): plan is Plan => plan !== undefined);
      const conflicts = await this.state.save(
        toWrite.map((plan) => plan.write),
        nowMs,
      );
      written.push(...toWrite.filter((plan) => !conflicts.has(plan.write.contactId)));
      pending = [...conflicts];
    }
    // Only what this pass produced: an outbox left by another writer is theirs to publish (or the
    // sweep's, if they crashed), so nothing is published twice in the normal course.
    await this.publishOutboxes(
      written.map((plan) => ({ contactId: plan.write.contactId, outbox: plan.emitted })),
    );
    await this.timers.apply(
      written.map((plan) => plan.timer),
      this.now(),
    );
    for (const [contactId, reason] of failed) {
      this.logger.error(`cannot apply to contact ${contactId}: ${reason}`);
    }
    return failed;
  }

  /** Work out one contact's new state, outbox and timer; undefined when nothing changes. */
  private plan(
    contactId: string,
    stored: StoredContact,
    changedState: ContactClock | undefined,
    emissions: SlaEmission[],
    applied: string[],
    nowMs: number,
    horizonMs: number,
  ): Plan | undefined {
    if (changedState === undefined) {
      // No state but still indexed (a timer or the sweep found a contact that is gone): clear the
      // index entries so the sweep does not keep coming back to it.
      return {
        write: {
          contactId,
          expectedVersion: stored.version,
          state: undefined,
          outbox: [],
          placement: {},
          expireAfterSeconds: 0,
          processedEventIds: [],
        },
        timer: { contactId },
        emitted: [],
      };
    }
    const policy = this.policies.byId(changedState.policyId, changedState.policyVersion);
    // Catch up on anything already due (a late event, a timer that fired, a restart), as far as
    // the consumer has read: what is due later waits in the due index for the sweep.
    const due = fireDue(changedState, horizonMs, policy);
    const state = due.state!;
    const all = [...emissions, ...due.emissions];

    const placement = queuePlacement(state, policy);
    if (stored.state !== undefined && all.length === 0 && applied.length === 0) {
      // Nothing new: only make sure the timer matches the state (a fire that came early or stale).
      return {
        write: {
          contactId,
          expectedVersion: stored.version,
          state,
          outbox: stored.outbox,
          placement,
          expireAfterSeconds: this.expiry(state, placement.nextDeadline),
          processedEventIds: [],
        },
        timer: { contactId, previousDueMs: undefined, nextDueMs: placement.nextDeadline },
        emitted: [],
      };
    }
    const nextBreach = nextBreachAt(state, policy);
    const emitted = all.map((emission) => toSlaEvent(state, emission, nowMs, nextBreach));
    const outbox = [...stored.outbox, ...emitted];
    return {
      write: {
        contactId,
        expectedVersion: stored.version,
        state,
        outbox,
        placement,
        expireAfterSeconds: this.expiry(state, placement.nextDeadline),
        processedEventIds: applied,
      },
      timer: {
        contactId,
        previousDueMs: stored.nextDeadline,
        nextDueMs: placement.nextDeadline,
      },
      emitted,
    };
  }

  private expiry(state: ContactClock, nextDeadline: number | undefined): number {
    if (state.status === 'resolved') return this.options.resolvedTtlSeconds;
    return state.clocks.length === 0 && nextDeadline === undefined
      ? this.options.idleTtlSeconds
      : 0;
  }

  private async publishOutboxes(
    outboxes: readonly { contactId: string; outbox: SlaEvent[] }[],
  ): Promise<void> {
    const withEvents = outboxes.filter((entry) => entry.outbox.length > 0);
    if (withEvents.length === 0) return;
    await this.publisher.publish(
      topicName(Topic.SlaEvents, this.options.topicPrefix),
      withEvents.flatMap((entry) => entry.outbox.map(toMessage)),
    );
    await Promise.all(
      withEvents.map((entry) =>
        this.state.clearOutbox(
          entry.contactId,
          entry.outbox.map((event) => event.eventId),
        ),
      ),
    );
    for (const entry of withEvents) {
      for (const event of entry.outbox) {
        if (event.type === 'sla.breached') {
          this.logger.log(
            `${event.target} breached: ${event.contactId} (${event.channel}, policy ${event.policyId})`,
          );
        }
      }
    }
  }
}

function toMessage(event: SlaEvent): Message {
  return {
    key: event.contactId,
    value: JSON.stringify(event),
    headers: { type: event.type, schemaVersion: String(event.schemaVersion) },
  };
}
