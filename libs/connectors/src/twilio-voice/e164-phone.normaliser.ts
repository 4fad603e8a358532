/**
 * Caller ids that are E.164 in shape but name nobody: 266696687 spells ANONYMOUS on a keypad and
 * is what carriers present for a withheld caller id.
 */
const WITHHELD_CALLER_IDS = new Set(['+266696687']);

/**
 * A phone number in E.164 (`+14155550100`), or undefined when the value is not one: `anonymous`,
 * `client:alice`, `sip:…`, a national number without its country code. Spaces, dashes, dots and
 * parentheses are dropped and a `00` international prefix becomes `+`.
 */
export function normaliseE164(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const compact = raw.trim().replace(/[\s\-.()]/g, '');
  const international = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  if (!/^\+[1-9][0-9]{6,14}$/.test(international)) return undefined;
  return WITHHELD_CALLER_IDS.has(international) ? undefined : international;
}
