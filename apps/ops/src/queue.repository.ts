import type Redis from 'ioredis';
import type { Channel } from '@replywatch/contracts';
import type { ContactClock } from '@replywatch/sla-clock';
import type { ContactKeys } from '@replywatch/redis';

export interface WaitingContact {
  contactId: string;
  channel: Channel;
  priority: string;
  policyId: string;
  /** The SLA targets whose clocks are running (e.g. first_response, resolution). */
  targets: string[];
  waitingSince: string;
  waitingSeconds: number;
  /** The next warning or breach instant, if one is pending. */
  nextDeadlineAt: string | null;
  atRisk: boolean;
  breached: boolean;
}

export interface QueuePage {
  total: number;
  contacts: WaitingContact[];
}

/** Reads the SLA service's queue indexes: a sorted-set range and one pipelined read, never a scan. */
export class QueueRepository {
  constructor(
    private readonly redis: Redis,
    private readonly keys: ContactKeys,
  ) {}

  async waiting(channel: Channel | undefined, limit: number, nowMs: number): Promise<QueuePage> {
    const index = channel ? this.keys.waitingOnChannel(channel) : this.keys.waiting();
    const [flat, total] = await Promise.all([
      this.redis.zrange(index, 0, limit - 1, 'WITHSCORES'),
      this.redis.zcard(index),
    ]);
    if (flat.length === 0) return { total, contacts: [] };
    const pipeline = this.redis.pipeline();
    const ids: string[] = [];
    const since: number[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      ids.push(flat[i]);
      since.push(Number(flat[i + 1]));
      pipeline.hget(this.keys.contact(flat[i]), 'd');
      pipeline.zscore(this.keys.due(), flat[i]);
      pipeline.zscore(this.keys.atRisk(), flat[i]);
      pipeline.zscore(this.keys.breached(), flat[i]);
    }
    const rows = (await pipeline.exec()) ?? [];
    const contacts: WaitingContact[] = [];
    ids.forEach((contactId, index) => {
      const [data, due, atRisk, breached] = rows
        .slice(index * 4, index * 4 + 4)
        .map(([, value]) => value) as (string | null)[];
      // A contact answered between the two reads is simply not waiting any more.
      if (!data) return;
      const state = JSON.parse(data) as ContactClock;
      contacts.push({
        contactId,
        channel: state.channel,
        priority: state.priority,
        policyId: state.policyId,
        targets: state.clocks.map((clock) => clock.target),
        waitingSince: new Date(since[index]).toISOString(),
        waitingSeconds: Math.max(0, Math.floor((nowMs - since[index]) / 1000)),
        nextDeadlineAt: due === null ? null : new Date(Number(due)).toISOString(),
        atRisk: atRisk !== null,
        breached: breached !== null,
      });
    });
    return { total, contacts };
  }
}
