import {
  backoffMs,
  contactStatus,
  formatAttainment,
  formatCountdown,
  formatDuration,
  STATUS_LABELS,
} from './format';

describe('dashboard formatting', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [45.9, '45s'],
    [60, '1m 00s'],
    [245, '4m 05s'],
    [3599, '59m 59s'],
    [3600, '1h 00m'],
    [4020, '1h 07m'],
    [86399, '23h 59m'],
    [183600, '2d 3h'],
  ])('formatDuration(%p) is %p', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it.each([
    [null, '—'],
    [245, 'in 4:05'],
    [0.2, 'in 0:01'],
    [3723, 'in 1:02:03'],
    [0, 'due now'],
    [-12, 'due now'],
  ])('formatCountdown(%p) is %p', (seconds, text) => {
    expect(formatCountdown(seconds)).toBe(text);
  });

  it.each([
    [null, '—'],
    [100, '100%'],
    [97.94, '97.9%'],
    [99.96, '100%'],
    [0, '0%'],
    [Number.NaN, '—'],
  ])('formatAttainment(%p) is %p', (percent, text) => {
    expect(formatAttainment(percent)).toBe(text);
  });

  it('backs off 1 s, 2 s, 4 s, 8 s, then 10 s', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(backoffMs)).toEqual([
      1000, 2000, 4000, 8000, 10000, 10000, 10000,
    ]);
  });

  it('maps queue states to statuses that each have an icon and words', () => {
    expect(
      (['waiting', 'at-risk', 'breached', 'paused'] as const).map((state) => contactStatus(state)),
    ).toEqual(['ok', 'at-risk', 'breached', 'paused']);
    const labels = Object.values(STATUS_LABELS);
    expect(new Set(labels.map((label) => label.icon)).size).toBe(labels.length);
    expect(labels.every((label) => label.text.length > 0)).toBe(true);
  });
});
