import { createHmac } from 'node:crypto';
import {
  REPLYWATCH_SIGNATURE_HEADER,
  REPLYWATCH_SOURCE_HEADER,
  REPLYWATCH_TIMESTAMP_HEADER,
  signGenericBody,
  verifyGenericSignature,
} from './generic-signature';

describe('generic connector body signature', () => {
  const secret = 'rw_sign_test_0123456789';
  const timestamp = 1772442000; // 2026-03-02T09:00:00Z
  const nowMs = timestamp * 1000;
  const body =
    '[{"eventId":"pbx-call-1","type":"call.missed","contactId":"pbx-1","channel":"phone","occurredAt":"2026-03-02T09:00:00Z"}]';

  /*
   * Computed independently of this code:
   *   printf '%s' '1772442000.[{"eventId":"pbx-call-1","type":"call.missed","contactId":"pbx-1","channel":"phone","occurredAt":"2026-03-02T09:00:00Z"}]' \
   *     | openssl dgst -sha256 -hmac 'rw_sign_test_0123456789'
   */
  const vector = 'v1=569fdfc1830517fb4c79c83b1bfd759ca585341095ef766ddc724c9ba8490d2f';

  const request = (
    headers: Record<string, string | undefined>,
    rawBody: Buffer = Buffer.from(body),
    at = nowMs,
  ) => ({ headers, rawBody, nowMs: at });

  const signed = (signature = vector, ts = String(timestamp)) => ({
    [REPLYWATCH_TIMESTAMP_HEADER]: ts,
    [REPLYWATCH_SIGNATURE_HEADER]: signature,
  });

  it('exports the lower-case header names ingest reads', () => {
    expect([
      REPLYWATCH_TIMESTAMP_HEADER,
      REPLYWATCH_SIGNATURE_HEADER,
      REPLYWATCH_SOURCE_HEADER,
    ]).toEqual(['x-replywatch-timestamp', 'x-replywatch-signature', 'x-replywatch-source']);
  });

  it('signs the fixed vector, from a string or from the raw bytes', () => {
    expect(signGenericBody(body, secret, timestamp)).toBe(vector);
    expect(signGenericBody(Buffer.from(body), secret, timestamp)).toBe(vector);
  });

  it('signs an empty body as just the timestamp and the dot', () => {
    // printf '%s' '1772442000.' | openssl dgst -sha256 -hmac 'rw_sign_test_0123456789'
    expect(signGenericBody('', secret, timestamp)).toBe(
      'v1=04c5e960074922e30ada42ab71ede65f76990f813ce9b5a3d504cb3d5a8faf63',
    );
  });

  it('signs the raw bytes, so a body that is not valid UTF-8 still verifies', () => {
    const bytes = Buffer.from([0x5b, 0xff, 0xfe, 0x5d]);
    const signature = signGenericBody(bytes, secret, timestamp);
    expect(verifyGenericSignature(request(signed(signature), bytes), [secret])).toEqual({
      ok: true,
    });
  });

  it('refuses to sign with an empty secret or a timestamp that is not whole seconds', () => {
    expect(() => signGenericBody(body, '', timestamp)).toThrow(RangeError);
    expect(() => signGenericBody(body, secret, 1772442000.5)).toThrow(RangeError);
    expect(() => signGenericBody(body, secret, -1)).toThrow(RangeError);
  });

  it('accepts the fixed vector', () => {
    expect(verifyGenericSignature(request(signed()), [secret])).toEqual({ ok: true });
  });

  it('accepts any of several secrets and any of several v1 values (rotation)', () => {
    const oldSignature = signGenericBody(body, 'old-secret', timestamp);
    expect(verifyGenericSignature(request(signed()), ['old-secret', secret])).toEqual({
      ok: true,
    });
    expect(verifyGenericSignature(request(signed(`${oldSignature}, ${vector}`)), [secret])).toEqual(
      { ok: true },
    );
    expect(verifyGenericSignature(request(signed(`${vector},${oldSignature}`)), [secret])).toEqual({
      ok: true,
    });
  });

  it('skips signatures of other schemes but needs one v1', () => {
    const v2 = `v2=${'ab'.repeat(32)}`;
    expect(verifyGenericSignature(request(signed(`${v2},${vector}`)), [secret])).toEqual({
      ok: true,
    });
    expect(verifyGenericSignature(request(signed(v2)), [secret])).toEqual({
      ok: false,
      reason: 'no v1 signature in x-replywatch-signature header',
    });
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    const upper = `v1=${vector.slice(3).toUpperCase()}`;
    expect(
      verifyGenericSignature(request(signed(` ${upper} `, ` ${timestamp} `)), [secret]),
    ).toEqual({ ok: true });
  });

  it('refuses a tampered body', () => {
    const tampered = Buffer.from(body.replace('pbx-1', 'pbx-2'));
    expect(verifyGenericSignature(request(signed(), tampered), [secret])).toEqual({
      ok: false,
      reason: 'signature does not match the timestamp and body',
    });
  });

  it('refuses a wrong secret', () => {
    expect(verifyGenericSignature(request(signed()), ['not-the-secret'])).toEqual({
      ok: false,
      reason: 'signature does not match the timestamp and body',
    });
  });

  it('refuses a timestamp changed after signing, even inside the window', () => {
    expect(
      verifyGenericSignature(request(signed(vector, String(timestamp + 1))), [secret]),
    ).toMatchObject({ ok: false, reason: 'signature does not match the timestamp and body' });
  });

  it('keeps the replay window, both ways, at its edges', () => {
    const check = (offsetSeconds: number, window?: number) =>
      verifyGenericSignature(
        request(signed(), undefined, nowMs + offsetSeconds * 1000),
        [secret],
        window,
      );
    expect(check(300)).toEqual({ ok: true });
    expect(check(-300)).toEqual({ ok: true });
    expect(check(301)).toEqual({
      ok: false,
      reason: 'timestamp is 301 s old, outside the 300 s replay window',
    });
    expect(check(-301)).toEqual({
      ok: false,
      reason: 'timestamp is 301 s in the future, outside the 300 s replay window',
    });
    expect(check(61, 60)).toMatchObject({ ok: false });
    expect(check(59, 60)).toEqual({ ok: true });
  });

  it.each([
    ['no headers at all', {}, 'missing x-replywatch-timestamp header'],
    [
      'no signature',
      { [REPLYWATCH_TIMESTAMP_HEADER]: String(timestamp) },
      'missing x-replywatch-signature header',
    ],
    ['a blank timestamp', signed(vector, '  '), 'missing x-replywatch-timestamp header'],
    [
      'a timestamp in milliseconds with a fraction',
      signed(vector, '1772442000.5'),
      'malformed x-replywatch-timestamp header (expected unix seconds)',
    ],
    [
      'an ISO timestamp',
      signed(vector, '2026-03-02T09:00:00Z'),
      'malformed x-replywatch-timestamp header (expected unix seconds)',
    ],
    [
      'a bare digest without v1=',
      signed(vector.slice(3)),
      'malformed x-replywatch-signature header (expected v1=<64 hex>[,v1=<64 hex>])',
    ],
    [
      'a truncated digest',
      signed(vector.slice(0, 40)),
      'malformed x-replywatch-signature header (expected v1=<64 hex>[,v1=<64 hex>])',
    ],
    [
      'a base64 digest',
      signed(`v1=${Buffer.from(vector.slice(3), 'hex').toString('base64')}`),
      'malformed x-replywatch-signature header (expected v1=<64 hex>[,v1=<64 hex>])',
    ],
    [
      'an empty entry',
      signed(`${vector},`),
      'malformed x-replywatch-signature header (expected v1=<64 hex>[,v1=<64 hex>])',
    ],
    [
      'too many signatures',
      signed(Array.from({ length: 9 }, () => vector).join(',')),
      'x-replywatch-signature holds more than 8 signatures',
    ],
  ])('refuses %s with a reason safe to log', (_what, headers, reason) => {
    const result = verifyGenericSignature(request(headers), [secret]);
    expect(result).toEqual({ ok: false, reason });
    expect(JSON.stringify(result)).not.toContain(secret);
  });

  it('refuses everything when no secret is configured', () => {
    expect(verifyGenericSignature(request(signed()), [])).toEqual({
      ok: false,
      reason: 'no signing secret configured',
    });
    expect(verifyGenericSignature(request(signed()), [''])).toEqual({
      ok: false,
      reason: 'no signing secret configured',
    });
  });

  it('does not let an empty secret in the list match a body signed with an empty key', () => {
    const emptyKeySignature = `v1=${createHmac('sha256', '').update(`${timestamp}.${body}`).digest('hex')}`;
    expect(verifyGenericSignature(request(signed(emptyKeySignature)), ['', secret])).toMatchObject({
      ok: false,
    });
  });
});
