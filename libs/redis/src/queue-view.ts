import { CHANNELS } from '@replywatch/contracts';
import type { Channel } from '@replywatch/contracts';

/**
 * The ops queue view: every contact a human owes a reply (or that is paused on the customer) sits
 * in exactly one *segment*, the combination of its state, channel, priority, team and policy. Each
 * segment has two sorted sets (by waiting since, by next deadline) and a count in one registry
 * hash. A filtered page merges the segments that match, so no filter combination ever scans:
 * two index entries per contact instead of one per filterable field.
 */
export const QUEUE_STATES = ['waiting', 'at-risk', 'breached', 'paused'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];

export const QUEUE_SORTS = ['wait', 'time-left'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueSegment {
  state: QueueState;
  channel: Channel;
  priority: string;
  /** undefined when the contact has no team. */
  team: string | undefined;
  policyId: string;
}

/** Where a contact sits in the view, or undefined when it is not in the queue. */
export interface QueueViewEntry {
  segment: QueueSegment;
  /** Score of the wait order: when the customer started waiting (or paused), ms. */
  sinceMs: number;
  /** Score of the time-left order: the next deadline, ms; undefined sorts last. */
  deadlineMs: number | undefined;
}

/** What the SLA service knows about a contact's place in the queue (see queuePlacement). */
export interface QueueViewInput {
  channel: Channel;
  priority: string;
  team?: string;
  policyId: string;
  waitingSince?: number;
  atRiskDue?: number;
  breachedDue?: number;
  pausedSince?: number;
  nextDeadline?: number;
}

// Teams are never empty (the event schema says so), so the empty string stands for none.
const NO_TEAM = '';
const SEPARATOR = '|';

/** A contact is in the queue when a human owes a reply, or it is paused waiting on the customer. */
export function queueViewEntry(input: QueueViewInput): QueueViewEntry | undefined {
  const since = input.waitingSince ?? input.pausedSince;
  if (since === undefined) return undefined;
  const state: QueueState =
    input.pausedSince !== undefined
      ? 'paused'
      : input.breachedDue !== undefined
        ? 'breached'
        : input.atRiskDue !== undefined
          ? 'at-risk'
          : 'waiting';
  return {
    segment: {
      state,
      channel: input.channel,
      priority: input.priority,
      team: input.team,
      policyId: input.policyId,
    },
    sinceMs: since,
    deadlineMs: input.nextDeadline,
  };
}

// Team and policy are free text; encoding keeps the separator out of them.
const part = (value: string) => encodeURIComponent(value);

export function encodeSegment(segment: QueueSegment): string {
  return [
    segment.state,
    segment.channel,
    part(segment.priority),
    segment.team === undefined ? NO_TEAM : part(segment.team),
    part(segment.policyId),
  ].join(SEPARATOR);
}

/** The segment a registry field names, or undefined for a field this version cannot read. */
export function decodeSegment(encoded: string): QueueSegment | undefined {
  const parts = encoded.split(SEPARATOR);
  if (parts.length !== 5) return undefined;
  const [state, channel, priority, team, policyId] = parts;
  if (!(QUEUE_STATES as readonly string[]).includes(state)) return undefined;
  if (!(CHANNELS as readonly string[]).includes(channel)) return undefined;
  try {
    return {
      state: state as QueueState,
      channel: channel as Channel,
      priority: decodeURIComponent(priority),
      team: team === NO_TEAM ? undefined : decodeURIComponent(team),
      policyId: decodeURIComponent(policyId),
    };
  } catch {
    return undefined;
  }
}

export interface QueueFilter {
  channel?: Channel;
  priority?: string;
  team?: string;
  policyId?: string;
  state?: QueueState;
}

export function segmentMatches(segment: QueueSegment, filter: QueueFilter): boolean {
  return (
    (filter.channel === undefined || segment.channel === filter.channel) &&
    (filter.priority === undefined || segment.priority === filter.priority) &&
    (filter.team === undefined || segment.team === filter.team) &&
    (filter.policyId === undefined || segment.policyId === filter.policyId) &&
    (filter.state === undefined || segment.state === filter.state)
  );
}
