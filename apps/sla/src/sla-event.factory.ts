import type { Customer, SlaEvent, SlaEventType } from '@replywatch/contracts';
import type { ClockSnapshot } from './contact-state.repository';

function customerOf(snapshot: ClockSnapshot): Customer | undefined {
  return snapshot.cu ? (JSON.parse(snapshot.cu) as Customer) : undefined;
}

/**
 * Build an SLA event from the contact's clock. The id is deterministic (contact, target, clock
 * start, generation, type), so a re-publish after a crash is recognised downstream as the same
 * event; the clock start keeps ids unique even if Redis lost the generation counter.
 */
export function firstResponseEvent(
  contactId: string,
  type: SlaEventType,
  snapshot: ClockSnapshot,
  occurredAtMs: number,
  emittedAtMs: number,
  withinTarget?: boolean,
): SlaEvent {
  const customer = customerOf(snapshot);
  return {
    eventId: `${contactId}.first_response.${snapshot.os}.${snapshot.gen}.${type}`,
    type,
    schemaVersion: 1,
    contactId,
    channel: snapshot.ch,
    source: snapshot.src,
    priority: snapshot.pr,
    ...(customer ? { customer } : {}),
    target: 'first_response',
    policyId: snapshot.pid,
    policyVersion: snapshot.pv,
    startedAt: new Date(snapshot.os).toISOString(),
    dueAt: new Date(snapshot.fd).toISOString(),
    occurredAt: new Date(occurredAtMs).toISOString(),
    emittedAt: new Date(emittedAtMs).toISOString(),
    elapsedSeconds: Math.max(0, (occurredAtMs - snapshot.os) / 1000),
    ...(withinTarget === undefined ? {} : { withinTarget }),
  };
}
