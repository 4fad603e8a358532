import type { SignatureCheck, WebhookRequest } from '../connector.types';
import { hmac, signatureMatches, withinReplayWindow } from '../signature';
import { firstValue } from '../twilio-voice/twilio-form.decoder';
import { decodeMailgunBody } from './mailgun-body.decoder';

interface SignedFields {
  timestamp?: unknown;
  token?: unknown;
  signature?: unknown;
}

/**
 * Checks a Mailgun request (https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks):
 * `signature` is the hex HMAC-SHA256, keyed by the webhook signing key, of `timestamp` followed by
 * `token`. Event webhooks carry the three under `signature` in their JSON; route `forward()` posts
 * carry them as form fields. The body is decoded here, whichever it is.
 *
 * Mailgun signs only the timestamp and the token, not the message: a changed subject or body still
 * verifies. What the check proves is that Mailgun sent a request at `timestamp`; the replay window
 * keeps a captured one from being reused later (ingest may also remember tokens it has seen).
 */
export function verifyMailgunWebhook(
  request: WebhookRequest,
  signingKey: string,
  replayWindowSeconds = 300,
): SignatureCheck {
  if (signingKey === '') return { ok: false, reason: 'no Mailgun webhook signing key configured' };
  const body = decodeMailgunBody(request);
  let fields: SignedFields;
  switch (body.kind) {
    case 'undecodable':
      return { ok: false, reason: `cannot read the signature: ${body.reason}` };
    case 'json': {
      const signature = isRecord(body.value) ? body.value.signature : undefined;
      fields = isRecord(signature) ? signature : {};
      break;
    }
    case 'form':
      fields = {
        timestamp: firstValue(body.params, 'timestamp'),
        token: firstValue(body.params, 'token'),
        signature: firstValue(body.params, 'signature'),
      };
      break;
  }

  // Mailgun's docs show the timestamp as a string; a JSON number is taken too.
  const timestamp =
    typeof fields.timestamp === 'number' ? String(fields.timestamp) : fields.timestamp;
  const { token, signature } = fields;
  if (typeof timestamp !== 'string' || typeof token !== 'string' || typeof signature !== 'string') {
    return { ok: false, reason: 'missing Mailgun signature fields (timestamp, token, signature)' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed Mailgun timestamp' };
  if (!withinReplayWindow(Number(timestamp), request.nowMs, replayWindowSeconds)) {
    return {
      ok: false,
      reason: `Mailgun timestamp outside the ${replayWindowSeconds} s replay window`,
    };
  }
  const expected = hmac('sha256', signingKey, timestamp + token);
  return signatureMatches(expected, signature, 'hex')
    ? { ok: true }
    : { ok: false, reason: 'Mailgun signature does not match' };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
