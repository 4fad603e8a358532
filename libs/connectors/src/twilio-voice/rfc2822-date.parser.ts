const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const RFC_2822 =
  /^(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(?:([+-])(\d{2})(\d{2})|gmt|ut|utc|z)$/i;

/**
 * An RFC 2822 date (`Fri, 18 Oct 2019 17:00:00 +0000`, as Twilio's `Timestamp`) as an ISO 8601
 * UTC instant, or undefined when it is not one. Parsed by hand: `Date.parse` of this format is
 * implementation-defined.
 */
export function parseRfc2822(value: string): string | undefined {
  const match = RFC_2822.exec(value.trim());
  if (match === null) return undefined;
  const [, day, monthName, year, hour, minute] = match;
  const second: string | undefined = match[6];
  const sign: string | undefined = match[7];
  const month = MONTHS.indexOf(monthName.toLowerCase());
  if (month === -1) return undefined;
  const fields = [
    Number(year),
    month,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second ?? 0),
  ];
  const [y, mo, d, h, mi, s] = fields;
  if (h > 23 || mi > 59 || s > 59) return undefined;
  const local = new Date(Date.UTC(y, mo, d, h, mi, s));
  // Date.UTC rolls 31 Feb over into March; a date that moved is not a date.
  if (local.getUTCFullYear() !== y || local.getUTCMonth() !== mo || local.getUTCDate() !== d) {
    return undefined;
  }
  const offsetMinutes =
    sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(match[8]) * 60 + Number(match[9]));
  return new Date(local.getTime() - offsetMinutes * 60_000).toISOString();
}
