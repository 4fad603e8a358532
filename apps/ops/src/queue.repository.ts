import type Redis from 'ioredis';
import type { Channel } from '@replywatch/contracts';
import type { ContactKeys } from '@replywatch/redis';

export interface WaitingContact {
  contactId: string;
  channel: Channel;
  priority: string;
  policyId: string;
  waitingSince: string;
  waitingSeconds: number;
  firstResponseDueAt: string;
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
    const [ids, total] = await Promise.all([
      this.redis.zrange(index, 0, limit - 1),
      this.redis.zcard(index),
    ]);
    if (ids.length === 0) return { total, contacts: [] };
    const pipeline = this.redis.pipeline();
    for (const id of ids)
      pipeline.hmget(this.keys.contact(id), 'ch', 'pr', 'pid', 'os', 'fd', 'fb', 'st');
    const rows = (await pipeline.exec()) ?? [];
    const contacts: WaitingContact[] = [];
    rows.forEach(([error, value], index) => {
      const fields = value as (string | null)[] | null;
      // A contact answered between the two reads is simply not waiting any more.
      if (error || !fields || fields[6] !== 'w') return;
      const openedAt = Number(fields[3]);
      contacts.push({
        contactId: ids[index],
        channel: fields[0] as Channel,
        priority: fields[1] ?? 'normal',
        policyId: fields[2] ?? '',
        waitingSince: new Date(openedAt).toISOString(),
        waitingSeconds: Math.max(0, Math.floor((nowMs - openedAt) / 1000)),
        firstResponseDueAt: new Date(Number(fields[4])).toISOString(),
        breached: fields[5] === '1',
      });
    });
    return { total, contacts };
  }
}
