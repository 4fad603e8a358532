import fc from 'fast-check';
import { ackExpiresAt, DEFAULT_ACK_LEAD_MS } from './acknowledgement';

const ACKED = Date.parse('2026-11-24T10:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('ackExpiresAt', () => {
  it('lapses at the ack timeout when there is no pending breach', () => {
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED, ackTimeoutMs: HOUR })).toBe(ACKED + HOUR);
  });

  it('lapses a lead before the next breach when there is no timeout', () => {
    expect(DEFAULT_ACK_LEAD_MS).toBe(MINUTE);
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED, nextDueAtMs: ACKED + HOUR })).toBe(
      ACKED + HOUR - MINUTE,
    );
    expect(
      ackExpiresAt({ acknowledgedAtMs: ACKED, nextDueAtMs: ACKED + HOUR, leadMs: 10 * MINUTE }),
    ).toBe(ACKED + 50 * MINUTE);
  });

  it('takes whichever comes first when both apply', () => {
    expect(
      ackExpiresAt({ acknowledgedAtMs: ACKED, ackTimeoutMs: HOUR, nextDueAtMs: ACKED + 2 * HOUR }),
    ).toBe(ACKED + HOUR);
    expect(
      ackExpiresAt({ acknowledgedAtMs: ACKED, ackTimeoutMs: 3 * HOUR, nextDueAtMs: ACKED + HOUR }),
    ).toBe(ACKED + HOUR - MINUTE);
  });

  it('holds until resolved with neither', () => {
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED })).toBeUndefined();
  });

  it('ignores a breach that is already due', () => {
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED, nextDueAtMs: ACKED - MINUTE })).toBeUndefined();
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED, nextDueAtMs: ACKED })).toBeUndefined();
    expect(
      ackExpiresAt({ acknowledgedAtMs: ACKED, ackTimeoutMs: HOUR, nextDueAtMs: ACKED - MINUTE }),
    ).toBe(ACKED + HOUR);
  });

  it('lapses at the breach itself when it is closer than the lead', () => {
    // max(due - lead, min(due, acked + lead)): due - lead is already past, so the breach wins.
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED, nextDueAtMs: ACKED + 20_000 })).toBe(
      ACKED + 20_000,
    );
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED, nextDueAtMs: ACKED + MINUTE })).toBe(
      ACKED + MINUTE,
    );
    expect(ackExpiresAt({ acknowledgedAtMs: ACKED, nextDueAtMs: ACKED + 1 })).toBe(ACKED + 1);
  });

  it('lapses no earlier than the acknowledgement, no later than the timeout or breach (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.option(fc.integer({ min: 1, max: 7 * 24 * HOUR }), { nil: undefined }),
        fc.option(fc.integer({ min: -2 * HOUR, max: 7 * 24 * HOUR }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 2 * HOUR }), { nil: undefined }),
        (acked, timeout, dueOffset, lead) => {
          const due = dueOffset === undefined ? undefined : acked + dueOffset;
          const expires = ackExpiresAt({
            acknowledgedAtMs: acked,
            ackTimeoutMs: timeout,
            nextDueAtMs: due,
            leadMs: lead,
          });
          const hasDue = due !== undefined && due > acked;
          expect(expires === undefined).toBe(timeout === undefined && !hasDue);
          if (expires === undefined) return;
          expect(expires).toBeGreaterThanOrEqual(acked);
          if (timeout !== undefined) expect(expires).toBeLessThanOrEqual(acked + timeout);
          if (hasDue) expect(expires).toBeLessThanOrEqual(due);
        },
      ),
      { seed: 20261124, numRuns: 2000 },
    );
  });
});
