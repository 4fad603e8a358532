import { BoundedCache } from './bounded-cache';
import { timeOfDayMinutes, WEEKDAYS } from './calendar.schema';
import type { Calendar, HoursInterval, ScheduledCalendar } from './calendar.schema';
import { DAY_MS, MINUTE_MS, offsetPiecesOfUtcDay } from './zone-offset';

/**
 * Business time on a calendar. An instant t is open iff, with L = the wall clock of t in the
 * calendar's zone, the hours of L's date (holiday override, else the week day) contain L's time of
 * day. So hours starting in a skipped DST hour start at the transition, a repeated hour inside
 * the hours counts twice, and "24:00" followed by "00:00" the next day is continuous open time.
 *
 * All instants are epoch milliseconds. Calendars are compiled once per object (keep the parsed
 * object and reuse it) and their open time is cached per UTC day.
 */

/** Lookahead limit of addBusinessMs: a deadline further away than this is a broken calendar. */
export const MAX_LOOKAHEAD_DAYS = 5 * 366;
const CACHED_DAYS_PER_CALENDAR = 1024;

export class BusinessTimeError extends Error {
  readonly code = 'SLA.BUSINESS_TIME_UNREACHABLE';
  constructor(message: string) {
    super(message);
    this.name = 'BusinessTimeError';
  }
}

interface CompiledCalendar {
  readonly calendar: ScheduledCalendar;
  /** Indexed by JS week day (0 = Sunday): flat [start, end, start, end, …] ms after local midnight. */
  readonly weekly: readonly (readonly number[])[];
  /** Local day number (days since 1970-01-01) -> flat hours replacing the weekly ones. */
  readonly holidays: ReadonlyMap<number, readonly number[]>;
  /** UTC day number -> flat, sorted, merged open intervals [a, b, a, b, …] within that UTC day. */
  readonly days: BoundedCache<number, readonly number[]>;
}

const compiled = new WeakMap<ScheduledCalendar, CompiledCalendar>();

/** The open instants in [fromMs, toMs), merged and sorted. */
export function openIntervals(
  calendar: Calendar,
  fromMs: number,
  toMs: number,
): Array<[startMs: number, endMs: number]> {
  assertInstant('fromMs', fromMs);
  assertInstant('toMs', toMs);
  if (toMs <= fromMs) return [];
  if (calendar.alwaysOpen) return [[fromMs, toMs]];
  const compiledCalendar = compile(calendar);
  const result: Array<[number, number]> = [];
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
    const open = openTimeOfUtcDay(compiledCalendar, day);
    for (let i = 0; i < open.length; i += 2) {
      const start = Math.max(open[i], fromMs);
      const end = Math.min(open[i + 1], toMs);
      if (start >= end) continue;
      const last = result[result.length - 1];
      // Open time running over midnight UTC arrives in two days' pieces: join them.
      if (last !== undefined && last[1] === start) last[1] = end;
      else result.push([start, end]);
    }
  }
  return result;
}

/** Open time in [fromMs, toMs), in ms; 0 when toMs <= fromMs. */
export function businessMsBetween(calendar: Calendar, fromMs: number, toMs: number): number {
  assertInstant('fromMs', fromMs);
  assertInstant('toMs', toMs);
  if (toMs <= fromMs) return 0;
  if (calendar.alwaysOpen) return toMs - fromMs;
  const compiledCalendar = compile(calendar);
  let total = 0;
  for (let day = Math.floor(fromMs / DAY_MS); day * DAY_MS < toMs; day++) {
    const open = openTimeOfUtcDay(compiledCalendar, day);
    for (let i = 0; i < open.length; i += 2) {
      const start = Math.max(open[i], fromMs);
      const end = Math.min(open[i + 1], toMs);
      if (start < end) total += end - start;
    }
  }
  return total;
}

/**
 * The earliest instant t >= startMs with businessMsBetween(startMs, t) === durationMs: the
 * deadline `durationMs` of business time after `startMs`. Throws BusinessTimeError when the
 * calendar does not provide that much open time within MAX_LOOKAHEAD_DAYS days of `startMs`.
 */
export function addBusinessMs(calendar: Calendar, startMs: number, durationMs: number): number {
  assertInstant('startMs', startMs);
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a finite number >= 0, got ${durationMs}`);
  }
  if (durationMs === 0) return startMs;
  if (calendar.alwaysOpen) return startMs + durationMs;
  const compiledCalendar = compile(calendar);
  const limit = startMs + MAX_LOOKAHEAD_DAYS * DAY_MS;
  let remaining = durationMs;
  for (let day = Math.floor(startMs / DAY_MS); day * DAY_MS < limit; day++) {
    const open = openTimeOfUtcDay(compiledCalendar, day);
    for (let i = 0; i < open.length; i += 2) {
      const start = Math.max(open[i], startMs);
      const end = Math.min(open[i + 1], limit);
      if (start >= end) continue;
      if (remaining <= end - start) return start + remaining;
      remaining -= end - start;
    }
  }
  throw new BusinessTimeError(
    `calendar "${calendar.id}" has only ${durationMs - remaining} of the ${durationMs} ms of ` +
      `business time needed within ${MAX_LOOKAHEAD_DAYS} days after ${new Date(startMs).toISOString()}`,
  );
}

function assertInstant(name: string, value: number): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be epoch ms, got ${value}`);
}

function compile(calendar: ScheduledCalendar): CompiledCalendar {
  let result = compiled.get(calendar);
  if (result === undefined) {
    const weekly: number[][] = [];
    WEEKDAYS.forEach((weekday, index) => {
      // WEEKDAYS starts on Monday; JS week days on Sunday.
      weekly[(index + 1) % 7] = flatHours(calendar.weekly[weekday]);
    });
    const holidays = new Map<number, readonly number[]>();
    for (const holiday of calendar.holidays) {
      holidays.set(Date.parse(`${holiday.date}T00:00:00Z`) / DAY_MS, flatHours(holiday.open));
    }
    result = { calendar, weekly, holidays, days: new BoundedCache(CACHED_DAYS_PER_CALENDAR) };
    compiled.set(calendar, result);
  }
  return result;
}

function flatHours(hours: readonly HoursInterval[]): number[] {
  return hours.flatMap(([start, end]) => [
    timeOfDayMinutes(start) * MINUTE_MS,
    timeOfDayMinutes(end) * MINUTE_MS,
  ]);
}

function hoursOfLocalDay(calendar: CompiledCalendar, localDay: number): readonly number[] {
  // Day 0 (1970-01-01) was a Thursday, JS week day 4.
  return calendar.holidays.get(localDay) ?? calendar.weekly[(((localDay + 4) % 7) + 7) % 7];
}

/**
 * Open intervals of one UTC day. Within a piece of constant offset o, the instant t shows local
 * wall clock t + o, so hours [s, e) of local day D are open exactly for t in [D + s - o, D + e - o).
 */
function openTimeOfUtcDay(calendar: CompiledCalendar, day: number): readonly number[] {
  const cached = calendar.days.get(day);
  if (cached !== undefined) return cached;
  const open: number[] = [];
  for (const piece of offsetPiecesOfUtcDay(calendar.calendar.timeZone, day)) {
    const firstLocalDay = Math.floor((piece.start + piece.offsetMs) / DAY_MS);
    const lastLocalDay = Math.floor((piece.end - 1 + piece.offsetMs) / DAY_MS);
    for (let localDay = firstLocalDay; localDay <= lastLocalDay; localDay++) {
      const hours = hoursOfLocalDay(calendar, localDay);
      const shift = localDay * DAY_MS - piece.offsetMs;
      for (let i = 0; i < hours.length; i += 2) {
        const start = Math.max(shift + hours[i], piece.start);
        const end = Math.min(shift + hours[i + 1], piece.end);
        if (start >= end) continue;
        // Local time only moves forward inside a piece, and pieces are in order: append or join.
        if (open.length > 0 && open[open.length - 1] === start) open[open.length - 1] = end;
        else open.push(start, end);
      }
    }
  }
  calendar.days.set(day, open);
  return open;
}
