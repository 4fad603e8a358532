import { z } from 'zod';

/** Week days as written in a calendar file, Monday first. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Local opening hours `["09:00", "12:30"]`: open from the start up to, not including, the end. */
export type HoursInterval = readonly [start: string, end: string];

export interface Holiday {
  /** Local date `YYYY-MM-DD` in the calendar's time zone. */
  readonly date: string;
  /** Replaces the weekly hours on that date; empty means closed all day. */
  readonly open: readonly HoursInterval[];
}

/** Open around the clock: business time is plain elapsed time. */
export interface AlwaysOpenCalendar {
  readonly id: string;
  readonly alwaysOpen: true;
  readonly timeZone?: string;
}

export interface ScheduledCalendar {
  readonly id: string;
  readonly alwaysOpen: false;
  /** IANA zone whose wall clock the hours and holiday dates are written in. */
  readonly timeZone: string;
  /** Every day present; a day the file left out is closed (`[]`). */
  readonly weekly: Readonly<Record<Weekday, readonly HoursInterval[]>>;
  readonly holidays: readonly Holiday[];
}

export type Calendar = AlwaysOpenCalendar | ScheduledCalendar;

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Minutes since local midnight of a valid `HH:MM` (`24:00` is 1440). */
export function timeOfDayMinutes(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

export function isTimeZone(zone: string): boolean {
  if (zone === '') return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}

const timeSchema = z
  .string({ error: 'must be a time "HH:MM"' })
  .regex(TIME, { message: 'must be a time "HH:MM" from "00:00" to "24:00"' });

const intervalSchema = z
  .tuple([timeSchema, timeSchema], { error: 'must be a pair ["HH:MM", "HH:MM"]' })
  .refine(([start, end]) => start < end, { message: 'the start must be before the end' });

const dayHoursSchema = z.array(intervalSchema).superRefine((intervals, ctx) => {
  for (let index = 1; index < intervals.length; index++) {
    const [previousStart, previousEnd] = intervals[index - 1];
    const [start] = intervals[index];
    // Only judge the order of intervals that are themselves valid; the others already have an issue.
    if (![previousStart, previousEnd, start].every((time) => TIME.test(time))) continue;
    if (start < previousEnd) {
      ctx.addIssue({
        code: 'custom',
        path: [index],
        message: `starts at ${start}, before the previous interval ends (${previousEnd}): list intervals sorted and without overlap`,
      });
    }
  }
});

const weeklySchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayHoursSchema.optional()])) as Record<
    Weekday,
    z.ZodOptional<typeof dayHoursSchema>
  >,
);

const holidaySchema = z.strictObject({
  date: z.string().refine(isCalendarDate, { message: 'must be a date "YYYY-MM-DD"' }),
  /** Without `open` the date is closed all day. */
  open: dayHoursSchema.optional(),
});

export const calendarSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, { message: 'lower-case letters, digits, . _ -' }),
    timeZone: z
      .string()
      .refine(isTimeZone, { message: 'must be an IANA time zone such as "Europe/Berlin"' })
      .optional(),
    alwaysOpen: z.boolean().optional(),
    weekly: weeklySchema.optional(),
    holidays: z.array(holidaySchema).optional(),
  })
  .superRefine((calendar, ctx) => {
    if (calendar.alwaysOpen === true) {
      for (const key of ['weekly', 'holidays'] as const) {
        if (calendar[key] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'an alwaysOpen calendar has no hours or holidays',
          });
        }
      }
      return;
    }
    if (calendar.timeZone === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timeZone'],
        message: 'required unless alwaysOpen: the zone the hours are written in',
      });
    }
    if (calendar.weekly === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['weekly'],
        message: 'required unless alwaysOpen: the opening hours of each week day',
      });
    } else if (WEEKDAYS.every((day) => (calendar.weekly?.[day] ?? []).length === 0)) {
      ctx.addIssue({
        code: 'custom',
        path: ['weekly'],
        message:
          'no open time in the whole week, so deadlines would never come; use "alwaysOpen": true for 24/7',
      });
    }
    const seen = new Set<string>();
    (calendar.holidays ?? []).forEach((holiday, index) => {
      if (seen.has(holiday.date)) {
        ctx.addIssue({
          code: 'custom',
          path: ['holidays', index, 'date'],
          message: `duplicate holiday ${holiday.date}`,
        });
      }
      seen.add(holiday.date);
    });
  })
  .transform((calendar): Calendar => {
    if (calendar.alwaysOpen === true) {
      return calendar.timeZone === undefined
        ? { id: calendar.id, alwaysOpen: true }
        : { id: calendar.id, alwaysOpen: true, timeZone: calendar.timeZone };
    }
    const hours = (day: Weekday): readonly HoursInterval[] => calendar.weekly?.[day] ?? [];
    const weekly: Record<Weekday, readonly HoursInterval[]> = {
      mon: hours('mon'),
      tue: hours('tue'),
      wed: hours('wed'),
      thu: hours('thu'),
      fri: hours('fri'),
      sat: hours('sat'),
      sun: hours('sun'),
    };
    return {
      id: calendar.id,
      alwaysOpen: false,
      // superRefine has reported a missing zone, so the transform never runs without one.
      timeZone: calendar.timeZone ?? 'UTC',
      weekly,
      holidays: (calendar.holidays ?? []).map((holiday) => ({
        date: holiday.date,
        open: holiday.open ?? [],
      })),
    };
  });

export type CalendarInput = z.input<typeof calendarSchema>;

/** 24/7: business time equals elapsed time. */
export const ALWAYS_OPEN: Calendar = Object.freeze({ id: 'always', alwaysOpen: true });
