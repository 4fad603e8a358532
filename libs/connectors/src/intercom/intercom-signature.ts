import type { SignatureCheck, WebhookRequest } from '../connector.types';
import { hmac, signatureMatches } from '../signature';

const SIGNATURE_HEADER = 'x-hub-signature';
const SIGNATURE_FORMAT = /^sha1=([0-9a-fA-F]{40})$/;

/**
 * Intercom signs every notification: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the raw body keyed
 * with the app's client secret>` ("the hexadecimal (40-byte) representation of a SHA-1 signature
 * computed using the HMAC algorithm as defined in RFC2104",
 * https://developers.intercom.com/intercom-api-reference/v1.0/reference/signed-notifications; the
 * 1.0 pages key it with a per-subscription `hub_secret`, Developer Hub apps with the client secret).
 * Nothing time-bound is signed, so there is no replay window; a replayed notification carries the
 * same ids and is deduplicated downstream by its eventId.
 */
export function verifyIntercomSignature(
  request: Pick<WebhookRequest, 'headers' | 'rawBody'>,
  clientSecret: string,
): SignatureCheck {
  if (clientSecret === '') return { ok: false, reason: 'no client secret configured' };
  const header = request.headers[SIGNATURE_HEADER];
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  }
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (match === null) {
    return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header (expected sha1=<40 hex>)` };
  }
  const expected = hmac('sha1', clientSecret, request.rawBody);
  return signatureMatches(expected, match[1], 'hex')
    ? { ok: true }
    : { ok: false, reason: 'signature does not match the body' };
}
