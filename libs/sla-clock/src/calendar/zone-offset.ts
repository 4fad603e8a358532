import { BoundedCache } from './bounded-cache';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

/** A stretch of instants [start, end) over which the zone's UTC offset stays `offsetMs`. */
export interface OffsetPiece {
  readonly start: number;
  readonly end: number;
  readonly offsetMs: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone: UTC day number -> offset pieces covering that UTC day (about 11 years per zone). */
const piecesByZone = new Map<string, BoundedCache<number, readonly OffsetPiece[]>>();
const PIECE_DAYS_PER_ZONE = 4096;
/** Probe the offset every 6 hours of a UTC day, so two transitions would have to fall in one slice to hide. */
const PROBE_SLICE_MS = 6 * 3_600_000;

/** One formatter per zone: building one costs far more than formatting with it. */
export function wallClockFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      // h23: never "24" for midnight, which some hour12:false formats print.
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall clock of `t` in the zone, read as if it were UTC, to the second (ms dropped). */
export function wallClockSeconds(timeZone: string, t: number): number {
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const { type, value } of wallClockFormatter(timeZone).formatToParts(t)) {
    if (type === 'year') year = Number(value);
    else if (type === 'month') month = Number(value);
    else if (type === 'day') day = Number(value);
    // Belt and braces for engines that print midnight as "24" despite h23.
    else if (type === 'hour') hour = Number(value) % 24;
    else if (type === 'minute') minute = Number(value);
    else if (type === 'second') second = Number(value);
  }
  const wall = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  // Date.UTC reads years 0-99 as 1900-1999; set the year separately.
  wall.setUTCFullYear(year);
  return wall.getTime();
}

/** UTC offset of the zone at instant `t`: local wall clock minus UTC, in ms. */
export function zoneOffsetMs(timeZone: string, t: number): number {
  const wholeSecond = t - (((t % 1000) + 1000) % 1000);
  return wallClockSeconds(timeZone, wholeSecond) - wholeSecond;
}

/**
 * The constant-offset pieces of UTC day `day` (days since 1970-01-01) in the zone, in order,
 * covering [day * DAY_MS, (day + 1) * DAY_MS). Transitions are found by bisection to the second
 * (tzdata transitions fall on whole seconds), then cached.
 */
export function offsetPiecesOfUtcDay(timeZone: string, day: number): readonly OffsetPiece[] {
  let cache = piecesByZone.get(timeZone);
  if (cache === undefined) {
    cache = new BoundedCache(PIECE_DAYS_PER_ZONE);
    piecesByZone.set(timeZone, cache);
  }
  const cached = cache.get(day);
  if (cached !== undefined) return cached;

  const dayStart = day * DAY_MS;
  const dayEnd = dayStart + DAY_MS;
  const transitions: Array<{ at: number; offsetMs: number }> = [];
  const firstOffset = zoneOffsetMs(timeZone, dayStart);
  let sliceStart = dayStart;
  let sliceOffset = firstOffset;
  while (sliceStart < dayEnd) {
    // The last probe is the day's last whole second; a change at dayEnd belongs to the next day.
    const sliceEnd = Math.min(sliceStart + PROBE_SLICE_MS, dayEnd - 1000);
    if (sliceEnd <= sliceStart) break;
    const endOffset = zoneOffsetMs(timeZone, sliceEnd);
    findTransitions(timeZone, sliceStart, sliceOffset, sliceEnd, endOffset, transitions);
    sliceStart = sliceEnd;
    sliceOffset = endOffset;
  }

  const pieces: OffsetPiece[] = [];
  let start = dayStart;
  let offsetMs = firstOffset;
  for (const transition of transitions) {
    pieces.push({ start, end: transition.at, offsetMs });
    start = transition.at;
    offsetMs = transition.offsetMs;
  }
  pieces.push({ start, end: dayEnd, offsetMs });
  cache.set(day, pieces);
  return pieces;
}

/** Push every offset change in (lo, hi] (whole seconds) onto `out`, in order. */
function findTransitions(
  timeZone: string,
  lo: number,
  loOffset: number,
  hi: number,
  hiOffset: number,
  out: Array<{ at: number; offsetMs: number }>,
): void {
  let from = lo;
  let fromOffset = loOffset;
  while (fromOffset !== hiOffset) {
    // Invariant: offset(a) === fromOffset, offset(b) !== fromOffset.
    let a = from / 1000;
    let b = hi / 1000;
    let bOffset = hiOffset;
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      const midOffset = zoneOffsetMs(timeZone, mid * 1000);
      if (midOffset === fromOffset) {
        a = mid;
      } else {
        b = mid;
        bOffset = midOffset;
      }
    }
    out.push({ at: b * 1000, offsetMs: bOffset });
    from = b * 1000;
    fromOffset = bOffset;
  }
}
