import type Redis from 'ioredis';
import type { SlaEvent } from '@replywatch/contracts';
import { decodeContactClock, encodeContactClock } from '@replywatch/sla-clock';
import type { ContactClock, QueuePlacement } from '@replywatch/sla-clock';
import { ContactKeys, encodeSegment, queueViewEntry } from '@replywatch/redis';
import { CLEAR_OUTBOX_LUA, SAVE_CONTACT_LUA } from './contact-state.lua';

/** A contact as loaded: its state, the version to compare on save, and unpublished SLA events. */
export interface StoredContact {
  version: string;
  state: ContactClock | undefined;
  outbox: SlaEvent[];
  /** The deadline its timer was scheduled for (the due index, written with the state). */
  nextDeadline: number | undefined;
}

export interface ContactWrite {
  contactId: string;
  expectedVersion: string;
  /** undefined deletes the contact. */
  state: ContactClock | undefined;
  outbox: SlaEvent[];
  placement: QueuePlacement;
  expireAfterSeconds: number;
  processedEventIds: string[];
}

interface ContactStateCommands {
  saveContact(...args: (string | number)[]): Promise<number>;
  clearOutbox(...args: (string | number)[]): Promise<number>;
}

type Pipeline = ContactStateCommands & { exec(): Promise<[Error | null, unknown][] | null> };
type ScriptedRedis = Redis & ContactStateCommands;

const toDeadline = (score: string | null | undefined) =>
  score == null ? undefined : Number(score);

const score = (value: number | undefined) => (value === undefined ? '' : String(value));

const DAY_MS = 86_400_000;

/** The contact's place in the ops queue view. One that will expire (idle, resolved) is not in it:
 * its index entries would outlive it. */
function queueEntryOf(write: ContactWrite) {
  if (write.state === undefined || write.expireAfterSeconds > 0) return undefined;
  const { state, placement } = write;
  // Field by field: spreading the whole state here cost more than the rest of the write.
  return queueViewEntry({
    channel: state.channel,
    priority: state.priority,
    team: state.team,
    policyId: state.policyId,
    waitingSince: placement.waitingSince,
    atRiskDue: placement.atRiskDue,
    breachedDue: placement.breachedDue,
    pausedSince: placement.pausedSince,
    nextDeadline: placement.nextDeadline,
  });
}

/** Contact state in Redis: one small hash per contact (version, JSON, outbox) plus queue indexes. */
export class ContactStateRepository {
  private readonly redis: ScriptedRedis;

  constructor(
    redis: Redis,
    readonly keys: ContactKeys,
    private readonly processedTtlSeconds: number,
  ) {
    redis.defineCommand('saveContact', { numberOfKeys: 7, lua: SAVE_CONTACT_LUA });
    redis.defineCommand('clearOutbox', { numberOfKeys: 2, lua: CLEAR_OUTBOX_LUA });
    this.redis = redis as ScriptedRedis;
  }

  /** Load contacts and which of the event ids were already applied, in one round trip. */
  async load(
    contactIds: readonly string[],
    eventIds: readonly string[] = [],
  ): Promise<{ contacts: Map<string, StoredContact>; processed: Set<string> }> {
    const unique = [...new Set(contactIds)];
    const pipeline = this.redis.pipeline();
    for (const id of unique) pipeline.hmget(this.keys.contact(id), 'v', 'd', 'o');
    for (const id of eventIds) pipeline.exists(this.keys.processedEvent(id));
    if (unique.length > 0) pipeline.zmscore(this.keys.due(), ...unique);
    const results = (await pipeline.exec()) ?? [];
    const [dueError, dueScores] = unique.length > 0 ? results[results.length - 1] : [null, []];
    if (dueError) throw dueError;
    const contacts = new Map<string, StoredContact>();
    unique.forEach((id, index) => {
      const [error, value] = results[index];
      if (error) throw error;
      const [version, data, outbox] = value as (string | null)[];
      contacts.set(id, {
        version: version ?? '',
        state: data ? decodeContactClock(data, id) : undefined,
        outbox: outbox ? (JSON.parse(outbox) as SlaEvent[]) : [],
        nextDeadline: toDeadline((dueScores as (string | null)[])[index]),
      });
    });
    const processed = new Set<string>();
    eventIds.forEach((id, index) => {
      const [error, value] = results[unique.length + index];
      if (error) throw error;
      if (value === 1) processed.add(id);
    });
    return { contacts, processed };
  }

  /** Compare-and-set each write; returns the ids of contacts whose version moved (not written). */
  async save(writes: readonly ContactWrite[], nowMs: number): Promise<Set<string>> {
    if (writes.length === 0) return new Set();
    const pipeline = this.redis.pipeline() as unknown as Pipeline;
    const k = this.keys;
    for (const write of writes) {
      const p = write.state === undefined ? {} : write.placement;
      const view = queueEntryOf(write);
      const opened = write.expectedVersion === '' ? write.state : undefined;
      void pipeline.saveContact(
        k.contact(write.contactId),
        k.due(),
        k.outbox(),
        k.queueViewPrefix(),
        k.queueSegments(),
        k.queueSeq(),
        k.openedPerDayPrefix(),
        write.expectedVersion,
        write.state === undefined ? '' : encodeContactClock(write.state),
        write.outbox.length === 0 ? '' : JSON.stringify(write.outbox),
        write.contactId,
        view === undefined ? '' : encodeSegment(view.segment),
        score(p.nextDeadline),
        write.expireAfterSeconds,
        nowMs,
        this.processedTtlSeconds,
        view === undefined ? '' : view.sinceMs,
        view?.deadlineMs === undefined ? '+inf' : view.deadlineMs,
        opened === undefined ? '' : Math.floor(opened.openedAt / DAY_MS),
        opened === undefined ? '' : `${new Date(opened.openedAt).getUTCHours()}:${opened.channel}`,
        ...write.processedEventIds.map((id) => k.processedEvent(id)),
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const conflicts = new Set<string>();
    results.forEach(([error, value], index) => {
      if (error) throw error;
      if (value === 0) conflicts.add(writes[index].contactId);
    });
    return conflicts;
  }

  async clearOutbox(contactId: string, publishedIds: readonly string[]): Promise<void> {
    if (publishedIds.length === 0) return;
    await this.redis.clearOutbox(
      this.keys.contact(contactId),
      this.keys.outbox(),
      contactId,
      ...publishedIds,
    );
  }

  /** Contacts whose next deadline is at or before `nowMs` (the sweep's safety net). */
  async dueBy(nowMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.due(), '-inf', nowMs, 'LIMIT', 0, limit);
  }

  /** Contacts with SLA events written but not yet confirmed published since before `beforeMs`. */
  async staleOutboxes(beforeMs: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.outbox(), '-inf', beforeMs, 'LIMIT', 0, limit);
  }

  /** Each contact's pending deadline (ms), or null when it has none. */
  async deadlinesOf(contactIds: readonly string[]): Promise<(number | null)[]> {
    if (contactIds.length === 0) return [];
    const scores = await this.redis.zmscore(this.keys.due(), ...contactIds);
    return scores.map((score) => (score === null ? null : Number(score)));
  }

  /** Contacts whose deadline falls in (`afterMs`, `untilMs`], earliest first, a page at a time. */
  async deadlinesBetween(
    afterMs: number,
    untilMs: number,
    offset: number,
    count: number,
  ): Promise<{ contactId: string; dueMs: number }[]> {
    const flat = await this.redis.zrangebyscore(
      this.keys.due(),
      Number.isFinite(afterMs) ? `(${afterMs}` : '-inf',
      Number.isFinite(untilMs) ? untilMs : '+inf',
      'WITHSCORES',
      'LIMIT',
      offset,
      count,
    );
    const out: { contactId: string; dueMs: number }[] = [];
    for (let i = 0; i < flat.length; i += 2)
      out.push({ contactId: flat[i], dueMs: Number(flat[i + 1]) });
    return out;
  }
}
