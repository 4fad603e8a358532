import type Redis from 'ioredis';
import type { HealthIndicator } from '@replywatch/platform';

export function redisHealthIndicator(redis: Redis): HealthIndicator {
  return {
    name: 'redis',
    async check() {
      if (redis.status !== 'ready') return { up: false, detail: `connection ${redis.status}` };
      const pong = await redis.ping();
      return { up: pong === 'PONG' };
    },
  };
}
