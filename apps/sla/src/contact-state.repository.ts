import type Redis from 'ioredis';
import type { Channel, Customer, Priority } from '@replywatch/contracts';
import { ContactKeys } from '@replywatch/redis';
import { APPLY_EVENT_LUA, CHECK_DEADLINE_LUA, MARK_BREACHED_LUA } from './contact-state.lua';

/** How an event changes a contact's first-response clock. */
export type EventKind = 'open' | 'reply' | 'resolve' | 'other';

export interface ApplyCommand {
  eventId: string;
  contactId: string;
  kind: EventKind;
  occurredAtMs: number;
  channel: Channel;
  source: string;
  priority: Priority;
  policyId: string;
  policyVersion: number;
  firstResponseDueMs: number;
  customer?: Customer;
}

/** The contact as it was when its clock stopped or fell due (compact field names from Redis). */
export interface ClockSnapshot {
  gen: number;
  os: number;
  fd: number;
  ch: Channel;
  src: string;
  pr: Priority;
  pid: string;
  pv: number;
  cu: string;
}

export type ApplyOutcome =
  | { a: 'noop'; why: string }
  | { a: 'opened'; gen: number; due: number }
  | ({ a: 'met' | 'cancelled'; at: number; fb: number } & ClockSnapshot);

export type DeadlineCheck = null | { a: 'early'; fd: number } | ({ a: 'due' } & ClockSnapshot);

interface ContactStateCommands {
  applyContactEvent(...args: (string | number)[]): Promise<string>;
  checkDeadline(...args: (string | number)[]): Promise<string | null>;
  markBreached(...args: (string | number)[]): Promise<number>;
}

type ScriptedRedis = Redis & ContactStateCommands;

/** Contact state in Redis: one hash per open contact plus sorted sets for the queue views. */
export class ContactStateRepository {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    readonly keys: ContactKeys,
    private readonly dedupeTtlSeconds: number,
    private readonly answeredTtlSeconds: number,
  ) {
    redis.defineCommand('applyContactEvent', { numberOfKeys: 7, lua: APPLY_EVENT_LUA });
    redis.defineCommand('checkDeadline', { numberOfKeys: 1, lua: CHECK_DEADLINE_LUA });
    redis.defineCommand('markBreached', { numberOfKeys: 3, lua: MARK_BREACHED_LUA });
    this.redis = redis as ScriptedRedis;
  }

  /** Apply a batch in one round trip; Redis runs the scripts in order, each atomically. */
  async applyAll(commands: readonly ApplyCommand[]): Promise<ApplyOutcome[]> {
    if (commands.length === 0) return [];
    const pipeline = this.redis.pipeline() as unknown as ContactStateCommands & {
      exec(): Promise<[Error | null, unknown][] | null>;
    };
    for (const command of commands) {
      void pipeline.applyContactEvent(
        this.keys.contact(command.contactId),
        this.keys.processedEvent(command.eventId),
        this.keys.waiting(),
        this.keys.waitingOnChannelPrefix(),
        this.keys.due(),
        this.keys.breached(),
        this.keys.clockGeneration(),
        command.kind,
        command.occurredAtMs,
        command.channel,
        command.source,
        command.priority,
        command.policyId,
        command.policyVersion,
        command.firstResponseDueMs,
        this.dedupeTtlSeconds,
        command.customer ? JSON.stringify(command.customer) : '',
        command.contactId,
        this.answeredTtlSeconds,
      );
    }
    const results = await pipeline.exec();
    if (results === null) throw new Error('Redis pipeline was aborted');
    return results.map(([error, value]) => {
      if (error) throw error;
      return JSON.parse(String(value)) as ApplyOutcome;
    });
  }

  async checkDeadline(contactId: string, gen: number, nowMs: number): Promise<DeadlineCheck> {
    const result = await this.redis.checkDeadline(this.keys.contact(contactId), gen, nowMs);
    return result === null ? null : (JSON.parse(result) as DeadlineCheck);
  }

  async markBreached(contactId: string, gen: number): Promise<boolean> {
    const marked = await this.redis.markBreached(
      this.keys.contact(contactId),
      this.keys.due(),
      this.keys.breached(),
      gen,
      contactId,
    );
    return marked === 1;
  }
}
