import { timeOfDayMinutes, WEEKDAYS } from './calendar.schema';
import type { Calendar } from './calendar.schema';
import { MINUTE_MS, wallClockFormatter } from './zone-offset';

/**
 * Brute-force business time, the definition the fast functions in business-time.ts are tested
 * against. Slow on purpose (one Intl call per minute): for tests and the long property run only.
 */

/** Is the calendar open at instant t: do the hours of t's local date contain t's local time? */
export function isOpenAt(calendar: Calendar, t: number): boolean {
  if (calendar.alwaysOpen) return true;
  const part: Record<string, string> = {};
  for (const { type, value } of wallClockFormatter(calendar.timeZone).formatToParts(t)) {
    part[type] = value;
  }
  const date = `${part.year.padStart(4, '0')}-${part.month}-${part.day}`;
  const weekday = WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];
  const hours =
    calendar.holidays.find((holiday) => holiday.date === date)?.open ?? calendar.weekly[weekday];
  const millisecond = ((t % 1000) + 1000) % 1000;
  const timeOfDay =
    ((Number(part.hour) * 60 + Number(part.minute)) * 60 + Number(part.second)) * 1000 +
    millisecond;
  return hours.some(
    ([start, end]) =>
      timeOfDayMinutes(start) * MINUTE_MS <= timeOfDay &&
      timeOfDay < timeOfDayMinutes(end) * MINUTE_MS,
  );
}

/** Open time in [fromMs, toMs), counted minute by minute; both must be whole minutes. */
export function oracleBusinessMsBetween(calendar: Calendar, fromMs: number, toMs: number): number {
  assertWholeMinutes(fromMs, toMs);
  let total = 0;
  for (let t = fromMs; t < toMs; t += MINUTE_MS) {
    if (isOpenAt(calendar, t)) total += MINUTE_MS;
  }
  return total;
}

/**
 * The first instant at which `durationMs` (whole minutes) of open time has passed since `startMs`,
 * stepping minute by minute; undefined if that takes longer than `windowMs`.
 */
export function oracleAddBusinessMs(
  calendar: Calendar,
  startMs: number,
  durationMs: number,
  windowMs = 10 * 86_400_000,
): number | undefined {
  assertWholeMinutes(startMs, durationMs);
  if (durationMs === 0) return startMs;
  let total = 0;
  for (let t = startMs; t < startMs + windowMs; t += MINUTE_MS) {
    if (isOpenAt(calendar, t)) {
      total += MINUTE_MS;
      if (total === durationMs) return t + MINUTE_MS;
    }
  }
  return undefined;
}

// Offsets and hours are whole minutes, so whole-minute steps see every change of state.
function assertWholeMinutes(...values: number[]): void {
  for (const value of values) {
    if (value % MINUTE_MS !== 0) throw new RangeError(`oracle needs whole minutes, got ${value}`);
  }
}
