import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_TIMESTAMP_HEADER = 'X-Replywatch-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'X-Replywatch-Signature';

/**
 * `v1=` + hex HMAC-SHA256 of `<unix seconds>.<raw body>`, keyed with the endpoint's secret: the
 * scheme connectors use towards ingest, so receivers verify both the same way.
 */
export function signWebhookBody(body: string, secret: string, timestampSeconds: number): string {
  if (secret === '') throw new RangeError('webhook secret is empty');
  const digest = createHmac('sha256', secret)
    .update(`${timestampSeconds}.`, 'utf8')
    .update(body, 'utf8')
    .digest('hex');
  return `v1=${digest}`;
}

export function webhookSignatureHeaders(
  body: string,
  secret: string,
  nowMs: number,
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
    [WEBHOOK_SIGNATURE_HEADER]: signWebhookBody(body, secret, timestamp),
  };
}

export interface WebhookSignatureInput {
  body: string;
  timestamp: string | undefined;
  signature: string | undefined;
  secret: string;
  nowMs: number;
  /** Refuse deliveries signed longer ago than this (replays). */
  toleranceSeconds?: number;
}

/** The receiver's side, as docs/escalation.md describes it: timing-safe, with a replay window. */
export function verifyWebhookSignature(input: WebhookSignatureInput): boolean {
  const tolerance = input.toleranceSeconds ?? 300;
  if (input.secret === '') return false;
  if (input.timestamp === undefined || !/^\d{1,12}$/.test(input.timestamp)) return false;
  const timestamp = Number(input.timestamp);
  if (Math.abs(input.nowMs / 1000 - timestamp) > tolerance) return false;
  const expected = Buffer.from(signWebhookBody(input.body, input.secret, timestamp), 'utf8');
  return (input.signature ?? '')
    .split(',')
    .map((part) => Buffer.from(part.trim(), 'utf8'))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
}
