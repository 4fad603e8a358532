export interface BackoffPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Exponential backoff with full jitter: after failed attempt `n` (1-based), wait a uniform time in
 * [0, min(max, initial × 2^(n-1))), so many connectors recovering together do not retry in step.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` as milliseconds to wait: delta-seconds or an HTTP date (against `nowMs`); undefined
 * when absent or unreadable, so the caller falls back to its own backoff.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^[0-9]+$/.test(value)) return Number(value) * 1000;
  // HTTP dates end in GMT; without the check Date.parse would take "1.5" or "-1" for dates.
  const date = /GMT$/.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
