import type { Calendar } from '@replywatch/sla-clock';
import type {
  Chain,
  EscalationDocument,
  NotifyChannel,
  NotifyRule,
  Person,
  Team,
} from './escalation-document.schema';
import { isOnShift, onCallAt } from './on-call';

/** Where a running alert is in its chain: the level to page next, in which round of `repeat`. */
export interface StepPosition {
  level: number;
  round: number;
}

/** The contact's people, as the SLA event names them. */
export interface AlertContext {
  assignee?: string;
  team?: string;
}

/** One page to send: an e-mail address, or an endpoint id for a webhook or chat channel. */
export interface Delivery {
  channel: NotifyChannel;
  address: string;
  /** The chain's target this came from (`team:support`) and who it reached, for the audit trail. */
  target: string;
  personId?: string;
}

export type SkipReason = 'off_shift' | 'unknown' | 'no_address';

export interface SkippedTarget {
  target: string;
  personId?: string;
  reason: SkipReason;
}

export interface StepPlan {
  deliveries: Delivery[];
  skipped: SkippedTarget[];
  /** Nobody in the level was reachable, so the chain's fallback was paged. */
  usedFallback: boolean;
  /** The step after this one and when it falls due; absent when the chain is finished. */
  next?: { position: StepPosition; atMs: number };
}

/** The level after `position`, wrapping into the next round while `repeat` allows. */
export function nextPosition(chain: Chain, position: StepPosition): StepPosition | undefined {
  if (position.level + 1 < chain.levels.length) {
    return { level: position.level + 1, round: position.round };
  }
  return position.round < chain.repeat ? { level: 0, round: position.round + 1 } : undefined;
}

interface Resolution {
  deliveries: Delivery[];
  skipped: SkippedTarget[];
}

class Directory {
  private readonly people: Map<string, Person>;
  private readonly teams: Map<string, Team>;
  private readonly calendars: Map<string, Calendar>;

  constructor(readonly doc: EscalationDocument) {
    this.people = new Map(doc.people.map((p) => [p.id, p] as const));
    this.teams = new Map(doc.teams.map((t) => [t.id, t] as const));
    this.calendars = new Map(doc.calendars.map((c) => [c.id, c] as const));
  }

  person(id: string): Person | undefined {
    return this.people.get(id);
  }

  /** The person an agent id from a connector belongs to (their own id or one of their agent ids). */
  agent(agentId: string): Person | undefined {
    return this.people.get(agentId) ?? this.doc.people.find((p) => p.agentIds.includes(agentId));
  }

  team(id: string): Team | undefined {
    return this.teams.get(id);
  }

  onShift(person: Person, nowMs: number): boolean {
    return isOnShift(
      person.calendar === undefined ? undefined : this.calendars.get(person.calendar),
      nowMs,
    );
  }

  onCall(rotationId: string, nowMs: number): Person | undefined {
    const rotation = this.doc.rotations.find((r) => r.id === rotationId);
    return rotation === undefined ? undefined : this.people.get(onCallAt(rotation, nowMs));
  }
}

function resolveRule(
  rule: NotifyRule,
  context: AlertContext,
  directory: Directory,
  nowMs: number,
  ignoreShifts: boolean,
): Resolution {
  const out: Resolution = { deliveries: [], skipped: [] };
  const target = rule.target;
  const personDeliveries = (
    person: Person,
    checkShift: boolean,
    channels: readonly NotifyChannel[] = rule.channels,
  ) => {
    if (checkShift && !ignoreShifts && !directory.onShift(person, nowMs)) {
      out.skipped.push({ target, personId: person.id, reason: 'off_shift' });
      return;
    }
    let reached = false;
    for (const channel of channels) {
      const address = person[channel];
      if (address === undefined) continue;
      out.deliveries.push({ channel, address, target, personId: person.id });
      reached = true;
    }
    if (!reached) out.skipped.push({ target, personId: person.id, reason: 'no_address' });
  };
  const teamDeliveries = (team: Team) => {
    const memberChannels: NotifyChannel[] = [];
    for (const channel of rule.channels) {
      const shared = team[channel];
      // A shared mailbox or channel has no shift: someone there sees it.
      if (shared !== undefined) out.deliveries.push({ channel, address: shared, target });
      else memberChannels.push(channel);
    }
    if (memberChannels.length === 0) return;
    for (const memberId of team.members) {
      const member = directory.person(memberId);
      if (member !== undefined) personDeliveries(member, true, memberChannels);
    }
  };

  const [kind, id] = target.split(':') as [string, string | undefined];
  switch (kind) {
    case 'person': {
      const person = id === undefined ? undefined : directory.person(id);
      if (person === undefined) out.skipped.push({ target, reason: 'unknown' });
      else personDeliveries(person, true);
      break;
    }
    case 'team': {
      const team = id === undefined ? undefined : directory.team(id);
      if (team === undefined) out.skipped.push({ target, reason: 'unknown' });
      else teamDeliveries(team);
      break;
    }
    case 'oncall': {
      // Being on call is the shift: the rotation's person is paged at whatever hour.
      const person = id === undefined ? undefined : directory.onCall(id, nowMs);
      if (person === undefined) out.skipped.push({ target, reason: 'unknown' });
      else personDeliveries(person, false);
      break;
    }
    case 'assignee': {
      const person = context.assignee === undefined ? undefined : directory.agent(context.assignee);
      if (person === undefined) out.skipped.push({ target, reason: 'unknown' });
      else personDeliveries(person, true);
      break;
    }
    case 'contact-team': {
      const team = context.team === undefined ? undefined : directory.team(context.team);
      if (team === undefined) out.skipped.push({ target, reason: 'unknown' });
      else teamDeliveries(team);
      break;
    }
    default:
      out.skipped.push({ target, reason: 'unknown' });
  }
  return out;
}

function dedupe(deliveries: Delivery[]): Delivery[] {
  const seen = new Set<string>();
  return deliveries.filter((delivery) => {
    const key = `${delivery.channel}\u0000${delivery.address}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Who the step at `position` pages now, who it skipped and why, and when the next step is due.
 * People off shift are skipped unless the level says `anyTime`; when nobody is reachable, the
 * chain's fallback is paged regardless of the hour. The chain is the alert's snapshot; people,
 * teams and rotations are read from the current document.
 */
export function planStep(
  chain: Chain,
  position: StepPosition,
  context: AlertContext,
  doc: EscalationDocument,
  nowMs: number,
): StepPlan {
  const level = chain.levels[position.level];
  if (level === undefined) {
    throw new RangeError(`chain ${chain.id} has no level ${position.level + 1}`);
  }
  const directory = new Directory(doc);
  const resolved = level.notify.map((rule) =>
    resolveRule(rule, context, directory, nowMs, level.anyTime),
  );
  let deliveries = dedupe(resolved.flatMap((r) => r.deliveries));
  const skipped = resolved.flatMap((r) => r.skipped);
  let usedFallback = false;
  if (deliveries.length === 0 && chain.fallback !== undefined) {
    const fallback = resolveRule(chain.fallback, context, directory, nowMs, true);
    deliveries = dedupe(fallback.deliveries);
    skipped.push(...fallback.skipped);
    usedFallback = true;
  }
  const after = nextPosition(chain, position);
  return {
    deliveries,
    skipped,
    usedFallback,
    ...(after === undefined ? {} : { next: { position: after, atMs: nowMs + level.wait } }),
  };
}
