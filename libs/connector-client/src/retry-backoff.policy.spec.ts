import { backoffDelayMs, retryAfterMs } from './retry-backoff.policy';

describe('retry backoff', () => {
  const policy = { initialBackoffMs: 200, maxBackoffMs: 10_000 };

  it('doubles the ceiling per attempt up to the cap, with full jitter below it', () => {
    const ceiling = (attempt: number) => backoffDelayMs(attempt, policy, () => 0.999999);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(ceiling)).toEqual([
      199, 399, 799, 1599, 3199, 6399, 9999, 9999,
    ]);
    expect(backoffDelayMs(5, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(200);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Mon, 02 Mar 2026 09:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Mon, 02 Mar 2026 08:59:00 GMT', now)).toBe(0);
  });

  it('falls back (undefined) when Retry-After is absent or unreadable', () => {
    expect(retryAfterMs(null, 0)).toBeUndefined();
    expect(retryAfterMs('soon', 0)).toBeUndefined();
    expect(retryAfterMs('-1', 0)).toBeUndefined();
    expect(retryAfterMs('1.5', 0)).toBeUndefined();
  });
});
