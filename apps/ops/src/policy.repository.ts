import { readFileSync } from 'node:fs';
import type Redis from 'ioredis';
import { bumpChangedVersions } from '@replywatch/sla-clock';
import type { PolicyFileInput } from '@replywatch/sla-clock';
import type { ContactKeys } from '@replywatch/redis';

/** The policy document in Redis (set through this API), else the POLICY_FILE the services start with. */
export class PolicyRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ContactKeys,
    private readonly policyFile: string,
  ) {}

  async current(): Promise<{ source: 'api' | 'file'; document: PolicyFileInput }> {
    const text = await this.redis.get(this.keys.policyDocument());
    if (text) return { source: 'api', document: JSON.parse(text) as PolicyFileInput };
    return {
      source: 'file',
      document: JSON.parse(readFileSync(this.policyFile, 'utf8')) as PolicyFileInput,
    };
  }

  /** Store a validated document with changed policies re-versioned, and tell the SLA instances. */
  async save(document: PolicyFileInput): Promise<PolicyFileInput> {
    const previous = await this.current().catch(() => undefined);
    const versioned = bumpChangedVersions(previous?.document, document);
    await this.redis.set(this.keys.policyDocument(), JSON.stringify(versioned));
    await this.redis.publish(this.keys.policyChannel(), 'changed');
    return versioned;
  }
}
