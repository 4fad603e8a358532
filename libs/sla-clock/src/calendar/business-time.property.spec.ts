import fc from 'fast-check';
import {
  addBusinessMs,
  BusinessTimeError,
  businessMsBetween,
  MAX_LOOKAHEAD_DAYS,
  openIntervals,
} from './business-time';
import { isOpenAt, oracleAddBusinessMs, oracleBusinessMsBetween } from './business-time.oracle';
import { parseCalendar } from './calendar.parser';
import { WEEKDAYS } from './calendar.schema';
import type { Calendar, CalendarInput } from './calendar.schema';

/**
 * The fast business-time functions against the brute-force oracle on random calendars.
 * SLA_CLOCK_PROPERTY_RUNS sets the total number of generated cases (npm run test:property:long
 * runs 100,000); SLA_CLOCK_PROPERTY_SEED replays a failure together with the path fast-check prints.
 */
const RUNS = Number(process.env.SLA_CLOCK_PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.SLA_CLOCK_PROPERTY_SEED ?? 20261124);
fc.configureGlobal({ seed: SEED });
/** Per property; the oracle ones step minute by minute (~4 µs a minute), so they get fewer. */
const SHARE = { between: 0.08, add: 0.07, intervals: 0.2, additive: 0.3, roundTrip: 0.35 };
const runs = (share: number) => Math.ceil(RUNS * share);
const TIMEOUT_MS = Math.max(60_000, RUNS * 30);

const MINUTE = 60_000;
const DAY = 86_400_000;
const FROM_2026 = Date.UTC(2026, 0, 1);
const TO_2028 = Date.UTC(2028, 0, 1);

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/St_Johns', // -03:30 with DST
  'America/Santiago', // southern DST, changes at midnight
  'America/Havana', // spring forward at midnight
  'Australia/Sydney',
  'Australia/Lord_Howe', // a 30-minute DST shift
  'Pacific/Auckland',
  'Pacific/Chatham', // +12:45 / +13:45
  'Asia/Kolkata', // +05:30
  'Asia/Kathmandu', // +05:45
  'Africa/Casablanca', // an hour back during Ramadan
  'Antarctica/Troll', // a 2-hour DST shift
  'Pacific/Apia',
] as const;

/** Approximate offset changes (within 6 h) per zone in 2026-2027, to start cases near them. */
const TRANSITIONS = new Map<string, number[]>(
  ZONES.map((zone) => {
    const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    const offset = (t: number) =>
      format.formatToParts(t).find((p) => p.type === 'timeZoneName')?.value;
    const found: number[] = [];
    for (let t = FROM_2026; t < TO_2028; t += DAY / 4) {
      if (offset(t) !== offset(t + DAY / 4)) found.push(t);
    }
    return [zone, found];
  }),
);

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** 0-3 intervals of one day on a 15- or 1-minute grid, often touching 00:00 or 24:00. */
const dayHoursArb: fc.Arbitrary<[string, string][]> = fc
  .record({
    step: fc.constantFrom(15, 1),
    count: fc.integer({ min: 0, max: 3 }),
    touching: fc.boolean(),
  })
  .chain(({ step, count, touching }) => {
    const boundary = fc.oneof(
      { weight: 1, arbitrary: fc.constantFrom(0, 1440) },
      { weight: 4, arbitrary: fc.integer({ min: 0, max: 1440 / step }).map((i) => i * step) },
    );
    // Touching intervals share their boundaries: [p0, p1), [p1, p2), …
    const points = count === 0 ? 0 : touching ? count + 1 : 2 * count;
    return fc.uniqueArray(boundary, { minLength: points, maxLength: points }).map((raw) => {
      const p = [...raw].sort((a, b) => a - b);
      const pairs: [string, string][] = [];
      for (let i = 0; i < count; i++) {
        const [start, end] = touching ? [p[i], p[i + 1]] : [p[2 * i], p[2 * i + 1]];
        pairs.push([hhmm(start), hhmm(end)]);
      }
      return pairs;
    });
  });

const startArb = (zone: string): fc.Arbitrary<number> => {
  const uniform = fc
    .integer({ min: FROM_2026 / MINUTE, max: TO_2028 / MINUTE - 1 })
    .map((minute) => minute * MINUTE);
  const transitions = TRANSITIONS.get(zone) ?? [];
  if (transitions.length === 0) return uniform;
  // Mostly a little before a transition, so that the ranges below run across it.
  const near = fc
    .tuple(fc.constantFrom(...transitions), fc.integer({ min: -4 * 1440, max: 1440 }))
    .map(([transition, minutes]) => transition + minutes * MINUTE);
  return fc.oneof({ weight: 1, arbitrary: uniform }, { weight: 2, arbitrary: near });
};

interface Case {
  calendar: Calendar;
  start: number;
}

const caseArb: fc.Arbitrary<Case> = fc.constantFrom(...ZONES).chain((zone) =>
  fc
    .record({
      start: startArb(zone),
      alwaysOpen: fc.integer({ min: 0, max: 11 }).map((n) => n === 0),
      week: fc.array(dayHoursArb, { minLength: 7, maxLength: 7 }),
      holidays: fc.array(
        fc.record({
          dayOffset: fc.integer({ min: -2, max: 9 }),
          open: fc.option(dayHoursArb, { nil: undefined }),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ start, alwaysOpen, week, holidays }): Case => {
      if (alwaysOpen) return { calendar: parseCalendar({ id: 'p', alwaysOpen }, 'arb'), start };
      if (week.every((hours) => hours.length === 0)) week[0] = [['09:00', '17:00']];
      const dates = new Map<string, NonNullable<CalendarInput['holidays']>[number]>();
      for (const { dayOffset, open } of holidays) {
        const date = new Date(start + dayOffset * DAY).toISOString().slice(0, 10);
        dates.set(date, open === undefined ? { date } : { date, open });
      }
      const input: CalendarInput = {
        id: 'p',
        timeZone: zone,
        weekly: Object.fromEntries(WEEKDAYS.map((day, i) => [day, week[i]])),
        holidays: [...dates.values()],
      };
      return { calendar: parseCalendar(input, 'arb'), start };
    }),
);

/** Range lengths in minutes: mostly a day or less, up to 7 days. */
const rangeMinutesArb = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 1440 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 * 1440 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 * 1440 }) },
);
/** A millisecond offset, so the exact functions are not only tried on whole minutes. */
const msArb = fc.integer({ min: 0, max: 7 * DAY });

let cases = 0;

afterAll(() => {
  console.warn(`sla-clock property cases: ${cases} (seed ${SEED})`);
});

describe('business time against the oracle', () => {
  it(
    'businessMsBetween equals the minute-by-minute count',
    () => {
      fc.assert(
        fc.property(caseArb, rangeMinutesArb, ({ calendar, start }, minutes) => {
          cases++;
          const end = start + minutes * MINUTE;
          expect(businessMsBetween(calendar, start, end)).toBe(
            oracleBusinessMsBetween(calendar, start, end),
          );
        }),
        { numRuns: runs(SHARE.between) },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'addBusinessMs equals the minute-by-minute search',
    () => {
      fc.assert(
        fc.property(
          caseArb,
          rangeMinutesArb,
          fc.integer({ min: 0, max: 1000 }),
          ({ calendar, start }, minutes, permille) => {
            cases++;
            // A duration the window [start, start + minutes) can provide, so the oracle finds it.
            const available = businessMsBetween(calendar, start, start + minutes * MINUTE);
            const duration = Math.floor((available * permille) / 1000 / MINUTE) * MINUTE;
            const expected = oracleAddBusinessMs(calendar, start, duration, minutes * MINUTE);
            expect(expected).toBeDefined();
            expect(addBusinessMs(calendar, start, duration)).toBe(expected);
          },
        ),
        { numRuns: runs(SHARE.add) },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'openIntervals are sorted, merged and start and end exactly where isOpenAt changes',
    () => {
      fc.assert(
        fc.property(
          caseArb,
          msArb,
          msArb,
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
          ({ calendar, start }, a, b, probes) => {
            cases++;
            const from = start + Math.min(a, b);
            const to = start + Math.max(a, b);
            const list = openIntervals(calendar, from, to);
            let total = 0;
            let previousEnd = -Infinity;
            for (const [s, e] of list) {
              expect(s).toBeGreaterThan(previousEnd); // sorted, and touching ones merged
              expect(s).toBeGreaterThanOrEqual(from);
              expect(e).toBeGreaterThan(s);
              expect(e).toBeLessThanOrEqual(to);
              expect(isOpenAt(calendar, s)).toBe(true);
              expect(isOpenAt(calendar, e - 1)).toBe(true);
              if (s > from) expect(isOpenAt(calendar, s - 1)).toBe(false);
              if (e < to) expect(isOpenAt(calendar, e)).toBe(false);
              total += e - s;
              previousEnd = e;
            }
            expect(businessMsBetween(calendar, from, to)).toBe(total);
            for (const probe of probes) {
              const t = Math.min(to - 1, from + Math.floor(probe * (to - from)));
              if (t < from) continue;
              const inside = list.some(([s, e]) => s <= t && t < e);
              expect(isOpenAt(calendar, t)).toBe(inside);
            }
          },
        ),
        { numRuns: runs(SHARE.intervals) },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'businessMsBetween is additive and monotonic',
    () => {
      fc.assert(
        fc.property(caseArb, msArb, msArb, msArb, ({ calendar, start }, x, y, z) => {
          cases++;
          const [a, b, c] = [x, y, z].sort((p, q) => p - q).map((offset) => start + offset);
          const ab = businessMsBetween(calendar, a, b);
          const bc = businessMsBetween(calendar, b, c);
          const ac = businessMsBetween(calendar, a, c);
          expect(ab + bc).toBe(ac);
          expect(ab).toBeGreaterThanOrEqual(0);
          expect(ac).toBeLessThanOrEqual(c - a);
          expect(businessMsBetween(calendar, c, a)).toBe(0);
        }),
        { numRuns: runs(SHARE.additive) },
      );
    },
    TIMEOUT_MS,
  );

  it(
    'addBusinessMs is the first instant that accumulates the duration',
    () => {
      fc.assert(
        fc.property(
          caseArb,
          fc.integer({ min: 0, max: 59_999 }),
          fc.integer({ min: 0, max: 3 * DAY }),
          msArb,
          ({ calendar, start: minute }, ms, duration, later) => {
            cases++;
            const start = minute + ms;
            let due: number;
            try {
              due = addBusinessMs(calendar, start, duration);
            } catch (error) {
              // Only a calendar that truly lacks the time within the lookahead may give up.
              expect(error).toBeInstanceOf(BusinessTimeError);
              const limit = start + MAX_LOOKAHEAD_DAYS * DAY;
              expect(businessMsBetween(calendar, start, limit)).toBeLessThan(duration);
              return;
            }
            expect(due).toBeLessThanOrEqual(start + MAX_LOOKAHEAD_DAYS * DAY);
            expect(due).toBeGreaterThanOrEqual(start);
            expect(businessMsBetween(calendar, start, due)).toBe(duration);
            // Minimal: the millisecond before the deadline was open time, so nothing earlier has enough.
            if (duration === 0) expect(due).toBe(start);
            else expect(isOpenAt(calendar, due - 1)).toBe(true);

            const t = start + later;
            const accumulated = businessMsBetween(calendar, start, t);
            const first = addBusinessMs(calendar, start, accumulated);
            expect(first).toBeLessThanOrEqual(t);
            expect(businessMsBetween(calendar, start, first)).toBe(accumulated);
            if (accumulated > 0) expect(isOpenAt(calendar, first - 1)).toBe(true);
            // After `first` up to t there is no open time left.
            expect(businessMsBetween(calendar, first, t)).toBe(0);
          },
        ),
        { numRuns: runs(SHARE.roundTrip) },
      );
    },
    TIMEOUT_MS,
  );
});
