import { instantFromMs } from '../social-event.helpers';

const EPOCH_SECONDS = /^(\d{1,12})(?:\.(\d{1,9}))?$/;
const EPOCH_MICROSECONDS = /^\d{1,18}$/;
const ISO_WITH_OFFSET =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Unix seconds with an optional fraction, as AMI writes `Timestamp` (`1366720340.303267`, with
 * `timestampevents = yes`) and queue_log its first field. Milliseconds are cut, not rounded, so a
 * string and a number of the same instant agree.
 */
export function instantFromEpochSeconds(value: string): string | undefined {
  const match = EPOCH_SECONDS.exec(value);
  if (match === null) return undefined;
  const millis = (match[2] ?? '').padEnd(3, '0').slice(0, 3);
  return instantFromMs(Number(match[1]) * 1000 + Number(millis));
}

/** Unix microseconds, as FreeSWITCH writes `Event-Date-Timestamp` (`1356721719352143`). */
export function instantFromEpochMicroseconds(value: string): string | undefined {
  if (!EPOCH_MICROSECONDS.test(value)) return undefined;
  return instantFromMs(Math.floor(Number(value) / 1000));
}

/**
 * An ISO 8601 instant with its UTC offset (a queue_log row exported from a database). A local time
 * without an offset is refused: which zone the PBX wrote it in is not in the event.
 */
export function instantFromIsoWithOffset(value: string): string | undefined {
  const match = ISO_WITH_OFFSET.exec(value);
  if (match === null) return undefined;
  const zone = match[3].toUpperCase();
  const offset = zone === 'Z' ? zone : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${match[1]}T${match[2]}${offset}`);
  return Number.isNaN(ms) ? undefined : instantFromMs(ms);
}

/** An event's own time: absent (the receipt time stands in), read, or present but unreadable. */
export type EventTime = { ok: true; occurredAt?: string } | { ok: false; reason: string };

export function eventTime(
  field: string,
  value: string | undefined,
  parse: (value: string) => string | undefined,
): EventTime {
  if (value === undefined) return { ok: true };
  const occurredAt = parse(value);
  return occurredAt === undefined
    ? { ok: false, reason: `unreadable ${field} ${JSON.stringify(value)}` }
    : { ok: true, occurredAt };
}
