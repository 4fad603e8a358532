import fc from 'fast-check';
import { decodeQueueCursor, encodeQueueCursor, QueueCursorError } from './queue.repository';

describe('queue cursor', () => {
  it('round-trips the sort, the score (numbers and inf) and the contact id', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('wait' as const, 'time-left' as const),
        fc.oneof(fc.integer({ min: 0 }).map(String), fc.constant('inf')),
        fc.string({ minLength: 1 }),
        (sort, score, contactId) => {
          expect(decodeQueueCursor(encodeQueueCursor({ sort, score, contactId }), sort)).toEqual({
            sort,
            score,
            contactId,
          });
        },
      ),
    );
  });

  it('refuses a cursor of the other order, a forged score and garbage', () => {
    const cursor = encodeQueueCursor({ sort: 'wait', score: '12', contactId: 'c1' });
    expect(() => decodeQueueCursor(cursor, 'time-left')).toThrow(/sort=wait/);
    const forged = Buffer.from(JSON.stringify(['wait', '1) OR 1', 'c1'])).toString('base64url');
    expect(() => decodeQueueCursor(forged, 'wait')).toThrow(QueueCursorError);
    expect(() => decodeQueueCursor('%%%', 'wait')).toThrow(QueueCursorError);
    expect(() => decodeQueueCursor(Buffer.from('{}').toString('base64url'), 'wait')).toThrow(
      QueueCursorError,
    );
  });
});
