import fc from 'fast-check';
import Redis from 'ioredis';
import { ContactKeys, encodeSegment } from '@replywatch/redis';
import type { QueueSegment } from '@replywatch/redis';
import { TEST_REDIS_URL } from '../../../test/support/stack';
import { uniqueId } from '../../../test/support/unique';
import { QueueRepository } from './queue.repository';

interface Entry {
  id: string;
  segment: number;
  since: number;
  deadline: number | undefined;
}

/**
 * The page merge (a Lua k-way merge over segment sets) against an oracle: every contact sorted
 * by (score, id) in JavaScript. Small score ranges make ties; any page size walks all pages.
 */
describe('queue page merge in Redis', () => {
  const redis = new Redis(TEST_REDIS_URL);
  afterAll(() => redis.disconnect());

  const segments: QueueSegment[] = Array.from({ length: 60 }, (_, i) => ({
    state: (['waiting', 'at-risk', 'breached', 'paused'] as const)[i % 4],
    channel: (['phone', 'email', 'chat', 'social'] as const)[Math.floor(i / 4) % 4],
    priority: i % 3 === 0 ? 'high' : 'normal',
    team: i % 5 === 0 ? undefined : `team-${i % 5}`,
    policyId: `policy-${i % 2}`,
  }));

  const entryArbitrary = fc.record({
    segment: fc.integer({ min: 0, max: segments.length - 1 }),
    since: fc.integer({ min: 0, max: 20 }),
    deadline: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  });

  it('pages every matching contact once, in (score, id) order, for any data and page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entryArbitrary, { minLength: 0, maxLength: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.constantFrom('wait' as const, 'time-left' as const),
        fc.constantFrom('all', 'chat', 'paused'),
        async (raw, limit, sort, filter) => {
          const keys = new ContactKeys(uniqueId('merge'));
          const entries: Entry[] = raw.map((entry, i) => ({ ...entry, id: `c${i % 7}-${i}` }));
          const pipeline = redis.pipeline();
          for (const entry of entries) {
            const encoded = encodeSegment(segments[entry.segment]);
            pipeline.zadd(keys.queueView('w', encoded), entry.since, entry.id);
            pipeline.zadd(keys.queueView('d', encoded), entry.deadline ?? '+inf', entry.id);
            pipeline.hincrby(keys.queueSegments(), encoded, 1);
            pipeline.hset(keys.contact(entry.id), 'd', JSON.stringify({ clocks: [] }));
          }
          await pipeline.exec();
          const select = (segment: QueueSegment) =>
            filter === 'all' ||
            (filter === 'chat' ? segment.channel === 'chat' : segment.state === 'paused');
          const score = (entry: Entry) =>
            sort === 'wait' ? entry.since : (entry.deadline ?? Infinity);
          const expected = entries
            .filter((entry) => select(segments[entry.segment]))
            .sort((a, b) => score(a) - score(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
            .map((entry) => entry.id);

          const repository = new QueueRepository(redis, keys);
          const seen: string[] = [];
          let cursor: string | undefined;
          let total = -1;
          for (let page = 0; page < 200; page += 1) {
            const result = await repository.page(select, sort, limit, cursor, 0);
            total = result.total;
            seen.push(...result.contacts.map((contact) => contact.contactId));
            if (result.nextCursor === null) break;
            cursor = result.nextCursor;
          }
          expect(seen).toEqual(expected);
          expect(total).toBe(expected.length);
          const all = await redis.keys(`${keys.prefix}:*`);
          if (all.length > 0) await redis.del(...all);
        },
      ),
      { numRuns: 60 },
    );
  });
});
