import Redis from 'ioredis';
import { Registry } from 'prom-client';
import { createRedisConnection } from '@replywatch/redis';
import { RateLimiter } from '../apps/ops/src/rate-limit.limiter';
import { startStack, TEST_ADMIN_KEY, TEST_OPS_KEY, TEST_REDIS_URL } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details: { bucket: string; limit: number; retryAfterSeconds: number }[];
  };
}

const MINUTE = 60_000;

/**
 * The counters are fixed one-minute windows: a sequence that must land in one window starts with
 * at least 15 s of it left (waiting at most 15 s), so a window boundary never splits it.
 */
const inOneWindow = () =>
  waitFor('at least 15 s left in this rate-limit window', () => Date.now() % MINUTE < 45_000, {
    timeoutMs: 20_000,
  });

/** Each test calls from its own address (ops trusts the loopback proxy), so counts never mix. */
let lastOctet = 10;
const newAddress = () => `198.51.100.${(lastOctet += 1)}`;

async function expectRateLimited(response: Response, bucket: string, limit: number) {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(response.headers.get('ratelimit-limit')).toBe(String(limit));
  expect(response.headers.get('ratelimit-remaining')).toBe('0');
  expect(response.headers.get('ratelimit-reset')).toBe(String(retryAfter));
  const body = (await response.json()) as ErrorBody;
  expect(body.error.code).toBe('OPS.RATE_LIMITED');
  expect(body.error.details).toEqual([{ bucket, limit, retryAfterSeconds: retryAfter }]);
}

/** Rate limits of the ops API, counted in the real Redis through the real HTTP stack. */
describe('ops API rate limits', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack(
      { policies: [{ id: 'default', targets: { first_response: '1h' } }] },
      ['ops'],
      {
        OPS_RATE_LIMIT_ACK_PER_MIN: '3',
        OPS_RATE_LIMIT_AUTH_FAILURES_PER_MIN: '3',
        OPS_RATE_LIMIT_API_PER_MIN: '4',
        OPS_TRUST_PROXY: 'loopback',
      },
    );
  });
  afterAll(async () => stack?.close());

  const ack = (from: string, method = 'GET') =>
    fetch(`${stack.urls.ops}/ack/not-a-token`, {
      method,
      headers: { accept: 'application/json', 'x-forwarded-for': from },
    });
  const v1 = (from: string, key: string | null) =>
    fetch(`${stack.urls.ops}/v1/alerts`, {
      headers: {
        'x-forwarded-for': from,
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      },
    });

  it('refuses the 4th acknowledge-link request of a minute from one address, with Retry-After', async () => {
    await inOneWindow();
    const address = newAddress();
    const statuses: string[] = [];
    for (const method of ['HEAD', 'GET', 'POST']) {
      const response = await ack(address, method);
      statuses.push(`${response.status} ${response.headers.get('ratelimit-remaining')}`);
    }
    expect(statuses).toEqual(['204 2', '400 1', '400 0']);
    await expectRateLimited(await ack(address), 'ack', 3);
    // Another address has its own count; the limit is shared through Redis, not per instance.
    expect((await ack(newAddress())).status).toBe(400);
    const keys = await stack.redis.keys(`${stack.id}:rl:ack:${address}:*`);
    expect(keys).toEqual([`${stack.id}:rl:ack:${address}:${Math.floor(Date.now() / MINUTE)}`]);
    expect(await stack.redis.get(keys[0])).toBe('4');
    const ttl = await stack.redis.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(MINUTE + 1000);
  });

  it('answers a flood of bad or missing keys with 429, while a valid key from there still works', async () => {
    await inOneWindow();
    const address = newAddress();
    const first = await v1(address, 'not-a-key-at-all-xyz');
    expect(first.status).toBe(401);
    expect(first.headers.get('ratelimit-remaining')).toBe('2');
    expect((await v1(address, null)).status).toBe(401);
    expect((await v1(address, 'still-not-a-key-xyz')).status).toBe(401);

    await expectRateLimited(await v1(address, 'yet-another-bad-key'), 'auth-failures', 3);
    await expectRateLimited(await v1(address, null), 'auth-failures', 3);

    const valid = await v1(address, TEST_ADMIN_KEY);
    expect(valid.status).toBe(200);
    expect(valid.headers.get('ratelimit-limit')).toBe('4'); // the key's own limit, not the address's
    // Failures from one address do not lock out the others.
    expect((await v1(newAddress(), null)).status).toBe(401);
  });

  it('limits each API key on its own, whatever address it calls from', async () => {
    await inOneWindow();
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 4; i += 1) {
      const response = await v1(newAddress(), TEST_OPS_KEY);
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    await expectRateLimited(await v1(newAddress(), TEST_OPS_KEY), 'api', 4);

    // A second key is counted separately: the runaway one does not starve it.
    expect((await v1(newAddress(), TEST_ADMIN_KEY)).status).toBe(200);
    // The key itself never reaches Redis: only its fingerprint names the counter.
    const keys = await stack.redis.keys(`${stack.id}:rl:api:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.every((key) => /^[^:]+:rl:api:[0-9a-f]{12}:\d+$/.test(key))).toBe(true);
    expect(keys.some((key) => key.includes(TEST_OPS_KEY) || key.includes(TEST_ADMIN_KEY))).toBe(
      false,
    );
  });
});

describe('RateLimiter against Redis', () => {
  const limits = { ack: 2, authFailures: 2, api: 0 };

  it('counts hits of one client in one window, and lets nothing be limited when off', async () => {
    const redis = createRedisConnection(TEST_REDIS_URL, 'rate-limit-test');
    const prefix = uniqueId('rl');
    try {
      await waitFor('Redis ready', () => redis.status === 'ready');
      const now = 10 * MINUTE + 30_000;
      const limiter = new RateLimiter(redis, prefix, limits, new Registry(), { now: () => now });
      const decisions = [
        await limiter.hit('ack', '192.0.2.1'),
        await limiter.hit('ack', '192.0.2.1'),
        await limiter.hit('ack', '192.0.2.1'),
      ];
      expect(decisions.map((d) => [d?.allowed, d?.remaining, d?.resetSeconds])).toEqual([
        [true, 1, 30],
        [true, 0, 30],
        [false, 0, 30],
      ]);
      expect(await redis.get(`${prefix}:rl:ack:192.0.2.1:10`)).toBe('3');
      expect(await limiter.hit('api', 'abc123abc123')).toBeUndefined();
      expect(await redis.exists(`${prefix}:rl:api:abc123abc123:10`)).toBe(0);
      expect(
        await limiter.limited.get().then((m) => m.values.find((v) => v.labels.bucket === 'ack')),
      ).toMatchObject({ value: 1 });
    } finally {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it('fails open at once when Redis cannot be reached, and counts what it let through', async () => {
    // Nothing listens on port 1. (A short disconnectTimeout: ioredis otherwise keeps the test
    // process alive for 2 s after disconnecting a client that never connected.)
    const redis = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 3,
      retryStrategy: (attempt) => Math.min(attempt * 200, 3000),
      disconnectTimeout: 50,
    });
    redis.on('error', () => undefined);
    try {
      const limiter = new RateLimiter(redis, uniqueId('rl'), limits, new Registry());
      const started = Date.now();
      for (let i = 0; i < 5; i += 1) expect(await limiter.hit('ack', '192.0.2.1')).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1000);
      const unavailable = await limiter.unavailable.get();
      expect(unavailable.values).toEqual([
        expect.objectContaining({ labels: { bucket: 'ack' }, value: 5 }),
      ]);
    } finally {
      redis.disconnect();
    }
  });
});
