import type { SignatureCheck, WebhookRequest } from '../connector.types';
import { hmac, signatureMatches, withinReplayWindow } from '../signature';
import { parseIsoInstant } from './iso-instant.parser';

const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

/**
 * Zendesk signs `base64(HMACSHA256(TIMESTAMP + BODY))` with the webhook's signing secret, the
 * timestamp being the `X-Zendesk-Webhook-Signature-Timestamp` header as sent (ISO 8601)
 * (https://developer.zendesk.com/documentation/webhooks/verifying/). Another revision of that
 * page wrote `(BODY)(TIMESTAMP)` and signed its worked example body-first; the current page and
 * integrations running against live Zendesk put the timestamp first, which is what is checked here.
 * The timestamp must be within `replayWindowSeconds` of `request.nowMs`, so a captured request
 * expires.
 */
export function verifyZendeskSignature(
  request: WebhookRequest,
  signingSecret: string,
  replayWindowSeconds = 300,
): SignatureCheck {
  if (signingSecret === '') return { ok: false, reason: 'no signing secret configured' };
  const signature = request.headers[SIGNATURE_HEADER]?.trim();
  if (signature === undefined || signature === '') {
    return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  }
  const timestamp = request.headers[TIMESTAMP_HEADER]?.trim();
  if (timestamp === undefined || timestamp === '') {
    return { ok: false, reason: `missing ${TIMESTAMP_HEADER} header` };
  }
  const signedAtMs = parseIsoInstant(timestamp);
  if (signedAtMs === undefined) {
    return {
      ok: false,
      reason: `malformed ${TIMESTAMP_HEADER} header (expected an ISO 8601 instant)`,
    };
  }
  const expected = hmac(
    'sha256',
    signingSecret,
    Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]),
  );
  if (!signatureMatches(expected, signature, 'base64')) {
    return { ok: false, reason: 'signature does not match the body and timestamp' };
  }
  if (!withinReplayWindow(signedAtMs / 1000, request.nowMs, replayWindowSeconds)) {
    return {
      ok: false,
      reason: `${TIMESTAMP_HEADER} ${timestamp} is outside the ${replayWindowSeconds} s replay window`,
    };
  }
  return { ok: true };
}
