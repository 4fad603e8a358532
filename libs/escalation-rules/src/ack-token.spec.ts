import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { signAckToken, verifyAckToken } from './ack-token';
import type { AckTokenClaims } from './ack-token';

const SECRET = 'ack-link-secret-0123456789';
const NOW = Date.parse('2026-11-24T10:00:00Z');
const claims: AckTokenClaims = {
  notificationId: '0f8c6a52-5d0c-4d57-9a55-5b1f0c8f4e21',
  alertId: 'alert-17',
  recipient: 'alice@example.com',
  expiresAtMs: NOW + 3_600_000 + 789,
};

/** `token` with the character at `index` replaced by another base64url character. */
const flip = (token: string, index: number) =>
  token.slice(0, index) + (token[index] === 'A' ? 'B' : 'A') + token.slice(index + 1);

/** A token for any payload text, signed the way the library signs. */
const signRaw = (json: string, secret = SECRET) => {
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload, 'utf8').digest('base64url')}`;
};

describe('ack tokens', () => {
  it('round-trip their claims, with the expiry in whole seconds', () => {
    const token = signAckToken(claims, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyAckToken(token, SECRET, NOW)).toEqual({
      ok: true,
      claims: { ...claims, expiresAtMs: NOW + 3_600_000 },
    });
  });

  it('are forged when a payload character changes', () => {
    const token = signAckToken(claims, SECRET);
    for (const index of [0, 5, token.indexOf('.') - 1]) {
      expect(verifyAckToken(flip(token, index), SECRET, NOW)).toMatchObject({
        ok: false,
        reason: 'forged',
      });
    }
  });

  it('are forged when a signature character changes', () => {
    const token = signAckToken(claims, SECRET);
    const dot = token.indexOf('.');
    for (const index of [dot + 1, dot + 20, token.length - 2]) {
      expect(verifyAckToken(flip(token, index), SECRET, NOW)).toMatchObject({
        ok: false,
        reason: 'forged',
      });
    }
  });

  it('are forged when any character of the signature changes, the last one too', () => {
    // The last of the 43 base64url characters carries 2 spare bits that decoding drops, so the
    // signature is compared as text: otherwise one link would have 4 spellings that all pass.
    const token = signAckToken(claims, SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(token[token.length - 1]);
    for (const other of [last ^ 1, last ^ 2, last ^ 3]) {
      const altered = token.slice(0, -1) + alphabet[other];
      expect(verifyAckToken(altered, SECRET, NOW)).toMatchObject({ ok: false, reason: 'forged' });
    }
  });

  it('are forged under another secret', () => {
    const token = signAckToken(claims, SECRET);
    expect(verifyAckToken(token, 'another-secret-0123456789', NOW)).toEqual({
      ok: false,
      reason: 'forged',
      message: 'the link was not issued by Replywatch',
    });
    expect(verifyAckToken(token, '', NOW)).toMatchObject({ ok: false, reason: 'forged' });
  });

  it.each(['', 'abc', 'a.b.c', 'ab+c.def', 'abc.de/f', 'abc.def=', 'abc def.ghi', 'a..b'])(
    'are malformed: %j',
    (token) => {
      expect(verifyAckToken(token, SECRET, NOW)).toEqual({
        ok: false,
        reason: 'malformed',
        message: 'this is not an acknowledge link',
      });
    },
  );

  it('are malformed when longer than 2000 characters', () => {
    const token = signAckToken({ ...claims, recipient: 'x'.repeat(2000) }, SECRET);
    expect(verifyAckToken(token, SECRET, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it.each([
    ['not JSON', 'not json'],
    ['not an object', '42'],
    ['null', 'null'],
    ['missing the recipient', '{"n":"n1","a":"a1","e":1900000000}'],
    ['missing the expiry', '{"n":"n1","a":"a1","r":"r"}'],
    ['with a string expiry', '{"n":"n1","a":"a1","r":"r","e":"1900000000"}'],
    ['with a fractional expiry', '{"n":"n1","a":"a1","r":"r","e":1900000000.5}'],
    ['with a numeric alert', '{"n":"n1","a":1,"r":"r","e":1900000000}'],
  ])('are malformed when correctly signed but %s', (_what, json) => {
    expect(verifyAckToken(signRaw(json), SECRET, NOW)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
  });

  it('accept a correctly signed payload written by hand', () => {
    expect(
      verifyAckToken(signRaw('{"n":"n1","a":"a1","r":"r","e":1900000000}'), SECRET, NOW),
    ).toEqual({
      ok: true,
      claims: { notificationId: 'n1', alertId: 'a1', recipient: 'r', expiresAtMs: 1.9e12 },
    });
  });

  it('expire at the expiry second and after it', () => {
    const token = signAckToken(claims, SECRET);
    const expiry = NOW + 3_600_000;
    expect(verifyAckToken(token, SECRET, expiry - 1).ok).toBe(true);
    expect(verifyAckToken(token, SECRET, expiry)).toEqual({
      ok: false,
      reason: 'expired',
      message: 'the link expired at 2026-11-24T11:00:00.000Z',
    });
    expect(verifyAckToken(token, SECRET, expiry + 86_400_000)).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('check the signature before the expiry', () => {
    const token = signAckToken(claims, SECRET);
    expect(verifyAckToken(token, 'wrong-secret-0123456789', NOW + 7_200_000)).toMatchObject({
      reason: 'forged',
    });
  });

  it('cannot be signed with an empty secret', () => {
    expect(() => signAckToken(claims, '')).toThrow(RangeError);
  });

  it('round-trip arbitrary claims (property)', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.string({ maxLength: 64 }),
        fc.oneof(fc.emailAddress(), fc.string({ unit: 'binary', maxLength: 100 })),
        fc.integer({ min: 1_000, max: 10 * 365 * 86_400_000 }),
        fc.string({ minLength: 1, maxLength: 64 }),
        (notificationId, alertId, recipient, ttl, secret) => {
          const c: AckTokenClaims = { notificationId, alertId, recipient, expiresAtMs: NOW + ttl };
          expect(verifyAckToken(signAckToken(c, secret), secret, NOW)).toEqual({
            ok: true,
            claims: { ...c, expiresAtMs: Math.floor(c.expiresAtMs / 1000) * 1000 },
          });
        },
      ),
      { seed: 20261124, numRuns: 500 },
    );
  });
});
