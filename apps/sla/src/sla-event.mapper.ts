import type { SlaEvent } from '@replywatch/contracts';
import type { ContactClock, SlaEmission } from '@replywatch/sla-clock';

/** An emission of the clock, with the contact's facts, as it goes on `sla-events.v1`. */
export function toSlaEvent(
  state: ContactClock,
  emission: SlaEmission,
  emittedAtMs: number,
  nextBreachAtMs?: number,
): SlaEvent {
  return {
    eventId: emission.eventId,
    type: emission.type,
    schemaVersion: 1,
    contactId: state.contactId,
    channel: state.channel,
    source: state.source,
    priority: state.priority,
    ...(state.customer ? { customer: state.customer } : {}),
    target: emission.target,
    policyId: state.policyId,
    policyVersion: state.policyVersion,
    startedAt: new Date(emission.startedAt).toISOString(),
    dueAt: new Date(emission.dueAt).toISOString(),
    occurredAt: new Date(emission.occurredAt).toISOString(),
    emittedAt: new Date(emittedAtMs).toISOString(),
    elapsedSeconds: Math.max(0, emission.elapsedMs / 1000),
    ...(emission.withinTarget === undefined ? {} : { withinTarget: emission.withinTarget }),
    ...(state.assignee === undefined ? {} : { assignee: state.assignee }),
    ...(state.team === undefined ? {} : { team: state.team }),
    ...(nextBreachAtMs === undefined ? {} : { nextDueAt: new Date(nextBreachAtMs).toISOString() }),
  };
}
