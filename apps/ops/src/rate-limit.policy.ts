/**
 * Fixed-window rate limiting, the maths only: which window an instant falls in, the Redis key
 * that counts it, and what a count means. No framework or I/O here; the clock is an argument.
 */

/** What one limit allows: `limit` hits per `windowMs` for each client of a bucket; 0 disables. */
export interface RateLimitRule {
  bucket: string;
  limit: number;
  windowMs: number;
}

export interface RateLimitWindow {
  /** `floor(now / windowMs)`: the same on every instance whose clock agrees. */
  index: number;
  /** When this window ends and its count starts again at zero (epoch ms). */
  resetsAt: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  /** Hits left in this window after this one (never negative). */
  remaining: number;
  /** Whole seconds until the window resets (at least 1): `RateLimit-Reset` and `Retry-After`. */
  resetSeconds: number;
}

/** How long a window's counter outlives the window, so a late INCR never starts a new count. */
export const RATE_LIMIT_KEY_GRACE_MS = 1000;

export function rateLimitWindow(now: number, windowMs: number): RateLimitWindow {
  if (!(windowMs > 0)) throw new RangeError(`windowMs must be positive, got ${windowMs}`);
  const index = Math.floor(now / windowMs);
  return { index, resetsAt: (index + 1) * windowMs };
}

/** `${prefix}:rl:${bucket}:${clientKey}:${windowIndex}`; the client key must not be a secret. */
export function rateLimitKey(
  prefix: string,
  bucket: string,
  clientKey: string,
  window: RateLimitWindow,
): string {
  return `${prefix}:rl:${bucket}:${clientKey}:${window.index}`;
}

/** The counter's time to live: the rest of the window plus a grace (clocks differ a little). */
export function rateLimitKeyTtlMs(now: number, window: RateLimitWindow): number {
  return Math.max(window.resetsAt - now, 1) + RATE_LIMIT_KEY_GRACE_MS;
}

/** `count` is the window's count including this hit: the hit is allowed while it is within the limit. */
export function rateLimitDecision(
  count: number,
  limit: number,
  now: number,
  window: RateLimitWindow,
): RateLimitDecision {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(limit - count, 0),
    resetSeconds: Math.max(Math.ceil((window.resetsAt - now) / 1000), 1),
  };
}

/** The `RateLimit-*` response headers of a decision, plus `Retry-After` when it refuses. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(decision.limit),
    'RateLimit-Remaining': String(decision.remaining),
    'RateLimit-Reset': String(decision.resetSeconds),
  };
  if (!decision.allowed) headers['Retry-After'] = String(decision.resetSeconds);
  return headers;
}
