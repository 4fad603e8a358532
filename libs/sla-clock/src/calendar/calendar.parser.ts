import { calendarSchema } from './calendar.schema';
import type { Calendar } from './calendar.schema';

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
    throw new CalendarError(
      origin,
      result.error.issues.map((issue) => {
        const path = issue.path.map(String).join('.');
        return `${path === '' ? '(root)' : path}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}
