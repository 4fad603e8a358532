import fc from 'fast-check';
import { CHANNELS } from '@replywatch/contracts';
import {
  decodeSegment,
  encodeSegment,
  QUEUE_STATES,
  queueViewEntry,
  segmentMatches,
} from './queue-view';
import type { QueueSegment } from './queue-view';

const segmentArbitrary: fc.Arbitrary<QueueSegment> = fc.record({
  state: fc.constantFrom(...QUEUE_STATES),
  channel: fc.constantFrom(...CHANNELS),
  priority: fc.string({ minLength: 1, maxLength: 20 }),
  team: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
  policyId: fc.string({ minLength: 1, maxLength: 40 }),
});

describe('queue view segments', () => {
  it('decode(encode(segment)) is the segment, whatever characters team and policy hold', () => {
    fc.assert(
      fc.property(segmentArbitrary, (segment) => {
        expect(decodeSegment(encodeSegment(segment))).toEqual(segment);
      }),
    );
  });

  it('keeps a team named "-" apart from no team', () => {
    const base = { state: 'waiting', channel: 'chat', priority: 'normal', policyId: 'p' } as const;
    expect(encodeSegment({ ...base, team: '-' })).not.toBe(
      encodeSegment({ ...base, team: undefined }),
    );
  });

  it('ignores registry fields it cannot read', () => {
    expect(decodeSegment('waiting|chat|normal|')).toBeUndefined();
    expect(decodeSegment('sleeping|chat|normal||p')).toBeUndefined();
    expect(decodeSegment('waiting|fax|normal||p')).toBeUndefined();
    expect(decodeSegment('waiting|chat|%E0%A4%A||p')).toBeUndefined();
  });

  it('matches a filter on every field it names and only those', () => {
    fc.assert(
      fc.property(segmentArbitrary, segmentArbitrary, (segment, other) => {
        expect(segmentMatches(segment, {})).toBe(true);
        expect(
          segmentMatches(segment, {
            channel: segment.channel,
            state: segment.state,
            priority: segment.priority,
            team: segment.team,
            policyId: segment.policyId,
          }),
        ).toBe(true);
        expect(segmentMatches(segment, { channel: other.channel })).toBe(
          segment.channel === other.channel,
        );
        expect(segmentMatches(segment, { policyId: other.policyId })).toBe(
          segment.policyId === other.policyId,
        );
      }),
    );
  });
});

describe('queueViewEntry', () => {
  const contact = { channel: 'email', priority: 'high', policyId: 'default' } as const;

  it('leaves out a contact nobody owes a reply and that is not paused', () => {
    expect(queueViewEntry({ ...contact, nextDeadline: 5 })).toBeUndefined();
  });

  it('names the state: paused before breached before at-risk before waiting', () => {
    const state = (extra: object) => queueViewEntry({ ...contact, waitingSince: 1, ...extra });
    expect(state({})?.segment.state).toBe('waiting');
    expect(state({ atRiskDue: 9 })?.segment.state).toBe('at-risk');
    expect(state({ atRiskDue: 9, breachedDue: 8 })?.segment.state).toBe('breached');
    expect(state({ breachedDue: 8, pausedSince: 3 })?.segment.state).toBe('paused');
  });

  it('orders by waiting since (or paused since) and by the next deadline', () => {
    expect(queueViewEntry({ ...contact, waitingSince: 10, nextDeadline: 99 })).toMatchObject({
      sinceMs: 10,
      deadlineMs: 99,
    });
    expect(queueViewEntry({ ...contact, pausedSince: 20 })).toMatchObject({
      sinceMs: 20,
      deadlineMs: undefined,
      segment: { state: 'paused', team: undefined },
    });
  });
});
