import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256';

export function hmac(algorithm: HmacAlgorithm, key: string, data: string | Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

/**
 * Compare a received signature with the expected digest in constant time. The received value is
 * decoded first; a different length is a mismatch without a comparison that could leak timing.
 */
export function signatureMatches(
  expected: Buffer,
  received: string,
  encoding: 'hex' | 'base64',
): boolean {
  const text = received.trim();
  const valid =
    encoding === 'hex' ? /^[0-9a-fA-F]+$/.test(text) : /^[A-Za-z0-9+/]+={0,2}$/.test(text);
  if (!valid) return false;
  const given = Buffer.from(text, encoding);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Provider timestamps (seconds) must be within `windowSeconds` of now, so replays expire. */
export function withinReplayWindow(
  timestampSeconds: number,
  nowMs: number,
  windowSeconds: number,
): boolean {
  return (
    Number.isFinite(timestampSeconds) && Math.abs(nowMs / 1000 - timestampSeconds) <= windowSeconds
  );
}

/**
 * Constant-time equality of two secrets of any length (tokens, passwords): SHA-256 digests are
 * compared, so neither the length nor the first differing byte leaks through timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
