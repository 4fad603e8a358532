import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import {
  rateLimitDecision,
  rateLimitKey,
  rateLimitKeyTtlMs,
  rateLimitWindow,
} from './rate-limit.policy';
import type { RateLimitDecision } from './rate-limit.policy';

/** Hits per minute allowed in each bucket (0: no limit). */
export interface RateLimits {
  /** `/ack/:token` requests per client address. */
  ack: number;
  /** `/v1` requests without a valid key per client address. */
  authFailures: number;
  /** `/v1` requests per API key. */
  api: number;
}

export type RateLimitBucket = keyof RateLimits;

/** The bucket's name in Redis keys and metric labels. */
export const RATE_LIMIT_BUCKET_NAMES: Record<RateLimitBucket, string> = {
  ack: 'ack',
  authFailures: 'auth-failures',
  api: 'api',
};

export const RATE_LIMIT_WINDOW_MS = 60_000;

const DOWN = new Set(['reconnecting', 'close', 'end']);

export interface RateLimiterOptions {
  windowMs?: number;
  /** A Redis that answers slower than this lets the request through (the limit fails open). */
  timeoutMs?: number;
  now?: () => number;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Fixed-window counters in Redis, shared by every ops instance: one MULTI (INCR + PEXPIRE) per
 * hit. When Redis is down or slow the request goes through: acknowledging an alert matters more
 * than limiting who does it. Each such hit is counted, and the outage is logged once.
 */
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly windowMs: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private failing = false;
  readonly limited: Counter<'bucket'>;
  readonly unavailable: Counter<'bucket'>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: RateLimits,
    registry: Registry,
    options: RateLimiterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? RATE_LIMIT_WINDOW_MS;
    this.timeoutMs = options.timeoutMs ?? 250;
    this.now = options.now ?? Date.now;
    this.limited = new Counter({
      name: 'replywatch_ops_rate_limited_total',
      help: 'Requests refused with 429, by bucket (ack, auth-failures, api)',
      labelNames: ['bucket'],
      registers: [registry],
    });
    this.unavailable = new Counter({
      name: 'replywatch_ops_rate_limit_unavailable_total',
      help: 'Requests let through unchecked because Redis did not answer the rate limiter',
      labelNames: ['bucket'],
      registers: [registry],
    });
  }

  /**
   * Counts one hit of `clientKey` (an address or a key fingerprint, never a secret) in `bucket`.
   * Undefined when the bucket has no limit or Redis could not count it: let the request through.
   */
  async hit(bucket: RateLimitBucket, clientKey: string): Promise<RateLimitDecision | undefined> {
    const limit = this.limits[bucket];
    if (limit <= 0) return undefined;
    const name = RATE_LIMIT_BUCKET_NAMES[bucket];
    // Lost the connection: ioredis would queue the command until it gives up; answer now instead.
    // (While it first connects, the command waits for it, within the timeout.)
    if (DOWN.has(this.redis.status)) return this.failOpen(name, `Redis is ${this.redis.status}`);
    const now = this.now();
    const window = rateLimitWindow(now, this.windowMs);
    const key = rateLimitKey(this.prefix, name, clientKey, window);
    let count: number;
    try {
      count = await withTimeout(this.count(key, rateLimitKeyTtlMs(now, window)), this.timeoutMs);
    } catch (error) {
      return this.failOpen(name, (error as Error).message);
    }
    if (this.failing) {
      this.failing = false;
      this.logger.log('Redis answers again: rate limits apply again');
    }
    const decision = rateLimitDecision(count, limit, now, window);
    if (!decision.allowed) this.limited.inc({ bucket: name });
    return decision;
  }

  private async count(key: string, ttlMs: number): Promise<number> {
    const results = await this.redis.multi().incr(key).pexpire(key, ttlMs).exec();
    const [error, count] = results?.[0] ?? [new Error('transaction discarded'), undefined];
    if (error) throw error;
    if (typeof count !== 'number') throw new Error(`INCR answered ${String(count)}`);
    return count;
  }

  private failOpen(bucket: string, why: string): undefined {
    this.unavailable.inc({ bucket });
    if (!this.failing) {
      this.failing = true;
      this.logger.warn(`rate limits are off until Redis answers (${why}): requests go through`);
    }
    return undefined;
  }
}
