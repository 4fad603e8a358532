import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an acknowledge link carries: which page it was sent with, to whom, until when. */
export interface AckTokenClaims {
  /** The notification the link was sent in: a link works once, so this is its use key. */
  notificationId: string;
  alertId: string;
  /** Who was paged (an e-mail address or endpoint id): recorded as who acknowledged. */
  recipient: string;
  expiresAtMs: number;
}

export type AckTokenCheck =
  | { ok: true; claims: AckTokenClaims }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired'; message: string };

interface WireClaims {
  n: string;
  a: string;
  r: string;
  e: number;
}

const mac = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(payload, 'utf8').digest();

/** `<base64url claims>.<base64url HMAC-SHA256>`: URL-safe, and useless without the secret. */
export function signAckToken(claims: AckTokenClaims, secret: string): string {
  if (secret === '') throw new RangeError('ack link secret is empty');
  const wire: WireClaims = {
    n: claims.notificationId,
    a: claims.alertId,
    r: claims.recipient,
    e: Math.floor(claims.expiresAtMs / 1000),
  };
  const payload = Buffer.from(JSON.stringify(wire), 'utf8').toString('base64url');
  return `${payload}.${mac(payload, secret).toString('base64url')}`;
}

function isWireClaims(value: unknown): value is WireClaims {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.n === 'string' &&
    typeof v.a === 'string' &&
    typeof v.r === 'string' &&
    typeof v.e === 'number' &&
    Number.isSafeInteger(v.e)
  );
}

/** Checks the signature first (timing-safe), then the expiry; single use is the caller's store. */
export function verifyAckToken(token: string, secret: string, nowMs: number): AckTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 2 || token.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(parts[0] + parts[1])) {
    return { ok: false, reason: 'malformed', message: 'this is not an acknowledge link' };
  }
  const [payload, signature] = parts;
  // Compared as canonical text: base64url's spare bits would otherwise give one MAC four spellings.
  const expected = Buffer.from(mac(payload, secret).toString('base64url'), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'forged', message: 'the link was not issued by Replywatch' };
  }
  let wire: unknown;
  try {
    wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', message: 'this is not an acknowledge link' };
  }
  if (!isWireClaims(wire)) {
    return { ok: false, reason: 'malformed', message: 'this is not an acknowledge link' };
  }
  const claims: AckTokenClaims = {
    notificationId: wire.n,
    alertId: wire.a,
    recipient: wire.r,
    expiresAtMs: wire.e * 1000,
  };
  if (nowMs >= claims.expiresAtMs) {
    return {
      ok: false,
      reason: 'expired',
      message: `the link expired at ${new Date(claims.expiresAtMs).toISOString()}`,
    };
  }
  return { ok: true, claims };
}
