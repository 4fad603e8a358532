import { Logger } from '@nestjs/common';
import type Redis from 'ioredis';
import type { ContactKeys } from '@replywatch/redis';
import type { HealthIndicator } from '@replywatch/platform';
import type { ResolvedPolicy } from '@replywatch/sla-clock';
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
    this.store.onChange = () => void this.recordVersions().catch(() => undefined);
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
      await this.recordVersions();
    } catch (error) {
      this.logger.warn(`cannot read policies from Redis: ${(error as Error).message}`);
    }
  }

  /**
   * Record the versions in force and learn the ones recorded before, so a contact started under a
   * version this instance never loaded (a restart, another instance) still gets exactly it.
   */
  async recordVersions(): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const [key, policy] of this.store.currentVersions()) {
      pipeline.hsetnx(this.keys.policyVersions(), key, JSON.stringify(policy));
    }
    await pipeline.exec();
    const recorded = await this.redis.hgetall(this.keys.policyVersions());
    this.store.rememberVersions(
      new Map(
        Object.entries(recorded).map(
          ([key, json]) => [key, JSON.parse(json) as ResolvedPolicy] as const,
        ),
      ),
    );
  }

  healthIndicator(): HealthIndicator {
    return {
      name: 'policies',
      check: async () => ({ up: true, detail: `${this.store.source}: ${this.store.describe()}` }),
    };
  }
}
