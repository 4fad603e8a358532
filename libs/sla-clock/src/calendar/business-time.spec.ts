import {
  addBusinessMs,
  BusinessTimeError,
  businessMsBetween,
  openIntervals,
} from './business-time';
import { isOpenAt, oracleAddBusinessMs, oracleBusinessMsBetween } from './business-time.oracle';
import { parseCalendar } from './calendar.parser';
import { ALWAYS_OPEN } from './calendar.schema';
import type { CalendarInput } from './calendar.schema';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

const calendar = (
  timeZone: string,
  weekly: NonNullable<CalendarInput['weekly']>,
  holidays: CalendarInput['holidays'] = [],
) => parseCalendar({ id: 'test', timeZone, weekly, holidays }, 'test');

const NINE_TO_SIX: [string, string][] = [['09:00', '18:00']];
const weekdays = (hours: [string, string][]) => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
});
const everyDay = (hours: [string, string][]) => ({ ...weekdays(hours), sat: hours, sun: hours });

/** Instants written with their offset, shown back in UTC so a failure reads as two timestamps. */
const at = (text: string) => Date.parse(text);
const iso = (ms: number) => new Date(ms).toISOString();
const intervals = (list: Array<[number, number]>) => list.map(([a, b]) => `${iso(a)}/${iso(b)}`);

describe('business time: office hours', () => {
  const berlin = calendar('Europe/Berlin', weekdays(NINE_TO_SIX));

  it('Friday 17:30 plus 1h of business time is Monday 09:30', () => {
    expect(iso(addBusinessMs(berlin, at('2026-06-05T17:30+02:00'), HOUR))).toBe(
      iso(at('2026-06-08T09:30+02:00')),
    );
  });

  it('a contact opened at 02:00 on Saturday is due on Monday', () => {
    expect(iso(addBusinessMs(berlin, at('2026-06-06T02:00+02:00'), 4 * HOUR))).toBe(
      iso(at('2026-06-08T13:00+02:00')),
    );
  });

  it('a deadline that lands on closing time is closing time, not the next opening', () => {
    expect(iso(addBusinessMs(berlin, at('2026-06-08T17:00+02:00'), HOUR))).toBe(
      iso(at('2026-06-08T18:00+02:00')),
    );
  });

  it('counts open time only, with 0 for empty or reversed ranges', () => {
    const monday = at('2026-06-08T00:00+02:00');
    expect(businessMsBetween(berlin, monday, monday + 7 * DAY)).toBe(5 * 9 * HOUR);
    expect(businessMsBetween(berlin, monday + 7 * DAY, monday)).toBe(0);
    expect(openIntervals(berlin, monday, monday)).toEqual([]);
    expect(addBusinessMs(berlin, at('2026-06-06T02:00+02:00'), 0)).toBe(
      at('2026-06-06T02:00+02:00'),
    );
  });

  it('skips a lunch break', () => {
    const lunch = calendar('Europe/Berlin', {
      mon: [
        ['09:00', '12:30'],
        ['13:30', '18:00'],
      ],
    });
    expect(iso(addBusinessMs(lunch, at('2026-06-08T12:00+02:00'), HOUR))).toBe(
      iso(at('2026-06-08T14:00+02:00')),
    );
    expect(
      intervals(openIntervals(lunch, at('2026-06-08T10:00+02:00'), at('2026-06-08T15:00+02:00'))),
    ).toEqual([
      `${iso(at('2026-06-08T10:00+02:00'))}/${iso(at('2026-06-08T12:30+02:00'))}`,
      `${iso(at('2026-06-08T13:30+02:00'))}/${iso(at('2026-06-08T15:00+02:00'))}`,
    ]);
  });

  it('closes on a holiday and keeps the shorter hours of a partial one', () => {
    const christmas = calendar('Europe/Berlin', weekdays(NINE_TO_SIX), [
      { date: '2026-12-25' },
      { date: '2026-12-24', open: [['09:00', '12:00']] },
    ]);
    // Wednesday 23rd 17:00: one hour that day, then 09:00-10:00 on the 24th.
    expect(iso(addBusinessMs(christmas, at('2026-12-23T17:00+01:00'), 2 * HOUR))).toBe(
      iso(at('2026-12-24T10:00+01:00')),
    );
    // Thursday 24th 11:00: one hour until 12:00, Friday 25th closed, then the weekend.
    expect(iso(addBusinessMs(christmas, at('2026-12-24T11:00+01:00'), 2 * HOUR))).toBe(
      iso(at('2026-12-28T10:00+01:00')),
    );
    expect(
      businessMsBetween(christmas, at('2026-12-24T00:00+01:00'), at('2026-12-26T00:00+01:00')),
    ).toBe(3 * HOUR);
  });

  it('crosses a two-week closure quickly', () => {
    const dates = Array.from({ length: 14 }, (_, i) => ({
      date: new Date(at('2026-12-21T00:00Z') + i * DAY).toISOString().slice(0, 10),
    }));
    const closed = calendar('Europe/Berlin', weekdays(NINE_TO_SIX), dates);
    const started = performance.now();
    expect(iso(addBusinessMs(closed, at('2026-12-18T17:00+01:00'), 2 * HOUR))).toBe(
      iso(at('2027-01-04T10:00+01:00')),
    );
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('gives up with a clear error when the calendar cannot provide the time within 5 years', () => {
    const oneMinuteAWeek = calendar('UTC', { mon: [['09:00', '09:01']] });
    const started = performance.now();
    expect(() => addBusinessMs(oneMinuteAWeek, at('2026-01-01T00:00Z'), 300 * MINUTE)).toThrow(
      BusinessTimeError,
    );
    expect(() => addBusinessMs(oneMinuteAWeek, at('2026-01-01T00:00Z'), 300 * MINUTE)).toThrow(
      /calendar "test" has only 15660000 of the 18000000 ms of business time needed within 1830 days/,
    );
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses a negative duration and instants that are not numbers', () => {
    expect(() => addBusinessMs(berlin, 0, -1)).toThrow(RangeError);
    expect(() => businessMsBetween(berlin, Number.NaN, 0)).toThrow(RangeError);
  });

  it('is plain addition on a 24/7 calendar', () => {
    const start = at('2026-03-29T00:30+01:00');
    expect(addBusinessMs(ALWAYS_OPEN, start, 5 * HOUR + 7)).toBe(start + 5 * HOUR + 7);
    expect(businessMsBetween(ALWAYS_OPEN, start, start + 3 * DAY)).toBe(3 * DAY);
    expect(openIntervals(ALWAYS_OPEN, start, start + DAY)).toEqual([[start, start + DAY]]);
  });

  it('is open in Kolkata at +05:30', () => {
    const kolkata = calendar('Asia/Kolkata', weekdays(NINE_TO_SIX));
    expect(iso(addBusinessMs(kolkata, at('2026-06-08T17:00+05:30'), 2 * HOUR))).toBe(
      iso(at('2026-06-09T10:00+05:30')),
    );
  });
});

describe('business time: DST', () => {
  // Europe/Berlin, Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z.
  it('spring forward: hours across the gap lose the skipped hour', () => {
    const sunday = calendar('Europe/Berlin', { sun: [['01:00', '04:00']] });
    expect(
      intervals(openIntervals(sunday, at('2026-03-28T12:00Z'), at('2026-03-29T12:00Z'))),
    ).toEqual(['2026-03-29T00:00:00.000Z/2026-03-29T02:00:00.000Z']);
    expect(iso(addBusinessMs(sunday, at('2026-03-29T01:30+01:00'), HOUR))).toBe(
      iso(at('2026-03-29T03:30+02:00')),
    );
  });

  it('spring forward: hours starting in the gap start at the transition; hours inside it vanish', () => {
    const starting = calendar('Europe/Berlin', { sun: [['02:30', '03:30']] });
    expect(
      intervals(openIntervals(starting, at('2026-03-28T12:00Z'), at('2026-03-29T12:00Z'))),
    ).toEqual(['2026-03-29T01:00:00.000Z/2026-03-29T01:30:00.000Z']);
    const inside = calendar('Europe/Berlin', {
      sun: [
        ['02:15', '02:45'],
        ['10:00', '11:00'],
      ],
    });
    expect(
      intervals(openIntervals(inside, at('2026-03-28T12:00Z'), at('2026-03-29T12:00Z'))),
    ).toEqual(['2026-03-29T08:00:00.000Z/2026-03-29T09:00:00.000Z']);
  });

  // Europe/Berlin, Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z.
  it('fall back: the repeated hour counts twice', () => {
    const sunday = calendar('Europe/Berlin', { sun: [['01:00', '04:00']] });
    expect(businessMsBetween(sunday, at('2026-10-24T12:00Z'), at('2026-10-25T12:00Z'))).toBe(
      4 * HOUR,
    );
    expect(iso(addBusinessMs(sunday, at('2026-10-25T01:00+02:00'), 3.5 * HOUR))).toBe(
      iso(at('2026-10-25T03:30+01:00')),
    );
    const late = calendar('Europe/Berlin', { sun: [['02:30', '03:30']] });
    expect(
      intervals(openIntervals(late, at('2026-10-24T12:00Z'), at('2026-10-25T12:00Z'))),
    ).toEqual([
      '2026-10-25T00:30:00.000Z/2026-10-25T01:00:00.000Z',
      '2026-10-25T01:30:00.000Z/2026-10-25T02:30:00.000Z',
    ]);
  });

  it('America/New_York: a whole local day lasts 23h in March and 25h in November', () => {
    const allDay = calendar('America/New_York', everyDay([['00:00', '24:00']]));
    expect(
      businessMsBetween(allDay, at('2026-03-08T00:00-05:00'), at('2026-03-09T00:00-04:00')),
    ).toBe(23 * HOUR);
    expect(
      businessMsBetween(allDay, at('2026-11-01T00:00-04:00'), at('2026-11-02T00:00-05:00')),
    ).toBe(25 * HOUR);
    // 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z; 01:30-03:30 is open 01:30-02:00 EDT, then 01:30-03:30 EST.
    const early = calendar('America/New_York', { sun: [['01:30', '03:30']] });
    expect(
      businessMsBetween(early, at('2026-11-01T00:00-04:00'), at('2026-11-02T00:00-05:00')),
    ).toBe(2.5 * HOUR);
  });

  it('Australia/Lord_Howe shifts by 30 minutes', () => {
    const sunday = calendar('Australia/Lord_Howe', { sun: [['01:00', '03:00']] });
    // 2026-10-04: 02:00 (+10:30) becomes 02:30 (+11:00).
    expect(
      intervals(openIntervals(sunday, at('2026-10-03T00:00Z'), at('2026-10-04T00:00Z'))),
    ).toEqual(['2026-10-03T14:30:00.000Z/2026-10-03T16:00:00.000Z']);
    // 2026-04-05: 02:00 (+11:00) becomes 01:30 (+10:30); 01:30-02:00 happens twice.
    expect(
      intervals(openIntervals(sunday, at('2026-04-04T00:00Z'), at('2026-04-05T00:00Z'))),
    ).toEqual(['2026-04-04T14:00:00.000Z/2026-04-04T16:30:00.000Z']);
  });

  it('America/Santiago changes at midnight: 24:00 then 00:00 stays continuous', () => {
    const weekend = calendar('America/Santiago', {
      sat: [['20:00', '24:00']],
      sun: [['00:00', '03:00']],
    });
    // 2026-09-06: Saturday 24:00 (-04:00) becomes Sunday 01:00 (-03:00), so Sunday 00:00-01:00 never happens.
    expect(
      intervals(openIntervals(weekend, at('2026-09-05T12:00Z'), at('2026-09-06T12:00Z'))),
    ).toEqual(['2026-09-06T00:00:00.000Z/2026-09-06T06:00:00.000Z']);
    // 2026-04-05: Sunday 00:00 (-03:00) becomes Saturday 23:00 (-04:00): Saturday's last hour twice.
    expect(
      intervals(openIntervals(weekend, at('2026-04-04T12:00Z'), at('2026-04-05T12:00Z'))),
    ).toEqual(['2026-04-04T23:00:00.000Z/2026-04-05T07:00:00.000Z']);
  });

  it('Pacific/Apia skipped 2011-12-30 entirely', () => {
    const apia = calendar('Pacific/Apia', everyDay([['09:00', '17:00']]), [{ date: '2011-12-30' }]);
    expect(iso(addBusinessMs(apia, at('2011-12-29T16:00-10:00'), 2 * HOUR))).toBe(
      iso(at('2011-12-31T10:00+14:00')),
    );
    expect(
      businessMsBetween(apia, at('2011-12-29T00:00-10:00'), at('2012-01-01T00:00+14:00')),
    ).toBe(16 * HOUR);
  });
});

describe('business time: midnight and week wrap', () => {
  it('an interval ending 24:00 and one starting 00:00 the next day are one stretch', () => {
    const night = calendar('Europe/Berlin', {
      fri: [['18:00', '24:00']],
      sat: [['00:00', '06:00']],
      sun: [['20:00', '24:00']],
      mon: [['00:00', '08:00']],
    });
    expect(
      intervals(openIntervals(night, at('2026-06-05T12:00+02:00'), at('2026-06-08T12:00+02:00'))),
    ).toEqual([
      `${iso(at('2026-06-05T18:00+02:00'))}/${iso(at('2026-06-06T06:00+02:00'))}`,
      `${iso(at('2026-06-07T20:00+02:00'))}/${iso(at('2026-06-08T08:00+02:00'))}`,
    ]);
    expect(iso(addBusinessMs(night, at('2026-06-05T23:00+02:00'), 2 * HOUR))).toBe(
      iso(at('2026-06-06T01:00+02:00')),
    );
  });
});

describe('business time: round trips and the oracle', () => {
  const berlin = calendar(
    'Europe/Berlin',
    {
      ...weekdays([
        ['09:00', '12:30'],
        ['13:30', '18:00'],
      ]),
      sat: [['10:00', '14:00']],
    },
    [{ date: '2026-10-26' }, { date: '2026-10-27', open: [['09:00', '11:00']] }],
  );

  it('businessMsBetween(start, addBusinessMs(start, d)) === d', () => {
    for (
      let start = at('2026-10-22T00:00Z');
      start < at('2026-10-30T00:00Z');
      start += 97 * MINUTE
    ) {
      for (const duration of [1, MINUTE, HOUR, 8 * HOUR + 1234, 3 * DAY]) {
        const due = addBusinessMs(berlin, start, duration);
        expect(businessMsBetween(berlin, start, due)).toBe(duration);
        expect(isOpenAt(berlin, due - 1)).toBe(true);
      }
    }
  });

  it('agrees with the brute-force oracle over the fall-back week', () => {
    const start = at('2026-10-23T10:17Z');
    expect(businessMsBetween(berlin, start, start + 5 * DAY)).toBe(
      oracleBusinessMsBetween(berlin, start, start + 5 * DAY),
    );
    expect(addBusinessMs(berlin, start, 20 * HOUR)).toBe(
      oracleAddBusinessMs(berlin, start, 20 * HOUR),
    );
  });
});
