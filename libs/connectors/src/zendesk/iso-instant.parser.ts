const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Milliseconds since the epoch of an ISO 8601 instant with a zone, as Zendesk writes them
 * (`2021-07-25T10:00:00Z`, `2025-02-11T14:32:05.254571515Z`: nanoseconds are cut to milliseconds).
 * A date without a time or zone, or an impossible one (Feb 30, 24:00), is undefined rather than
 * rolled over the way `Date.parse` would.
 */
export function parseIsoInstant(value: string): number | undefined {
  const match = ISO_INSTANT.exec(value.trim());
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction, zone, zoneHour, zoneMinute] = match;
  const daysInMonth = new Date(Date.UTC(Number(year), Number(month), 0)).getUTCDate();
  if (
    Number(month) < 1 ||
    Number(month) > 12 ||
    Number(day) < 1 ||
    Number(day) > daysInMonth ||
    Number(hour) > 23 ||
    Number(minute) > 59 ||
    Number(second) > 59 ||
    (zone !== 'Z' && (Number(zoneHour) > 23 || Number(zoneMinute) > 59))
  ) {
    return undefined;
  }
  const millis = (fraction ?? '').padEnd(3, '0').slice(0, 3);
  const ms = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}${zone}`);
  return Number.isFinite(ms) ? ms : undefined;
}
