import type { SlaTarget } from '@replywatch/contracts';
import { ALWAYS_OPEN } from '../calendar/calendar.schema';
import type { Calendar } from '../calendar/calendar.schema';
import { addBusinessMs, businessMsBetween } from '../calendar/business-time';
import type { ResolvedTarget } from './resolved-policy';

/**
 * One running (or paused) SLA clock. Time used is kept as `elapsedMs` up to `runningSince`, so a
 * pause freezes it and a resume continues from there; instants are derived from the calendar.
 */
export interface TargetClock {
  target: SlaTarget;
  /** Distinguishes successive runs of the same target on one contact (part of event ids). */
  gen: number;
  startedAt: number;
  elapsedMs: number;
  /** Running since this instant; null while paused. */
  runningSince: number | null;
  limitMs: number;
  business: boolean;
  /** Warning thresholds (elapsed ms) not yet announced, ascending. */
  warnAtMs: number[];
  /** A warning was announced: the contact is at risk. */
  warned: boolean;
  breached: boolean;
}

export function startClock(
  spec: ResolvedTarget,
  gen: number,
  at: number,
  elapsedMs = 0,
): TargetClock {
  return {
    target: spec.target,
    gen,
    startedAt: at,
    elapsedMs,
    runningSince: at,
    limitMs: spec.limitMs,
    business: spec.business,
    warnAtMs: spec.warnAtMs.filter((ms) => ms > elapsedMs),
    warned: false,
    breached: elapsedMs >= spec.limitMs,
  };
}

function calendarOf(clock: TargetClock, calendar: Calendar): Calendar {
  return clock.business ? calendar : ALWAYS_OPEN;
}

/** Target time used by instant `at`. */
export function elapsedAt(clock: TargetClock, calendar: Calendar, at: number): number {
  if (clock.runningSince === null || at <= clock.runningSince) return clock.elapsedMs;
  return clock.elapsedMs + businessMsBetween(calendarOf(clock, calendar), clock.runningSince, at);
}

/** The instant at which `elapsed` target time will have been used, or undefined while paused. */
export function instantAtElapsed(
  clock: TargetClock,
  calendar: Calendar,
  elapsed: number,
): number | undefined {
  if (clock.runningSince === null) return undefined;
  return addBusinessMs(
    calendarOf(clock, calendar),
    clock.runningSince,
    Math.max(0, elapsed - clock.elapsedMs),
  );
}

export function dueAt(clock: TargetClock, calendar: Calendar): number | undefined {
  return instantAtElapsed(clock, calendar, clock.limitMs);
}

/** The next instant something happens to this clock (a warning or the breach), if any. */
export function nextInstant(clock: TargetClock, calendar: Calendar): number | undefined {
  if (clock.breached || clock.runningSince === null) return undefined;
  return instantAtElapsed(clock, calendar, clock.warnAtMs[0] ?? clock.limitMs);
}

export function pauseClock(clock: TargetClock, calendar: Calendar, at: number): TargetClock {
  if (clock.runningSince === null) return clock;
  return { ...clock, elapsedMs: elapsedAt(clock, calendar, at), runningSince: null };
}

export function resumeClock(clock: TargetClock, at: number): TargetClock {
  if (clock.runningSince !== null) return clock;
  return { ...clock, runningSince: at };
}
