import { businessMsBetween } from '@replywatch/sla-clock';
import type { Calendar } from '@replywatch/sla-clock';
import type { Rotation } from './escalation-document.schema';

/** Whose turn it is: turns of `every` in order from `start`, wrapping around (also before start). */
export function onCallAt(rotation: Rotation, nowMs: number): string {
  const turn = Math.floor((nowMs - Date.parse(rotation.start)) / rotation.every);
  const count = rotation.people.length;
  return rotation.people[((turn % count) + count) % count];
}

/** Inside the calendar's open hours at this instant (open intervals include start, exclude end). */
export function isOnShift(calendar: Calendar | undefined, nowMs: number): boolean {
  if (calendar === undefined) return true;
  return businessMsBetween(calendar, nowMs, nowMs + 1) > 0;
}
