import type { SignatureCheck, WebhookRequest } from '../connector.types';
import { hmac, signatureMatches, withinReplayWindow } from '../signature';

export const REPLYWATCH_TIMESTAMP_HEADER = 'x-replywatch-timestamp';
export const REPLYWATCH_SIGNATURE_HEADER = 'x-replywatch-signature';
/** Names the connector (`source`) whose signing secrets verify a signed request: there is no key. */
export const REPLYWATCH_SOURCE_HEADER = 'x-replywatch-source';

const TIMESTAMP_FORMAT = /^[0-9]{1,12}$/;
const SIGNATURE_ENTRY = /^([a-z][a-z0-9]*)=(\S+)$/;
const V1_DIGEST = /^[0-9a-fA-F]{64}$/;
// Bounds the secrets × signatures compares a single request can cost.
const MAX_SIGNATURE_ENTRIES = 8;

/**
 * The value of `X-Replywatch-Signature` for a body: `v1=` + hex HMAC-SHA256 of
 * `<timestamp>.<raw body bytes>` keyed with the connector's signing secret.
 */
export function signGenericBody(
  rawBody: Buffer | string,
  secret: string,
  timestampSeconds: number,
): string {
  if (secret === '') throw new RangeError('signing secret is empty');
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(`timestamp must be whole unix seconds, got ${timestampSeconds}`);
  }
  return `v1=${hmac('sha256', secret, signedPayload(String(timestampSeconds), rawBody)).toString('hex')}`;
}

/**
 * For connectors that cannot keep a bearer key secret (Stripe/Zendesk style): the body is signed
 * with a timestamp, so a captured request stops being accepted after `replayWindowSeconds`
 * (and a replay inside it is harmless: events are deduplicated by eventId). Several `v1=` values
 * separated by commas and several secrets are accepted, so a secret can be rotated without a gap.
 */
export function verifyGenericSignature(
  request: Pick<WebhookRequest, 'headers' | 'rawBody' | 'nowMs'>,
  secrets: readonly string[],
  replayWindowSeconds = 300,
): SignatureCheck {
  const keys = secrets.filter((secret) => secret !== '');
  if (keys.length === 0) return { ok: false, reason: 'no signing secret configured' };

  const timestamp = request.headers[REPLYWATCH_TIMESTAMP_HEADER]?.trim() ?? '';
  if (timestamp === '')
    return { ok: false, reason: `missing ${REPLYWATCH_TIMESTAMP_HEADER} header` };
  if (!TIMESTAMP_FORMAT.test(timestamp)) {
    return {
      ok: false,
      reason: `malformed ${REPLYWATCH_TIMESTAMP_HEADER} header (expected unix seconds)`,
    };
  }
  const seconds = Number(timestamp);
  if (!withinReplayWindow(seconds, request.nowMs, replayWindowSeconds)) {
    const skew = Math.round(request.nowMs / 1000 - seconds);
    const when = skew > 0 ? `${skew} s old` : `${-skew} s in the future`;
    return {
      ok: false,
      reason: `timestamp is ${when}, outside the ${replayWindowSeconds} s replay window`,
    };
  }

  const parsed = parseSignatures(request.headers[REPLYWATCH_SIGNATURE_HEADER]);
  if (!parsed.ok) return parsed;

  const payload = signedPayload(timestamp, request.rawBody);
  let matched = false;
  // Every secret against every signature, no early exit: timing says nothing about which matched.
  for (const key of keys) {
    const expected = hmac('sha256', key, payload);
    for (const signature of parsed.signatures) {
      if (signatureMatches(expected, signature, 'hex')) matched = true;
    }
  }
  return matched
    ? { ok: true }
    : { ok: false, reason: 'signature does not match the timestamp and body' };
}

/** The exact bytes signed: the header's timestamp text, a dot, the raw body (not re-encoded). */
function signedPayload(timestamp: string, rawBody: Buffer | string): Buffer {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
}

type ParsedSignatures = { ok: true; signatures: string[] } | { ok: false; reason: string };

/** `v1=<hex>[,v1=<hex>…]`; other schemes are skipped so a future `v2` does not break v1 checks. */
function parseSignatures(header: string | undefined): ParsedSignatures {
  if (header === undefined || header.trim() === '') {
    return { ok: false, reason: `missing ${REPLYWATCH_SIGNATURE_HEADER} header` };
  }
  const malformed = {
    ok: false,
    reason: `malformed ${REPLYWATCH_SIGNATURE_HEADER} header (expected v1=<64 hex>[,v1=<64 hex>])`,
  } as const;
  const entries = header.split(',').map((entry) => entry.trim());
  if (entries.length > MAX_SIGNATURE_ENTRIES) {
    return {
      ok: false,
      reason: `${REPLYWATCH_SIGNATURE_HEADER} holds more than ${MAX_SIGNATURE_ENTRIES} signatures`,
    };
  }
  const signatures: string[] = [];
  for (const entry of entries) {
    const match = SIGNATURE_ENTRY.exec(entry);
    if (match === null) return malformed;
    if (match[1] !== 'v1') continue;
    if (!V1_DIGEST.test(match[2])) return malformed;
    signatures.push(match[2]);
  }
  if (signatures.length === 0) {
    return { ok: false, reason: `no v1 signature in ${REPLYWATCH_SIGNATURE_HEADER} header` };
  }
  return { ok: true, signatures };
}
