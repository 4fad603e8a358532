import { addBusinessMs } from './calendar/business-time';
import type { Calendar } from './calendar/calendar.schema';
import type { Heartbeat, PolicyFile } from './policy.schema';

export interface ResolvedHeartbeat {
  source: string;
  channel?: Heartbeat['channel'];
  windowMs: number;
  /** Only the calendar's open time counts; absent: around the clock. */
  calendar?: Calendar;
}

export function resolveHeartbeats(file: PolicyFile): ResolvedHeartbeat[] {
  const calendars = new Map(file.calendars.map((calendar) => [calendar.id, calendar] as const));
  return file.heartbeats.map((heartbeat) => ({
    source: heartbeat.source,
    channel: heartbeat.channel,
    windowMs: Math.round(heartbeat.silentAfter * 1000),
    calendar: heartbeat.calendar === undefined ? undefined : calendars.get(heartbeat.calendar),
  }));
}

/** The instant a source last heard from at `lastSeenMs` counts as silent. */
export function silentFromMs(heartbeat: ResolvedHeartbeat, lastSeenMs: number): number {
  return heartbeat.calendar === undefined
    ? lastSeenMs + heartbeat.windowMs
    : addBusinessMs(heartbeat.calendar, lastSeenMs, heartbeat.windowMs);
}

export type HeartbeatVerdict =
  | { kind: 'unchanged' }
  | { kind: 'silent'; silentFromMs: number }
  | { kind: 'recovered'; silentFromMs: number };

/**
 * Whether a source's state changes now. `silentSinceMs` is the instant of the silence already
 * reported (undefined when the source is not silent); an event after it moves the window on,
 * which is the recovery.
 */
export function heartbeatVerdict(
  heartbeat: ResolvedHeartbeat,
  lastSeenMs: number,
  silentSinceMs: number | undefined,
  nowMs: number,
): HeartbeatVerdict {
  const silentAt = silentFromMs(heartbeat, lastSeenMs);
  if (silentSinceMs === undefined) {
    return nowMs >= silentAt ? { kind: 'silent', silentFromMs: silentAt } : { kind: 'unchanged' };
  }
  return lastSeenMs > silentSinceMs
    ? { kind: 'recovered', silentFromMs: silentSinceMs }
    : { kind: 'unchanged' };
}
