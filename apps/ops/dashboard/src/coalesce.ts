/**
 * Runs `action` once for a burst of calls: `delayMs` after the first call of the burst, and never
 * sooner than `minGapMs` after the previous run. Unlike a plain debounce, a queue that keeps
 * changing cannot postpone the refresh for ever, and a busy queue costs at most one refresh per
 * `minGapMs` (each dashboard's requests count against its key's rate limit).
 */
export function coalesce(action: () => void, delayMs: number, minGapMs: number): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastRun = -Infinity;
  return () => {
    if (timer !== undefined) return;
    const wait = Math.max(delayMs, lastRun + minGapMs - Date.now());
    timer = setTimeout(() => {
      timer = undefined;
      lastRun = Date.now();
      action();
    }, wait);
  };
}
