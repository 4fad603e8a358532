/**
 * An `application/x-www-form-urlencoded` body as Twilio posts it. Keys keep every value they
 * arrive with, in order: the signature needs all of them, the parser reads the first.
 */
export type FormParams = ReadonlyMap<string, readonly string[]>;

export type FormDecodeResult = { ok: true; params: FormParams } | { ok: false; reason: string };

/** Decodes `a=1&b=x+y&b=%2B1`: `+` is a space, `%XX` are UTF-8 bytes (WHATWG form rules). */
export function decodeForm(rawBody: Buffer | string): FormDecodeResult {
  const text = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const params = new Map<string, string[]>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decodeComponent(rawKey);
    const value = decodeComponent(rawValue);
    if (key === undefined || value === undefined) {
      return {
        ok: false,
        reason: `malformed percent-encoding in form field ${JSON.stringify(rawKey)}`,
      };
    }
    const values = params.get(key);
    if (values === undefined) params.set(key, [value]);
    else values.push(value);
  }
  return { ok: true, params };
}

/** The first value of a field, or undefined when it is absent. */
export function firstValue(params: FormParams, key: string): string | undefined {
  return params.get(key)?.[0];
}

function decodeComponent(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}
