import type Redis from 'ioredis';
import { CHANNELS } from '@replywatch/contracts';
import type { Channel } from '@replywatch/contracts';
import { decodeContactClock } from '@replywatch/sla-clock';
import type { ContactClock } from '@replywatch/sla-clock';
import { decodeSegment } from '@replywatch/redis';
import type { ContactKeys, QueueSegment, QueueSort, QueueState } from '@replywatch/redis';
import { QUEUE_PAGE_LUA } from './queue-page.lua';

export interface WaitingContact {
  contactId: string;
  channel: Channel;
  priority: string;
  team: string | null;
  assignee: string | null;
  policyId: string;
  state: QueueState;
  /** The SLA targets whose clocks are running (e.g. first_response, resolution). */
  targets: string[];
  /** A handle, e-mail or phone number to recognise the customer by, when the event carried one. */
  customerName: string | null;
  waitingSince: string;
  waitingSeconds: number;
  /** The next warning or breach instant, if one is pending. */
  nextDeadlineAt: string | null;
  secondsLeft: number | null;
  atRisk: boolean;
  breached: boolean;
}

export interface QueuePage {
  total: number;
  contacts: WaitingContact[];
  nextCursor: string | null;
}

export interface QueueCounts {
  waiting: number;
  atRisk: number;
  breached: number;
  paused: number;
}

export interface QueueSnapshot {
  totals: QueueCounts;
  channels: Record<Channel, QueueCounts>;
}

export class QueueCursorError extends Error {}

interface Cursor {
  sort: QueueSort;
  score: string;
  contactId: string;
}

const SCORE = /^(-?\d+(\.\d+)?|[+-]?inf)$/;

export function encodeQueueCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.score, cursor.contactId])).toString(
    'base64url',
  );
}

export function decodeQueueCursor(raw: string, sort: QueueSort): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw new QueueCursorError('not a cursor this API returned');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string' ||
    !SCORE.test(parsed[1])
  ) {
    throw new QueueCursorError('not a cursor this API returned');
  }
  if (parsed[0] !== sort) {
    throw new QueueCursorError(`the cursor belongs to sort=${String(parsed[0])}, not sort=${sort}`);
  }
  return { sort, score: parsed[1], contactId: parsed[2] };
}

const emptyCounts = (): QueueCounts => ({ waiting: 0, atRisk: 0, breached: 0, paused: 0 });

function addTo(counts: QueueCounts, state: QueueState, count: number): void {
  if (state === 'paused') counts.paused += count;
  else {
    // "Waiting" counts everyone a human owes a reply: at risk and breached included.
    counts.waiting += count;
    if (state === 'at-risk') counts.atRisk += count;
    if (state === 'breached') counts.breached += count;
  }
}

function customerLabel(state: ContactClock): string | null {
  const customer = state.customer;
  return customer?.handle ?? customer?.email ?? customer?.phone ?? customer?.id ?? null;
}

type QueuePageCommand = (...args: (string | number)[]) => Promise<(string | number)[]>;

/**
 * Reads the queue view the SLA service maintains (see libs/redis queue-view.ts): the segment
 * registry for counts, a merge of the matching segment sets for a page. Never a scan.
 */
export class QueueRepository {
  private readonly queuePage: QueuePageCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keys: ContactKeys,
  ) {
    redis.defineCommand('replywatchQueuePage', { lua: QUEUE_PAGE_LUA });
    const scripted = redis as Redis & { replywatchQueuePage: QueuePageCommand };
    this.queuePage = (...args) => scripted.replywatchQueuePage(...args);
  }

  /** Every non-empty segment with its count (the registry is small: one field per combination). */
  async segments(): Promise<{ segment: QueueSegment; encoded: string; count: number }[]> {
    const registry = await this.redis.hgetall(this.keys.queueSegments());
    const out: { segment: QueueSegment; encoded: string; count: number }[] = [];
    for (const [encoded, raw] of Object.entries(registry)) {
      const segment = decodeSegment(encoded);
      const count = Number(raw);
      if (segment !== undefined && count > 0) out.push({ segment, encoded, count });
    }
    return out;
  }

  async snapshot(): Promise<QueueSnapshot> {
    const totals = emptyCounts();
    const channels = Object.fromEntries(CHANNELS.map((c) => [c, emptyCounts()])) as Record<
      Channel,
      QueueCounts
    >;
    for (const { segment, count } of await this.segments()) {
      addTo(totals, segment.state, count);
      addTo(channels[segment.channel], segment.state, count);
    }
    return { totals, channels };
  }

  /** The view's change counter: it moves whenever a contact enters, leaves or moves in it. */
  async changeSeq(): Promise<number> {
    return Number((await this.redis.get(this.keys.queueSeq())) ?? 0);
  }

  async page(
    select: (segment: QueueSegment) => boolean,
    sort: QueueSort,
    limit: number,
    cursor: string | undefined,
    nowMs: number,
  ): Promise<QueuePage> {
    const after = cursor === undefined ? undefined : decodeQueueCursor(cursor, sort);
    const matching = (await this.segments()).filter((entry) => select(entry.segment));
    const total = matching.reduce((sum, entry) => sum + entry.count, 0);
    if (matching.length === 0) return { total, contacts: [], nextCursor: null };
    const [order, other] = sort === 'wait' ? (['w', 'd'] as const) : (['d', 'w'] as const);
    const flat = await this.queuePage(
      matching.length * 2,
      ...matching.map((entry) => this.keys.queueView(order, entry.encoded)),
      ...matching.map((entry) => this.keys.queueView(other, entry.encoded)),
      after?.score ?? '-inf',
      after?.contactId ?? '',
      limit,
      this.keys.contact(''),
    );
    const contacts: WaitingContact[] = [];
    let last: Cursor | undefined;
    for (let i = 0; i < flat.length; i += 5) {
      const contactId = String(flat[i]);
      const score = String(flat[i + 1]);
      const otherScore = String(flat[i + 2]);
      const segment = matching[Number(flat[i + 3]) - 1].segment;
      const data = String(flat[i + 4]);
      last = { sort, score, contactId };
      // Left between the index read and the hash read: simply not waiting any more.
      if (data === '') continue;
      const state = decodeContactClock(data, contactId);
      const since = Number(sort === 'wait' ? score : otherScore);
      const deadlineRaw = sort === 'wait' ? otherScore : score;
      const deadline = /inf/.test(deadlineRaw) || deadlineRaw === '' ? null : Number(deadlineRaw);
      contacts.push({
        contactId,
        channel: segment.channel,
        priority: segment.priority,
        team: segment.team ?? null,
        assignee: state.assignee ?? null,
        policyId: segment.policyId,
        state: segment.state,
        targets: state.clocks.map((clock) => clock.target),
        customerName: customerLabel(state),
        waitingSince: new Date(since).toISOString(),
        waitingSeconds: Math.max(0, Math.floor((nowMs - since) / 1000)),
        nextDeadlineAt: deadline === null ? null : new Date(deadline).toISOString(),
        secondsLeft: deadline === null ? null : Math.floor((deadline - nowMs) / 1000),
        atRisk: segment.state === 'at-risk',
        breached: segment.state === 'breached',
      });
    }
    const full = flat.length / 5 === limit;
    return {
      total,
      contacts,
      nextCursor: full && last !== undefined ? encodeQueueCursor(last) : null,
    };
  }

  /** The longest wait among contacts a human owes a reply, per channel (seconds), for stats. */
  async oldestWaitSeconds(nowMs: number): Promise<Record<Channel, number | null>> {
    const pages = await Promise.all(
      CHANNELS.map((channel) =>
        this.page(
          (segment) => segment.channel === channel && segment.state !== 'paused',
          'wait',
          1,
          undefined,
          nowMs,
        ),
      ),
    );
    return Object.fromEntries(
      CHANNELS.map((channel, index) => [channel, pages[index].contacts[0]?.waitingSeconds ?? null]),
    ) as Record<Channel, number | null>;
  }
}
