import type { FatigueRule } from './escalation-document.schema';

export type FatigueDecision = 'page' | 'digest';

/**
 * Page a target individually until it has had `maxPerWindow` pages on this channel within the
 * window; after that the alerts are collected into one digest. No rule: always page.
 */
export function fatigueDecision(
  rule: FatigueRule | undefined,
  pagesInWindow: number,
): FatigueDecision {
  return rule !== undefined && pagesInWindow >= rule.maxPerWindow ? 'digest' : 'page';
}

/** A digest opened now is sent when its hold ends, listing every alert that joined it. */
export function digestSendAt(rule: FatigueRule, openedAtMs: number): number {
  return openedAtMs + rule.hold;
}
