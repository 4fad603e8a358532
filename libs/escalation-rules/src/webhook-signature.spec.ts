import { createHmac } from 'node:crypto';
import {
  signWebhookBody,
  verifyWebhookSignature,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  webhookSignatureHeaders,
} from './webhook-signature';
import type { WebhookSignatureInput } from './webhook-signature';

const SECRET = 'whsec-0123456789abcdef';
const NOW = Date.parse('2026-11-24T10:00:00.750Z');
const TS = Math.floor(NOW / 1000);
const BODY = '{"alertId":"alert-17","event":"sla.breached","ü":"ß"}';

/** Computed independently of the library, as a receiver would. */
const expected = (body: string, secret: string, ts: number) =>
  `v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;

const valid = (): WebhookSignatureInput => ({
  body: BODY,
  timestamp: String(TS),
  signature: expected(BODY, SECRET, TS),
  secret: SECRET,
  nowMs: NOW,
});

describe('signWebhookBody', () => {
  it('is v1= and the hex HMAC-SHA256 of "<seconds>.<body>"', () => {
    const signature = signWebhookBody(BODY, SECRET, TS);
    expect(signature).toBe(expected(BODY, SECRET, TS));
    expect(signature).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('refuses an empty secret', () => {
    expect(() => signWebhookBody(BODY, '', TS)).toThrow(RangeError);
  });
});

describe('webhookSignatureHeaders', () => {
  it('sets the timestamp in whole seconds and the signature over it', () => {
    expect(webhookSignatureHeaders(BODY, SECRET, NOW)).toEqual({
      [WEBHOOK_TIMESTAMP_HEADER]: '1795514400',
      [WEBHOOK_SIGNATURE_HEADER]: expected(BODY, SECRET, 1795514400),
    });
    expect(WEBHOOK_TIMESTAMP_HEADER).toBe('X-Replywatch-Timestamp');
    expect(WEBHOOK_SIGNATURE_HEADER).toBe('X-Replywatch-Signature');
  });

  it('verify on the receiving side', () => {
    const headers = webhookSignatureHeaders(BODY, SECRET, NOW);
    expect(
      verifyWebhookSignature({
        body: BODY,
        timestamp: headers[WEBHOOK_TIMESTAMP_HEADER],
        signature: headers[WEBHOOK_SIGNATURE_HEADER],
        secret: SECRET,
        nowMs: NOW + 2_000,
      }),
    ).toBe(true);
  });
});

describe('verifyWebhookSignature', () => {
  it('accepts the right signature within the tolerance', () => {
    expect(verifyWebhookSignature(valid())).toBe(true);
    expect(verifyWebhookSignature({ ...valid(), nowMs: (TS + 300) * 1000 })).toBe(true);
    expect(verifyWebhookSignature({ ...valid(), nowMs: (TS - 300) * 1000 })).toBe(true);
  });

  it('refuses a tampered body', () => {
    expect(verifyWebhookSignature({ ...valid(), body: BODY.replace('17', '18') })).toBe(false);
    expect(verifyWebhookSignature({ ...valid(), body: `${BODY} ` })).toBe(false);
  });

  it('refuses another secret', () => {
    expect(verifyWebhookSignature({ ...valid(), secret: 'whsec-another-secret-000' })).toBe(false);
  });

  it('refuses a signature over another timestamp', () => {
    expect(verifyWebhookSignature({ ...valid(), timestamp: String(TS - 1) })).toBe(false);
  });

  it('refuses a stale timestamp', () => {
    expect(verifyWebhookSignature({ ...valid(), nowMs: (TS + 301) * 1000 })).toBe(false);
    const old = { ...valid(), nowMs: (TS + 61) * 1000, toleranceSeconds: 60 };
    expect(verifyWebhookSignature(old)).toBe(false);
    expect(verifyWebhookSignature({ ...old, nowMs: (TS + 60) * 1000 })).toBe(true);
  });

  it('refuses a timestamp further in the future than the tolerance', () => {
    expect(verifyWebhookSignature({ ...valid(), nowMs: (TS - 301) * 1000 })).toBe(false);
  });

  it('refuses missing headers', () => {
    expect(verifyWebhookSignature({ ...valid(), timestamp: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...valid(), signature: undefined })).toBe(false);
    expect(verifyWebhookSignature({ ...valid(), signature: '' })).toBe(false);
  });

  it.each(['', 'abc', '-1', '1.5', '1e9', ' 1795514400', '1795514400x', '1234567890123'])(
    'refuses the timestamp %j',
    (timestamp) => {
      expect(verifyWebhookSignature({ ...valid(), timestamp })).toBe(false);
    },
  );

  it('refuses a signature without the v1= prefix or in upper case', () => {
    const { signature } = valid();
    expect(verifyWebhookSignature({ ...valid(), signature: signature?.slice(3) })).toBe(false);
    expect(verifyWebhookSignature({ ...valid(), signature: signature?.toUpperCase() })).toBe(false);
  });

  it('accepts a list of signatures when one of them is right', () => {
    const right = expected(BODY, SECRET, TS);
    const wrong = expected(BODY, 'whsec-old-secret-0000000', TS);
    expect(verifyWebhookSignature({ ...valid(), signature: `${wrong},${right}` })).toBe(true);
    expect(verifyWebhookSignature({ ...valid(), signature: `${right}, ${wrong}` })).toBe(true);
    expect(verifyWebhookSignature({ ...valid(), signature: `v0=abc, ${wrong}` })).toBe(false);
  });
});

describe('verifyWebhookSignature without a secret', () => {
  it('refuses rather than throws', () => {
    expect(
      verifyWebhookSignature({
        body: '{}',
        timestamp: '1700000000',
        signature: 'v1=00',
        secret: '',
        nowMs: 1700000000000,
      }),
    ).toBe(false);
  });
});
