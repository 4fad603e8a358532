import { hmac, signatureMatches, withinReplayWindow } from './signature';

describe('signature helpers', () => {
  const expected = hmac('sha256', 'secret', 'body');

  it('accepts the right digest in hex or base64', () => {
    expect(signatureMatches(expected, expected.toString('hex'), 'hex')).toBe(true);
    expect(signatureMatches(expected, expected.toString('hex').toUpperCase(), 'hex')).toBe(true);
    expect(signatureMatches(expected, expected.toString('base64'), 'base64')).toBe(true);
  });

  it('refuses another digest, a truncated one and junk without throwing', () => {
    const other = hmac('sha256', 'other-secret', 'body');
    expect(signatureMatches(expected, other.toString('hex'), 'hex')).toBe(false);
    expect(signatureMatches(expected, expected.toString('hex').slice(0, 40), 'hex')).toBe(false);
    expect(signatureMatches(expected, 'not hex!', 'hex')).toBe(false);
    expect(signatureMatches(expected, '', 'base64')).toBe(false);
  });

  it('keeps provider timestamps within the replay window', () => {
    const now = Date.parse('2026-03-02T09:00:00Z');
    expect(withinReplayWindow(now / 1000 - 299, now, 300)).toBe(true);
    expect(withinReplayWindow(now / 1000 - 301, now, 300)).toBe(false);
    expect(withinReplayWindow(now / 1000 + 301, now, 300)).toBe(false);
    expect(withinReplayWindow(Number.NaN, now, 300)).toBe(false);
  });
});
