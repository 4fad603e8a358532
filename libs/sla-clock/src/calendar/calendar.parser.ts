import { calendarSchema } from './calendar.schema';
import type { Calendar } from './calendar.schema';
import { configProblems } from '../config-problems';

export class CalendarError extends Error {
  readonly code = 'SLA.CALENDAR_INVALID';
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`invalid calendar ${origin}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'CalendarError';
  }
}

/** Validate a parsed calendar; every problem is named with its path, e.g. `weekly.mon.1`. */
export function parseCalendar(input: unknown, origin: string): Calendar {
  const result = calendarSchema.safeParse(input);
  if (!result.success) {
    throw new CalendarError(origin, configProblems(result.error));
  }
  return result.data;
}
