import { MailHeaders } from './mail-headers';

const HEADER_END = /\r?\n\r?\n/;

/**
 * A raw header block (SendGrid's `headers` field, the top of a raw message) as header fields.
 * Folded lines are unfolded (RFC 5322 section 2.2.3: a line that starts with a space or tab
 * continues the previous one); names are case-insensitive; a line that is not `name: value`,
 * such as an mbox `From ` line, is skipped. Values stay raw: encoded words are decoded by whoever
 * reads an unstructured field (see decodeEncodedWords).
 */
export function parseHeaderBlock(block: string): MailHeaders {
  const pairs: [string, string][] = [];
  for (const line of block.split(/\r?\n/)) {
    // The first empty line ends the header section (leading empty lines are tolerated).
    if (line.trim() === '' && !/^[ \t]/.test(line)) {
      if (pairs.length > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      const last = pairs[pairs.length - 1];
      if (last !== undefined) last[1] += line;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon);
    // Field names are printable ASCII without spaces (RFC 5322 section 3.6.8).
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue;
    pairs.push([name, line.slice(colon + 1)]);
  }
  return MailHeaders.fromPairs(pairs.map(([name, value]) => [name, value.replace(/\s+/g, ' ')]));
}

/** A raw message split at the first empty line into its header block and its body. */
export function splitMessage(raw: string): { headerBlock: string; body: string } {
  const match = HEADER_END.exec(raw);
  if (match === null) return { headerBlock: raw, body: '' };
  return {
    headerBlock: raw.slice(0, match.index),
    body: raw.slice(match.index + match[0].length),
  };
}

/**
 * The value and parameters of a structured header such as Content-Type or Content-Disposition:
 * `multipart/form-data; boundary="a b"` → `{ value: 'multipart/form-data', params: { boundary: 'a b' } }`.
 * Parameter names are lower-cased; quoted values keep their content with backslash escapes undone.
 */
export function parseParameterizedHeader(header: string): {
  value: string;
  params: Record<string, string>;
} {
  const params: Record<string, string> = {};
  const semicolon = header.indexOf(';');
  const value = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  let rest = semicolon === -1 ? '' : header.slice(semicolon + 1);
  const param = /^\s*([^\s=;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))\s*(?:;|$)/;
  while (rest.trim() !== '') {
    const match = param.exec(rest);
    if (match === null) {
      // Skip a parameter without a value (`attachment; ; name=x`) and go on.
      const next = rest.indexOf(';');
      if (next === -1) break;
      rest = rest.slice(next + 1);
      continue;
    }
    const name = match[1].toLowerCase();
    const raw = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : match[3].trim();
    if (!(name in params)) params[name] = raw;
    rest = rest.slice(match[0].length);
  }
  return { value, params };
}
