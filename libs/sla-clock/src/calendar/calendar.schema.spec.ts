import { CalendarError, parseCalendar } from './calendar.parser';
import { ALWAYS_OPEN, calendarSchema } from './calendar.schema';
import type { CalendarInput } from './calendar.schema';

const BERLIN: CalendarInput = {
  id: 'support-berlin',
  timeZone: 'Europe/Berlin',
  weekly: {
    mon: [
      ['09:00', '12:30'],
      ['13:30', '18:00'],
    ],
    tue: [['09:00', '18:00']],
    sat: [],
    sun: [],
  },
  holidays: [{ date: '2026-12-25' }, { date: '2026-12-24', open: [['09:00', '12:00']] }],
};

/** The problems parseCalendar reports, each `path: message`. */
function problemsOf(input: unknown): string[] {
  try {
    parseCalendar(input, 'test');
  } catch (error) {
    expect(error).toBeInstanceOf(CalendarError);
    return (error as CalendarError).problems;
  }
  throw new Error('expected the calendar to be rejected');
}

const withWeekly = (weekly: unknown) => ({ id: 'c', timeZone: 'UTC', weekly });

describe('calendar schema', () => {
  it('accepts the documented calendar and fills in closed days and closed holidays', () => {
    const calendar = parseCalendar(BERLIN, 'test');
    expect(calendar).toEqual({
      id: 'support-berlin',
      alwaysOpen: false,
      timeZone: 'Europe/Berlin',
      weekly: {
        mon: [
          ['09:00', '12:30'],
          ['13:30', '18:00'],
        ],
        tue: [['09:00', '18:00']],
        wed: [],
        thu: [],
        fri: [],
        sat: [],
        sun: [],
      },
      holidays: [
        { date: '2026-12-25', open: [] },
        { date: '2026-12-24', open: [['09:00', '12:00']] },
      ],
    });
  });

  it('accepts the 24/7 form, with or without a zone', () => {
    expect(parseCalendar({ id: 'always', alwaysOpen: true }, 'test')).toEqual(ALWAYS_OPEN);
    expect(
      calendarSchema.parse({ id: 'always-ny', alwaysOpen: true, timeZone: 'America/New_York' }),
    ).toEqual({ id: 'always-ny', alwaysOpen: true, timeZone: 'America/New_York' });
  });

  it('accepts 00:00-24:00, touching intervals and leap days', () => {
    expect(() =>
      parseCalendar(
        {
          ...withWeekly({
            sun: [['00:00', '24:00']],
            mon: [
              ['08:00', '12:00'],
              ['12:00', '13:00'],
            ],
          }),
          holidays: [{ date: '2028-02-29', open: [] }],
        },
        'test',
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'a zone that does not exist',
      { ...BERLIN, timeZone: 'Mars/Olympus_Mons' },
      'timeZone: must be an IANA time zone',
    ],
    [
      'an hour past 24',
      withWeekly({ mon: [['09:00', '25:00']] }),
      'weekly.mon.0.1: must be a time "HH:MM"',
    ],
    [
      'a time without two-digit hours',
      withWeekly({ wed: [['9:00', '17:00']] }),
      'weekly.wed.0.0: must be a time "HH:MM"',
    ],
    [
      'a minute past 24:00',
      withWeekly({ mon: [['09:00', '24:01']] }),
      'weekly.mon.0.1: must be a time',
    ],
    [
      'an end before the start',
      withWeekly({ tue: [['18:00', '09:00']] }),
      'weekly.tue.0: the start must be before the end',
    ],
    [
      'an empty interval',
      withWeekly({ tue: [['09:00', '09:00']] }),
      'weekly.tue.0: the start must be before the end',
    ],
    [
      'overlapping intervals',
      withWeekly({
        mon: [
          ['09:00', '12:30'],
          ['12:00', '18:00'],
        ],
      }),
      'weekly.mon.1: starts at 12:00, before the previous interval ends (12:30)',
    ],
    [
      'unsorted intervals',
      withWeekly({
        fri: [
          ['13:00', '18:00'],
          ['09:00', '12:00'],
        ],
      }),
      'weekly.fri.1: starts at 09:00, before the previous interval ends (18:00)',
    ],
    [
      'an unknown week day',
      withWeekly({ monday: [['09:00', '18:00']] }),
      'weekly: Unrecognized key: "monday"',
    ],
    [
      'a duplicate holiday',
      { ...BERLIN, holidays: [{ date: '2026-12-25' }, { date: '2026-12-25', open: [] }] },
      'holidays.1.date: duplicate holiday 2026-12-25',
    ],
    [
      'a date that does not exist',
      { ...BERLIN, holidays: [{ date: '2026-02-30' }] },
      'holidays.0.date: must be a date "YYYY-MM-DD"',
    ],
    [
      'bad holiday hours',
      { ...BERLIN, holidays: [{ date: '2026-12-24', open: [['12:00', '09:00']] }] },
      'holidays.0.open.0: the start must be before the end',
    ],
    [
      'a week with no open time',
      withWeekly({ sat: [], sun: [] }),
      'weekly: no open time in the whole week, so deadlines would never come',
    ],
    [
      'a missing zone',
      { id: 'c', weekly: { mon: [['09:00', '18:00']] } },
      'timeZone: required unless alwaysOpen',
    ],
    ['missing hours', { id: 'c', timeZone: 'UTC' }, 'weekly: required unless alwaysOpen'],
    [
      'hours on a 24/7 calendar',
      { id: 'c', alwaysOpen: true, weekly: { mon: [['09:00', '18:00']] } },
      'weekly: an alwaysOpen calendar has no hours or holidays',
    ],
    ['a bad id', { ...BERLIN, id: 'Support Berlin' }, 'id: lower-case letters, digits, . _ -'],
  ])('rejects %s, naming the path', (_what, input, problem) => {
    expect(problemsOf(input).join('\n')).toContain(problem);
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      id: 'c',
      timeZone: 'Nowhere/Special',
      weekly: {
        mon: [
          ['09:00', '12:00'],
          ['11:00', '25:00'],
        ],
      },
    });
    expect(problems).toEqual([
      'timeZone: must be an IANA time zone such as "Europe/Berlin"',
      'weekly.mon.1.1: must be a time "HH:MM" from "00:00" to "24:00"',
      'weekly.mon.1: starts at 11:00, before the previous interval ends (12:00): list intervals sorted and without overlap',
    ]);
  });
});
