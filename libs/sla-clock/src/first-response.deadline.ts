import type { Policy } from './policy.schema';

/** First-response due instant (epoch ms), in calendar time. */
export function firstResponseDueAt(policy: Policy, openedAtMs: number): number {
  return openedAtMs + Math.round(policy.targets.first_response * 1000);
}
