import { digestSendAt, fatigueDecision } from './fatigue';
import type { FatigueRule } from './escalation-document.schema';

const rule: FatigueRule = { maxPerWindow: 3, window: 600_000, hold: 60_000 };

describe('fatigueDecision', () => {
  it('always pages without a rule', () => {
    expect(fatigueDecision(undefined, 0)).toBe('page');
    expect(fatigueDecision(undefined, 1_000)).toBe('page');
  });

  it('pages below the maximum', () => {
    expect(fatigueDecision(rule, 0)).toBe('page');
    expect(fatigueDecision(rule, 2)).toBe('page');
  });

  it('digests at and above the maximum', () => {
    expect(fatigueDecision(rule, 3)).toBe('digest');
    expect(fatigueDecision(rule, 4)).toBe('digest');
    expect(fatigueDecision({ ...rule, maxPerWindow: 1 }, 1)).toBe('digest');
  });
});

describe('digestSendAt', () => {
  it('sends the digest when its hold ends', () => {
    const opened = Date.parse('2026-11-24T10:00:00Z');
    expect(digestSendAt(rule, opened)).toBe(opened + 60_000);
    expect(digestSendAt({ ...rule, hold: 300_000 }, opened)).toBe(
      Date.parse('2026-11-24T10:05:00Z'),
    );
  });
});
