import type {
  Channel,
  ContactEvent,
  Customer,
  Priority,
  SlaEventType,
  SlaTarget,
} from '@replywatch/contracts';
import type { Calendar } from '../calendar/calendar.schema';
import type { ResolvedPolicy } from './resolved-policy';
import {
  dueAt,
  elapsedAt,
  instantAtElapsed,
  nextInstant,
  pauseClock,
  resumeClock,
  startClock,
} from './target-clock';
import type { TargetClock } from './target-clock';

/** Clocks that mean "the customer is waiting for a human". */
const WAITING_TARGETS: readonly SlaTarget[] = ['first_response', 'next_response', 'callback'];
/** Clocks that stop while the contact waits on the customer (first response and callback do not). */
const PAUSABLE_TARGETS: readonly SlaTarget[] = ['next_response', 'resolution'];

/** Everything the SLA service keeps about one contact (stored as JSON in Redis). */
export interface ContactClock {
  contactId: string;
  channel: Channel;
  source: string;
  priority: Priority;
  tags: string[];
  customer?: Customer;
  public?: boolean;
  policyId: string;
  policyVersion: number;
  status: 'open' | 'resolved';
  openedAt: number;
  /** The latest event instant applied: lifecycle events older than this are ignored. */
  lastEventAt: number;
  paused: boolean;
  pausedAt?: number;
  lastCustomerAt?: number;
  firstRepliedAt?: number;
  lastAgentReplyAt?: number;
  assignee?: string;
  team?: string;
  /** Elapsed resolution time at the last resolve, so a reopen continues the count. */
  resolutionElapsedMs?: number;
  clocks: TargetClock[];
  nextGen: number;
}

/** An SLA outcome to publish (the service turns it into an `sla-events.v1` event). */
export interface SlaEmission {
  eventId: string;
  type: SlaEventType;
  target: SlaTarget;
  startedAt: number;
  dueAt: number;
  occurredAt: number;
  elapsedMs: number;
  withinTarget?: boolean;
}

/** How the service provides policies: by contact attributes, or a known id and version. */
export interface PolicyLookup {
  select(subject: PolicySubjectOf): ResolvedPolicy;
  byId(id: string, version: number): ResolvedPolicy;
}

export interface PolicySubjectOf {
  channel: Channel;
  priority: Priority;
  source: string;
  tags: readonly string[];
  tier?: string;
  public?: boolean;
}

export interface ClockResult {
  state: ContactClock | undefined;
  emissions: SlaEmission[];
}

const CUSTOMER_MESSAGE = new Set(['contact.opened', 'customer.replied']);
const MISSED_CALL = new Set(['call.missed', 'call.abandoned', 'voicemail.left']);

/**
 * The instant an event counts at: its provider time, but never after it reached us (a connector
 * with a fast clock cannot push deadlines into the future).
 */
export function eventInstant(event: ContactEvent): number {
  return Math.min(Date.parse(event.occurredAt), Date.parse(event.receivedAt));
}

function emissionId(
  contactId: string,
  clock: TargetClock,
  type: SlaEventType,
  suffix = '',
): string {
  return `${contactId}.${clock.target}.${clock.startedAt}.${clock.gen}.${type}${suffix}`;
}

function subjectOf(state: ContactClock): PolicySubjectOf {
  return {
    channel: state.channel,
    priority: state.priority,
    source: state.source,
    tags: state.tags,
    tier: state.customer?.tier,
    public: state.public,
  };
}

function newContact(event: ContactEvent, at: number, policies: PolicyLookup): ContactClock {
  const base = {
    contactId: event.contactId,
    channel: event.channel,
    source: event.source,
    priority: event.priority ?? 'normal',
    tags: event.tags,
    customer: event.customer,
    public:
      event.type === 'contact.opened' || event.type === 'customer.replied'
        ? event.data?.public
        : undefined,
  };
  const policy = policies.select({ ...base, tier: base.customer?.tier });
  return {
    ...base,
    policyId: policy.id,
    policyVersion: policy.version,
    status: event.type === 'contact.resolved' ? 'resolved' : 'open',
    openedAt: at,
    lastEventAt: at,
    paused: false,
    clocks: [],
    nextGen: 1,
  };
}

class ClockEditor {
  readonly emissions: SlaEmission[] = [];
  constructor(
    public state: ContactClock,
    readonly policy: ResolvedPolicy,
  ) {}

  get calendar(): Calendar {
    return this.policy.calendar;
  }

  running(target: SlaTarget): TargetClock | undefined {
    return this.state.clocks.find((clock) => clock.target === target);
  }

  waitingClock(): TargetClock | undefined {
    return this.state.clocks.find((clock) => WAITING_TARGETS.includes(clock.target));
  }

  start(target: SlaTarget, at: number, elapsedMs = 0): void {
    const spec = this.policy.targets[target];
    if (spec === undefined || this.running(target)) return;
    let clock = startClock(spec, this.state.nextGen, at, elapsedMs);
    if (this.state.paused && PAUSABLE_TARGETS.includes(target))
      clock = pauseClock(clock, this.calendar, at);
    this.state = {
      ...this.state,
      nextGen: this.state.nextGen + 1,
      clocks: [...this.state.clocks, clock],
    };
  }

  /** Stop a clock at `at`: met (with whether it was in time) or cancelled (no answer ever came). */
  stop(clock: TargetClock, at: number, type: 'sla.met' | 'sla.cancelled'): void {
    const when = Math.max(at, clock.startedAt);
    const elapsed = elapsedAt(clock, this.calendar, when);
    this.emissions.push({
      eventId: emissionId(this.state.contactId, clock, type),
      type,
      target: clock.target,
      startedAt: clock.startedAt,
      dueAt: dueAt(clock, this.calendar) ?? when + Math.max(0, clock.limitMs - elapsed),
      occurredAt: when,
      elapsedMs: elapsed,
      ...(type === 'sla.met' ? { withinTarget: elapsed <= clock.limitMs && !clock.breached } : {}),
    });
    if (clock.target === 'resolution') this.state = { ...this.state, resolutionElapsedMs: elapsed };
    this.state = { ...this.state, clocks: this.state.clocks.filter((c) => c !== clock) };
  }

  replace(clock: TargetClock, next: TargetClock): void {
    this.state = { ...this.state, clocks: this.state.clocks.map((c) => (c === clock ? next : c)) };
  }

  pause(at: number): void {
    if (this.state.paused) return;
    for (const clock of this.state.clocks) {
      if (PAUSABLE_TARGETS.includes(clock.target)) {
        this.replace(
          clock,
          pauseClock(clock, this.calendar, Math.max(at, clock.runningSince ?? at)),
        );
      }
    }
    this.state = { ...this.state, paused: true, pausedAt: at };
  }

  resume(at: number): void {
    if (!this.state.paused) return;
    for (const clock of this.state.clocks) {
      if (PAUSABLE_TARGETS.includes(clock.target)) this.replace(clock, resumeClock(clock, at));
    }
    const { pausedAt: _pausedAt, ...rest } = this.state;
    this.state = { ...rest, paused: false };
  }
}

/**
 * Apply one contact event (in partition order). Pure: the same state, event and policies give the
 * same result. Rules for late (out-of-order) events, by their instant:
 * - a reply stops only clocks that started before it;
 * - a customer message older than the last agent reply starts nothing (it was already answered);
 * - a pause, resume, resolve or reopen older than the latest event applied is ignored, and so is a
 *   customer message older than it that would reopen a resolved contact: the newer state stands.
 */
export function applyContactEvent(
  previous: ContactClock | undefined,
  event: ContactEvent,
  policies: PolicyLookup,
): ClockResult {
  const at = eventInstant(event);
  let state = previous ?? newContact(event, at, policies);
  // Priority changes re-evaluate the policy (documented in docs/sla.md); otherwise a contact keeps
  // the policy version it started with.
  if (previous && event.priority !== undefined && event.priority !== state.priority) {
    state = { ...state, priority: event.priority };
    const policy = policies.select(subjectOf(state));
    if (policy.id !== state.policyId || policy.version !== state.policyVersion) {
      state = rebase(state, policy);
    }
  }
  const late = previous !== undefined && at < previous.lastEventAt;
  if (previous) state = { ...state, lastEventAt: Math.max(previous.lastEventAt, at) };
  const editor = new ClockEditor(state, policies.byId(state.policyId, state.policyVersion));
  const reopen = () => {
    if (editor.state.status !== 'resolved') return;
    editor.state = { ...editor.state, status: 'open', paused: false };
    editor.start('resolution', at, editor.state.resolutionElapsedMs ?? 0);
  };

  if (CUSTOMER_MESSAGE.has(event.type) || MISSED_CALL.has(event.type)) {
    if (late && editor.state.status === 'resolved') return { state: editor.state, emissions: [] };
    reopen();
    if (!late) editor.resume(at);
    const answeredAfter = (editor.state.lastAgentReplyAt ?? -Infinity) >= at;
    if (!answeredAfter && editor.waitingClock() === undefined) {
      const missedCall = MISSED_CALL.has(event.type);
      const target: SlaTarget =
        missedCall && editor.policy.targets.callback
          ? 'callback'
          : editor.state.firstRepliedAt === undefined
            ? 'first_response'
            : 'next_response';
      editor.start(target, at);
    }
    if (
      !editor.running('resolution') &&
      editor.state.status === 'open' &&
      editor.state.resolutionElapsedMs === undefined
    ) {
      editor.start('resolution', Math.min(at, editor.state.openedAt));
    }
    editor.state = {
      ...editor.state,
      openedAt: Math.min(editor.state.openedAt, at),
      lastCustomerAt: Math.max(editor.state.lastCustomerAt ?? at, at),
    };
  } else {
    switch (event.type) {
      case 'agent.replied': {
        const waiting = editor.waitingClock();
        if (waiting && at >= waiting.startedAt) editor.stop(waiting, at, 'sla.met');
        editor.state = {
          ...editor.state,
          firstRepliedAt: Math.min(editor.state.firstRepliedAt ?? at, at),
          lastAgentReplyAt: Math.max(editor.state.lastAgentReplyAt ?? at, at),
          ...(event.data?.agentId ? { assignee: event.data.agentId } : {}),
        };
        break;
      }
      case 'contact.assigned':
        editor.state = {
          ...editor.state,
          ...(event.data?.agentId ? { assignee: event.data.agentId } : {}),
          ...(event.data?.team ? { team: event.data.team } : {}),
        };
        break;
      case 'contact.waiting_on_customer':
        if (!late) editor.pause(at);
        break;
      case 'contact.resumed':
        if (!late) editor.resume(at);
        break;
      case 'contact.resolved':
        if (late) break;
        for (const clock of [...editor.state.clocks]) {
          editor.stop(clock, at, clock.target === 'resolution' ? 'sla.met' : 'sla.cancelled');
        }
        editor.state = { ...editor.state, status: 'resolved', paused: false };
        break;
      case 'contact.reopened':
        if (!late) reopen();
        break;
      case 'contact.opened':
      case 'customer.replied':
      case 'call.missed':
      case 'call.abandoned':
      case 'voicemail.left':
        break; // handled above
    }
  }
  return { state: editor.state, emissions: editor.emissions };
}

/** Move running clocks to another policy's limits, keeping the time already used. */
function rebase(state: ContactClock, policy: ResolvedPolicy): ContactClock {
  const clocks = state.clocks.map((clock) => {
    const spec = policy.targets[clock.target];
    if (spec === undefined) return clock;
    const elapsed = clock.elapsedMs;
    return {
      ...clock,
      limitMs: spec.limitMs,
      business: spec.business,
      warnAtMs: spec.warnAtMs.filter((ms) => ms > elapsed),
    };
  });
  return { ...state, policyId: policy.id, policyVersion: policy.version, clocks };
}

/** Announce every warning and breach due by `now`; idempotent (announced ones are removed). */
export function fireDue(state: ContactClock, now: number, policy: ResolvedPolicy): ClockResult {
  const emissions: SlaEmission[] = [];
  const clocks = state.clocks.map((original) => {
    let clock = original;
    if (clock.breached || clock.runningSince === null) return clock;
    const due = dueAt(clock, policy.calendar)!;
    while (clock.warnAtMs.length > 0) {
      const threshold = clock.warnAtMs[0];
      const warnAt = instantAtElapsed(clock, policy.calendar, threshold)!;
      if (warnAt > now) break;
      emissions.push({
        eventId: emissionId(state.contactId, clock, 'sla.warning', `.${threshold}`),
        type: 'sla.warning',
        target: clock.target,
        startedAt: clock.startedAt,
        dueAt: due,
        occurredAt: warnAt,
        elapsedMs: threshold,
      });
      clock = { ...clock, warnAtMs: clock.warnAtMs.slice(1), warned: true };
    }
    if (due <= now) {
      emissions.push({
        eventId: emissionId(state.contactId, clock, 'sla.breached'),
        type: 'sla.breached',
        target: clock.target,
        startedAt: clock.startedAt,
        dueAt: due,
        occurredAt: due,
        elapsedMs: clock.limitMs,
      });
      clock = { ...clock, breached: true, warnAtMs: [] };
    }
    return clock;
  });
  return { state: emissions.length === 0 ? state : { ...state, clocks }, emissions };
}

/** The next instant a warning or breach falls due, or undefined when nothing is pending. */
export function nextDeadline(state: ContactClock, policy: ResolvedPolicy): number | undefined {
  let next: number | undefined;
  for (const clock of state.clocks) {
    const at = nextInstant(clock, policy.calendar);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

/** The next instant a target breaches (warnings aside), or undefined when none is running. */
export function nextBreachAt(state: ContactClock, policy: ResolvedPolicy): number | undefined {
  let next: number | undefined;
  for (const clock of state.clocks) {
    if (clock.breached) continue;
    const at = dueAt(clock, policy.calendar);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}

export interface QueuePlacement {
  /** Waiting for a human since (a first/next response or callback clock running). */
  waitingSince?: number;
  /** Earliest due instant of a running clock that already warned and has not breached. */
  atRiskDue?: number;
  /** Earliest due instant of a breached clock still running. */
  breachedDue?: number;
  pausedSince?: number;
  nextDeadline?: number;
}

/** Where the contact appears in the ops queue views (sorted sets in Redis). */
export function queuePlacement(state: ContactClock, policy: ResolvedPolicy): QueuePlacement {
  if (state.status !== 'open') return {};
  const placement: QueuePlacement = {};
  for (const clock of state.clocks) {
    if (WAITING_TARGETS.includes(clock.target) && clock.runningSince !== null) {
      placement.waitingSince = Math.min(placement.waitingSince ?? clock.startedAt, clock.startedAt);
    }
    const due = dueAt(clock, policy.calendar);
    if (due === undefined) continue;
    if (clock.breached) placement.breachedDue = Math.min(placement.breachedDue ?? due, due);
    else if (clock.warned) {
      placement.atRiskDue = Math.min(placement.atRiskDue ?? due, due);
    }
  }
  if (state.paused) placement.pausedSince = state.pausedAt ?? state.openedAt;
  const next = nextDeadline(state, policy);
  if (next !== undefined) placement.nextDeadline = next;
  return placement;
}
