import { createHash } from 'node:crypto';
import type { SignatureCheck, WebhookRequest } from '../connector.types';
import { hmac, signatureMatches } from '../signature';
import { decodeForm, type FormParams } from './twilio-form.decoder';

/** Lower-case, as `WebhookRequest.headers` holds them. */
export const TWILIO_SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * Checks `X-Twilio-Signature` (https://www.twilio.com/docs/usage/webhooks/webhooks-security):
 * base64 HMAC-SHA1, keyed by the auth token, of the full URL Twilio called followed by every POST
 * parameter sorted by name, each written as name then value with no delimiter.
 *
 * - JSON bodies: Twilio adds `bodySHA256` (hex SHA-256 of the raw body) to the query and signs
 *   the URL alone, so the body is checked against that hash instead of being parsed.
 * - Ports: Twilio drops the port before signing voice callbacks over HTTPS and keeps it over HTTP,
 *   and its helper libraries accept either form; so do we (the URL as given, without its port,
 *   and with the scheme's default port).
 * - Twilio signs no timestamp, so there is no replay window (`nowMs` is unused); ingest dedupes
 *   replays by event id instead.
 */
export function verifyTwilioSignature(request: WebhookRequest, authToken: string): SignatureCheck {
  if (authToken === '') return { ok: false, reason: 'no Twilio auth token configured' };
  const received = request.headers[TWILIO_SIGNATURE_HEADER];
  if (received === undefined || received.trim() === '') {
    return { ok: false, reason: 'missing X-Twilio-Signature' };
  }

  let params: FormParams;
  const bodyHash = queryParam(request.url, 'bodySHA256');
  if (bodyHash !== undefined) {
    const actual = createHash('sha256').update(request.rawBody).digest();
    if (!signatureMatches(actual, bodyHash, 'hex')) {
      return { ok: false, reason: 'body does not match its bodySHA256 query parameter' };
    }
    params = new Map();
  } else if (isJson(request.headers['content-type'])) {
    return { ok: false, reason: 'JSON body without a bodySHA256 query parameter' };
  } else {
    const decoded = decodeForm(request.rawBody);
    if (!decoded.ok) return { ok: false, reason: decoded.reason };
    params = decoded.params;
  }

  const payload = signedParams(params);
  const matches = candidateUrls(request.url).some((url) =>
    signatureMatches(hmac('sha1', authToken, url + payload), received, 'base64'),
  );
  return matches ? { ok: true } : { ok: false, reason: 'X-Twilio-Signature does not match' };
}

/**
 * The parameters in the order Twilio signs them: names sorted case-sensitively (code-unit order);
 * a repeated name contributes each distinct value, sorted, as Twilio's helper libraries do.
 */
export function signedParams(params: FormParams): string {
  let out = '';
  for (const name of [...params.keys()].sort(compareCodeUnits)) {
    const values = [...new Set(params.get(name))].sort(compareCodeUnits);
    for (const value of values) out += name + value;
  }
  return out;
}

const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*@)?(\[[^\]]*\]|[^/?#:]*)(?::(\d*))?(.*)$/is;
const DEFAULT_PORTS: Record<string, string | undefined> = { 'http://': '80', 'https://': '443' };

/** The URL as given first, then without credentials and port, then with the default port. */
export function candidateUrls(url: string): string[] {
  const match = AUTHORITY.exec(url);
  if (match === null) return [url];
  const [, scheme, , host, , rest] = match;
  const port: string | undefined = match[4];
  const candidates = [url, `${scheme}${host}${rest}`];
  const defaultPort = DEFAULT_PORTS[scheme.toLowerCase()];
  if (port === undefined && defaultPort !== undefined) {
    candidates.push(`${scheme}${host}:${defaultPort}${rest}`);
  }
  return [...new Set(candidates)];
}

function queryParam(url: string, name: string): string | undefined {
  const start = url.indexOf('?');
  if (start === -1) return undefined;
  const end = url.indexOf('#', start);
  const decoded = decodeForm(url.slice(start + 1, end === -1 ? undefined : end));
  return decoded.ok ? decoded.params.get(name)?.[0] : undefined;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\b/i.test(contentType.trim());
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
