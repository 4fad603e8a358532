import type { SignatureCheck } from './connector.types';
import { sameSecret } from './signature';

const BASIC = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

/**
 * Checks an `Authorization: Basic …` header (RFC 7617), for providers that sign nothing and protect
 * their webhook with credentials in the URL instead (Postmark, SendGrid Inbound Parse).
 *
 * The user name and password are compared as SHA-256 digests with `timingSafeEqual`, both of them
 * always, so neither their lengths nor which one was wrong leak through timing. Reasons are safe to
 * log: they never echo what was sent or expected.
 */
export function verifyBasicAuth(
  authorization: string | undefined,
  expected: { username: string; password: string },
): SignatureCheck {
  if (expected.password === '') return { ok: false, reason: 'no basic auth password configured' };
  if (authorization === undefined || authorization.trim() === '') {
    return { ok: false, reason: 'missing Authorization header' };
  }
  const match = BASIC.exec(authorization.trim());
  if (match === null) {
    return /^basic\b/i.test(authorization.trim())
      ? { ok: false, reason: 'malformed Basic credentials (expected base64 of user:password)' }
      : { ok: false, reason: 'Authorization header is not Basic' };
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  // RFC 7617: the user-id cannot contain a colon, so the first one separates it from the password.
  const colon = decoded.indexOf(':');
  if (colon === -1) {
    return { ok: false, reason: 'malformed Basic credentials (no colon after the user name)' };
  }
  const userMatches = sameSecret(decoded.slice(0, colon), expected.username);
  const passwordMatches = sameSecret(decoded.slice(colon + 1), expected.password);
  return userMatches && passwordMatches
    ? { ok: true }
    : { ok: false, reason: 'Basic credentials do not match' };
}
