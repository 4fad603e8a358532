import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

/**
 * A named ioredis connection. `forBullMq` connections must never give up on a command
 * (BullMQ requires `maxRetriesPerRequest: null`); ours fail after a few retries so the caller's
 * retry loop (and /health) see the outage instead of hanging.
 */
export function createRedisConnection(url: string, name: string, forBullMq = false): Redis {
  const logger = new Logger(`redis:${name}`);
  const redis = new Redis(url, {
    connectionName: `replywatch-${name}`,
    maxRetriesPerRequest: forBullMq ? null : 3,
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 3000),
  });
  let lastError = '';
  redis.on('error', (error: Error) => {
    // ioredis emits the same connection error on every retry; log each distinct one once.
    if (error.message !== lastError) logger.warn(`connection error: ${error.message}`);
    lastError = error.message;
  });
  redis.on('ready', () => {
    lastError = '';
  });
  return redis;
}
