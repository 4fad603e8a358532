import { parseRfc2822 } from '../twilio-voice/rfc2822-date.parser';

/** RFC 5322 section 4.3 obsolete zones, still written by some mailers. */
const OBSOLETE_ZONES: Record<string, string> = {
  EST: '-0500',
  EDT: '-0400',
  CST: '-0600',
  CDT: '-0500',
  MST: '-0700',
  MDT: '-0600',
  PST: '-0800',
  PDT: '-0700',
};

/**
 * An e-mail Date header as an ISO 8601 UTC instant, or undefined when it is not a date. On top of
 * RFC 2822 it accepts what mailers write in practice: a trailing comment (`+0000 (UTC)`), a zone
 * with a colon (`-04:00`, as in Postmark's documented sample) and the obsolete US zone names.
 */
export function parseEmailDate(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = value
    .replace(/\((?:[^()\\]|\\.)*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const strict = parseRfc2822(text);
  if (strict !== undefined) return strict;
  const lenient = text
    .replace(/([+-])(\d{2}):(\d{2})$/, '$1$2$3')
    .replace(/\b([ECMP][SD]T)$/i, (zone: string) => OBSOLETE_ZONES[zone.toUpperCase()] ?? zone);
  return parseRfc2822(lenient);
}
