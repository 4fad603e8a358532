import { formatDuration, parseDurationSeconds } from './duration';

describe('durations', () => {
  it.each([
    ['90s', 90],
    ['15m', 900],
    ['1h30m', 5400],
    ['2d', 172800],
    ['0.5s', 0.5],
    [120, 120],
  ])('parses %p as %p seconds', (input, seconds) => {
    expect(parseDurationSeconds(input)).toBe(seconds);
  });

  it.each(['', '10', 'm', '5 minutes', '-5m', '0s', 0, -1, Number.NaN])('rejects %p', (input) => {
    expect(parseDurationSeconds(input)).toBeUndefined();
  });

  it('formats waits for people, two units at most', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(42.7)).toBe('42s');
    expect(formatDuration(3900)).toBe('1h 5m');
    expect(formatDuration(90061)).toBe('1d 1h');
  });
});
