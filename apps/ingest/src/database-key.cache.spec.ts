import { createHash } from 'node:crypto';
import type { ApiKeyRole } from '@replywatch/persistence';
import { DatabaseKeyCache } from './database-key.cache';
import type { StoredKey } from './database-key.cache';

const digestOf = (key: string) => createHash('sha256').update(key, 'utf8').digest();

/** Table `api_key` as the loader sees it: counts loads (and when they started) and can be down. */
class FakeKeyTable {
  readonly keys = new Map<string, StoredKey>();
  readonly loadsAt: number[] = [];
  down = false;

  constructor(private readonly clock: { now: number }) {}

  add(key: string, role: ApiKeyRole, name: string): void {
    this.keys.set(key, { digest: digestOf(key), role, name });
  }

  readonly load = async (): Promise<StoredKey[]> => {
    this.loadsAt.push(this.clock.now);
    const rows = [...this.keys.values()]; // what the query sees when it starts
    await Promise.resolve();
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    return rows;
  };
}

function setUp(options: { refreshMs?: number } = {}) {
  const clock = { now: 1_000_000 };
  const table = new FakeKeyTable(clock);
  const logged: string[] = [];
  const warned: string[] = [];
  const cache = new DatabaseKeyCache(table.load, {
    refreshMs: options.refreshMs ?? 10000,
    now: () => clock.now,
    // Time passes only when the cache waits: each wait moves the clock to its end.
    sleep: async (ms) => {
      const until = clock.now + ms;
      await Promise.resolve();
      clock.now = Math.max(clock.now, until);
    },
    logger: { log: (m) => logged.push(m), warn: (m) => warned.push(m) },
  });
  const lookup = (key: string) => cache.lookup(digestOf(key));
  return { clock, table, cache, lookup, logged, warned };
}

describe('DatabaseKeyCache', () => {
  it('finds an active key with its role and name, then answers from memory', async () => {
    const { table, cache, lookup } = setUp();
    table.add('rw_connector_a', 'connector', 'phone-pbx');
    await cache.refresh();
    expect(await lookup('rw_connector_a')).toEqual({
      kind: 'found',
      role: 'connector',
      name: 'phone-pbx',
    });
    await lookup('rw_connector_a');
    expect(table.loadsAt).toHaveLength(1);
  });

  it('sees a key created after the last load on its first use (one reload)', async () => {
    const { clock, table, cache, lookup } = setUp();
    await cache.refresh();
    clock.now += 200; // a load ran 200 ms ago: the next may start 800 ms from now
    table.add('rw_connector_new', 'connector', 'crm');
    expect(await lookup('rw_connector_new')).toMatchObject({ kind: 'found', name: 'crm' });
    expect(table.loadsAt).toEqual([1_000_000, 1_001_000]);
  });

  it('does not take a load that started before the key existed as the answer', async () => {
    const { table, cache, lookup } = setUp();
    const running = cache.refresh();
    table.add('rw_connector_new', 'connector', 'crm');
    expect(await lookup('rw_connector_new')).toMatchObject({ kind: 'found', name: 'crm' });
    await running;
    expect(table.loadsAt).toHaveLength(2);
  });

  it('reloads at most once a second for unknown keys, however many arrive', async () => {
    const { clock, table, cache, lookup } = setUp();
    await cache.refresh();
    const flood = await Promise.all(
      Array.from({ length: 200 }, (_, i) => lookup(`rw_connector_bad-${i}`)),
    );
    expect(flood.every((answer) => answer.kind === 'unknown')).toBe(true);
    expect(table.loadsAt).toHaveLength(2); // the first load and one shared by all 200
    const start = clock.now;
    for (let i = 0; i < 50; i += 1) {
      await lookup(`rw_connector_bad-again-${i}`);
      clock.now += 100;
    }
    const during = table.loadsAt.filter((at) => at >= start);
    expect(during.length).toBeLessThanOrEqual(Math.ceil((clock.now - start) / 1000) + 1);
    for (let i = 1; i < table.loadsAt.length; i += 1) {
      expect(table.loadsAt[i] - table.loadsAt[i - 1]).toBeGreaterThanOrEqual(1000);
    }
  });

  it('drops a revoked key at the next reload', async () => {
    const { table, cache, lookup } = setUp();
    table.add('rw_connector_a', 'connector', 'phone-pbx');
    await cache.refresh();
    table.keys.delete('rw_connector_a');
    expect(await lookup('rw_connector_a')).toMatchObject({ kind: 'found' }); // until the reload
    await cache.refresh();
    expect(await lookup('rw_connector_a')).toEqual({ kind: 'unknown' });
  });

  it('keeps the keys it last loaded while PostgreSQL is down, and says so once', async () => {
    const { clock, table, cache, lookup, warned, logged } = setUp();
    table.add('rw_connector_a', 'connector', 'phone-pbx');
    await cache.refresh();
    table.down = true;
    for (let i = 0; i < 3; i += 1) {
      clock.now += 10000;
      await cache.refresh();
    }
    expect(await lookup('rw_connector_a')).toMatchObject({ kind: 'found', name: 'phone-pbx' });
    // A key it never loaded cannot be checked: 503 (the connector retries), not 401.
    expect(await lookup('rw_connector_other')).toEqual({ kind: 'unavailable' });
    expect(warned).toHaveLength(1);
    expect(warned[0]).toContain('keeping the 1 key(s) loaded');
    expect(warned[0]).not.toContain('rw_connector');

    table.down = false;
    clock.now += 10000;
    await cache.refresh();
    expect(await lookup('rw_connector_other')).toEqual({ kind: 'unknown' });
    expect(logged.filter((line) => line.includes('loaded from PostgreSQL'))).toHaveLength(2);
  });

  it('answers unavailable for every key when PostgreSQL was never reachable', async () => {
    const { table, cache, lookup, warned } = setUp();
    table.down = true;
    await cache.refresh();
    expect(await lookup('rw_connector_a')).toEqual({ kind: 'unavailable' });
    expect(warned[0]).toContain('only CONNECTOR_KEYS work');
  });

  describe('on a timer', () => {
    beforeEach(() => {
      jest.useFakeTimers();
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    it('loads at start, then every refreshMs, and stops', async () => {
      const { table, cache } = setUp({ refreshMs: 500 });
      cache.start();
      await jest.advanceTimersByTimeAsync(1600);
      expect(table.loadsAt).toHaveLength(4); // at 0, 500, 1000, 1500
      await cache.stop();
      await jest.advanceTimersByTimeAsync(2000);
      expect(table.loadsAt).toHaveLength(4);
    });
  });
});
