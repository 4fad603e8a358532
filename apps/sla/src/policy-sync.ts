import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ContactKeys } from '@replywatch/redis';
import type { HealthIndicator } from '@replywatch/platform';
import type { PolicyStore } from './policy.store';

/**
 * Keeps every SLA instance on the policies saved through the ops API: reads the document at
 * start, on each change notice (pub/sub), and every 30 s in case a notice was missed.
 */
export class PolicySync {
  private readonly logger = new Logger(PolicySync.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: PolicyStore,
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly keys: ContactKeys,
  ) {}

  async start(): Promise<void> {
    this.subscriber.on('message', () => void this.refresh());
    await this.subscriber.subscribe(this.keys.policyChannel()).catch((error: Error) => {
      this.logger.warn(`cannot subscribe to policy changes (polling only): ${error.message}`);
    });
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), 30000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.subscriber.disconnect();
  }

  async refresh(): Promise<void> {
    try {
      const text = await this.redis.get(this.keys.policyDocument());
      if (text) this.store.useApiDocument(text);
    } catch (error) {
      this.logger.warn(`cannot read policies from Redis: ${(error as Error).message}`);
    }
  }

  healthIndicator(): HealthIndicator {
    return {
      name: 'policies',
      check: async () => ({ up: true, detail: `${this.store.source}: ${this.store.describe()}` }),
    };
  }
}
