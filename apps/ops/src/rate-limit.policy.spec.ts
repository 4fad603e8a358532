import {
  RATE_LIMIT_KEY_GRACE_MS,
  rateLimitDecision,
  rateLimitHeaders,
  rateLimitKey,
  rateLimitKeyTtlMs,
  rateLimitWindow,
} from './rate-limit.policy';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 3, 9, 15, 0); // on a minute boundary

describe('rateLimitWindow', () => {
  it('puts every instant of a minute in one window, and the next minute in the next', () => {
    const first = rateLimitWindow(T0, MINUTE);
    expect(first).toEqual({ index: T0 / MINUTE, resetsAt: T0 + MINUTE });
    expect(rateLimitWindow(T0 + MINUTE - 1, MINUTE)).toEqual(first);
    expect(rateLimitWindow(T0 + MINUTE, MINUTE).index).toBe(first.index + 1);
    expect(rateLimitWindow(T0 - 1, MINUTE).index).toBe(first.index - 1);
  });

  it('refuses a window that is not positive', () => {
    expect(() => rateLimitWindow(T0, 0)).toThrow(RangeError);
    expect(() => rateLimitWindow(T0, Number.NaN)).toThrow(RangeError);
  });
});

describe('rateLimitKey', () => {
  it('is prefix:rl:bucket:client:window, so each window and client counts apart', () => {
    const window = rateLimitWindow(T0 + 5000, MINUTE);
    expect(rateLimitKey('rw', 'ack', '203.0.113.9', window)).toBe(
      `rw:rl:ack:203.0.113.9:${T0 / MINUTE}`,
    );
    expect(rateLimitKey('rw', 'api', '3e1f0c9a7b2d', window)).not.toBe(
      rateLimitKey('rw', 'api', '3e1f0c9a7b2d', rateLimitWindow(T0 + MINUTE, MINUTE)),
    );
  });
});

describe('rateLimitKeyTtlMs', () => {
  it('keeps the counter for the rest of its window plus a grace', () => {
    const window = rateLimitWindow(T0 + 45_000, MINUTE);
    expect(rateLimitKeyTtlMs(T0 + 45_000, window)).toBe(15_000 + RATE_LIMIT_KEY_GRACE_MS);
    expect(rateLimitKeyTtlMs(T0, rateLimitWindow(T0, MINUTE))).toBe(
      MINUTE + RATE_LIMIT_KEY_GRACE_MS,
    );
  });

  it('never gives a TTL of zero or less (PEXPIRE would delete the key)', () => {
    const window = rateLimitWindow(T0, MINUTE);
    expect(rateLimitKeyTtlMs(T0 + MINUTE + 5, window)).toBeGreaterThan(0);
  });
});

describe('rateLimitDecision', () => {
  const window = rateLimitWindow(T0, MINUTE);

  it('allows hits up to the limit and counts down what is left', () => {
    expect(rateLimitDecision(1, 3, T0 + 10_000, window)).toEqual({
      allowed: true,
      limit: 3,
      remaining: 2,
      resetSeconds: 50,
    });
    expect(rateLimitDecision(3, 3, T0 + 10_000, window)).toMatchObject({
      allowed: true,
      remaining: 0,
    });
  });

  it('refuses every hit past the limit until the window resets', () => {
    for (const count of [4, 5, 1000]) {
      expect(rateLimitDecision(count, 3, T0 + 10_000, window)).toEqual({
        allowed: false,
        limit: 3,
        remaining: 0,
        resetSeconds: 50,
      });
    }
  });

  it('rounds the time to reset up to whole seconds, at least 1', () => {
    expect(rateLimitDecision(9, 3, T0 + 10_001, window).resetSeconds).toBe(50);
    expect(rateLimitDecision(9, 3, T0 + MINUTE - 1, window).resetSeconds).toBe(1);
    expect(rateLimitDecision(9, 3, T0 + MINUTE, window).resetSeconds).toBe(1);
    expect(rateLimitDecision(9, 3, T0, window).resetSeconds).toBe(60);
  });
});

describe('rateLimitHeaders', () => {
  const window = rateLimitWindow(T0, MINUTE);

  it('names the limit, what is left and the reset; no Retry-After while allowed', () => {
    expect(rateLimitHeaders(rateLimitDecision(2, 30, T0 + 20_000, window))).toEqual({
      'RateLimit-Limit': '30',
      'RateLimit-Remaining': '28',
      'RateLimit-Reset': '40',
    });
  });

  it('adds Retry-After in seconds when refused', () => {
    expect(rateLimitHeaders(rateLimitDecision(31, 30, T0 + 20_500, window))).toEqual({
      'RateLimit-Limit': '30',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': '40',
      'Retry-After': '40',
    });
  });
});
