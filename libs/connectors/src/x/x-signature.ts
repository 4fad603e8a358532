import type { SignatureCheck, WebhookRequest } from '../connector.types';
import { hmac, signatureMatches } from '../signature';

const SIGNATURE_HEADER = 'x-twitter-webhooks-signature';
const SIGNATURE_FORMAT = /^sha256=([A-Za-z0-9+/]+={0,2})$/;

/** What X sends as `crc_token`: a random token (UUID, base64 or base64url), never free text. */
const CRC_TOKEN = /^[A-Za-z0-9+/=_-]{1,256}$/;

/**
 * Whether ingest may answer a CRC for `crcToken`. The answer is HMAC-SHA256(consumer secret,
 * token), the very MAC that signs a delivery's body: answering any text would sign any body a
 * forger asks for (`GET ?crc_token=<body>`, then POST the body with the answer). A JSON body
 * always holds `{` or `"`, which no CRC token does.
 */
export function isXCrcToken(crcToken: string): boolean {
  return CRC_TOKEN.test(crcToken);
}

/**
 * The answer to X's Challenge-Response Check (GET with `crc_token`): `sha256=` + base64
 * HMAC-SHA256 of the token keyed with the app's consumer secret. The caller returns it as
 * `{"response_token": "<this>"}`.
 */
export function xCrcResponse(crcToken: string, consumerSecret: string): string {
  return `sha256=${hmac('sha256', consumerSecret, crcToken).toString('base64')}`;
}

/**
 * Account Activity POSTs carry `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the
 * raw body with the consumer secret>`. No timestamp is signed, so there is no replay window;
 * retries are deduplicated downstream by the event ids.
 */
export function verifyXSignature(
  request: Pick<WebhookRequest, 'headers' | 'rawBody'>,
  consumerSecret: string,
): SignatureCheck {
  if (consumerSecret === '') return { ok: false, reason: 'no consumer secret configured' };
  const header = request.headers[SIGNATURE_HEADER];
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  }
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (match === null) {
    return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header (expected sha256=<base64>)` };
  }
  const expected = hmac('sha256', consumerSecret, request.rawBody);
  return signatureMatches(expected, match[1], 'base64')
    ? { ok: true }
    : { ok: false, reason: 'signature does not match the body' };
}
