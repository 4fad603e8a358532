import type { SignatureCheck, WebhookRequest } from '../connector.types';
import { hmac, sameSecret, signatureMatches } from '../signature';

const SIGNATURE_HEADER = 'x-hub-signature-256';
const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Meta (Messenger, Instagram, WhatsApp Cloud API) signs the raw body: `X-Hub-Signature-256:
 * sha256=<hex HMAC-SHA256 with the app secret>`. There is no timestamp, so no replay window;
 * retries are deduplicated downstream by the provider's message ids.
 */
export function verifyMetaSignature(
  request: Pick<WebhookRequest, 'headers' | 'rawBody'>,
  appSecret: string,
): SignatureCheck {
  if (appSecret === '') return { ok: false, reason: 'no app secret configured' };
  const header = request.headers[SIGNATURE_HEADER];
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  }
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (match === null) {
    return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header (expected sha256=<64 hex>)` };
  }
  const expected = hmac('sha256', appSecret, request.rawBody);
  return signatureMatches(expected, match[1], 'hex')
    ? { ok: true }
    : { ok: false, reason: 'signature does not match the body' };
}

export type MetaChallengeResult = { ok: true; challenge: string } | { ok: false; reason: string };

/**
 * The GET Meta sends when a webhook is (re)configured: echo `hub.challenge` only when
 * `hub.mode=subscribe` and `hub.verify_token` is the token configured in the App Dashboard.
 */
export function metaVerificationChallenge(
  query: Record<string, string | undefined>,
  verifyToken: string,
): MetaChallengeResult {
  if (verifyToken === '') return { ok: false, reason: 'no verify token configured' };
  if (query['hub.mode'] !== 'subscribe') return { ok: false, reason: 'hub.mode is not subscribe' };
  const given = query['hub.verify_token'];
  if (given === undefined || !sameSecret(given, verifyToken)) {
    return { ok: false, reason: 'hub.verify_token does not match' };
  }
  const challenge = query['hub.challenge'];
  if (challenge === undefined || challenge === '') {
    return { ok: false, reason: 'missing hub.challenge' };
  }
  return { ok: true, challenge };
}
