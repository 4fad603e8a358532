import type { Channel, Customer, Priority, SlaTarget } from '@replywatch/contracts';
import type { ContactClock } from './contact-clock';
import type { TargetClock } from './target-clock';

/**
 * The compact text of a `ContactClock` as kept in Redis (the `d` field of `rw:c:<contactId>`).
 * Memory per open contact is the budget, so the stored form:
 * - names fields by the short keys below (customer objects are kept as they are);
 * - leaves out `contactId` (it is the Redis key and is passed back to decode);
 * - leaves out values equal to their default (`normal` priority, `open` status, no tags, no
 *   clocks, false flags, zero elapsed time, a clock running since it started) and absent optionals;
 * - stores instants relative to `openedAt` (a clock's `runningSince` relative to its `startedAt`),
 *   flags as 1/0 and targets as one letter.
 * The first key `"~"` is the encoding version; text without it is the plain JSON written before
 * and still decodes. Decoding gives back the same object, optional fields absent where they were.
 */
export const CONTACT_CLOCK_ENCODING_VERSION = 2;
const VERSION_KEY = '~';

/** Long → short names of the stored `ContactClock` fields (each short name used once). */
export const CONTACT_CLOCK_KEYS = {
  channel: 'c',
  source: 's',
  priority: 'p',
  tags: 'g',
  customer: 'u',
  public: 'b',
  policyId: 'i',
  policyVersion: 'v',
  status: 't',
  openedAt: 'o',
  lastEventAt: 'e',
  paused: 'z',
  pausedAt: 'y',
  lastCustomerAt: 'l',
  firstRepliedAt: 'f',
  lastAgentReplyAt: 'a',
  assignee: 'w',
  team: 'm',
  resolutionElapsedMs: 'r',
  clocks: 'k',
  nextGen: 'n',
} as const satisfies Record<Exclude<keyof ContactClock, 'contactId'>, string>;

/** Long → short names of the `TargetClock` fields. */
export const TARGET_CLOCK_KEYS = {
  target: 't',
  gen: 'g',
  startedAt: 's',
  elapsedMs: 'e',
  runningSince: 'r',
  limitMs: 'm',
  business: 'b',
  warnAtMs: 'w',
  warned: 'a',
  breached: 'x',
} as const satisfies Record<keyof TargetClock, string>;

const TARGET_CODES = {
  first_response: 'f',
  next_response: 'n',
  resolution: 'r',
  callback: 'c',
} as const satisfies Record<SlaTarget, string>;
const TARGETS_BY_CODE = new Map<string, SlaTarget>(
  Object.entries(TARGET_CODES).map(([target, code]) => [code, target as SlaTarget]),
);

const DEFAULT_PRIORITY: Priority = 'normal';
const DEFAULT_STATUS: ContactClock['status'] = 'open';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json | undefined };
/** A stored object: keys whose value is undefined are left out by JSON.stringify. */
type Encoded = Record<string, Json | undefined>;

/** Stored text that claims the compact encoding but cannot be read as it. */
export class ContactClockCodecError extends Error {}

const flag = (value: boolean | undefined) => (value === undefined ? undefined : value ? 1 : 0);
const nonEmpty = <T>(values: T[]) => (values.length === 0 ? undefined : values);

function encodeTarget(clock: TargetClock, openedAt: number): Encoded {
  const K = TARGET_CLOCK_KEYS;
  const { runningSince, startedAt } = clock;
  return {
    [K.target]: TARGET_CODES[clock.target],
    [K.gen]: clock.gen,
    [K.startedAt]: startedAt === openedAt ? undefined : startedAt - openedAt,
    [K.elapsedMs]: clock.elapsedMs === 0 ? undefined : clock.elapsedMs,
    // Left out: running since it started; null: paused.
    [K.runningSince]:
      runningSince === null
        ? null
        : runningSince === startedAt
          ? undefined
          : runningSince - startedAt,
    [K.limitMs]: clock.limitMs,
    [K.business]: clock.business ? 1 : undefined,
    [K.warnAtMs]: nonEmpty(clock.warnAtMs),
    [K.warned]: clock.warned ? 1 : undefined,
    [K.breached]: clock.breached ? 1 : undefined,
  };
}

/** The compact stored text of a contact's state (see the top of this file). */
export function encodeContactClock(state: ContactClock): string {
  const K = CONTACT_CLOCK_KEYS;
  const { openedAt } = state;
  const since = (instant: number | undefined) =>
    instant === undefined ? undefined : instant - openedAt;
  const encoded: Encoded = {
    [VERSION_KEY]: CONTACT_CLOCK_ENCODING_VERSION,
    [K.channel]: state.channel,
    [K.source]: state.source,
    [K.priority]: state.priority === DEFAULT_PRIORITY ? undefined : state.priority,
    [K.tags]: nonEmpty(state.tags),
    [K.customer]: state.customer,
    [K.public]: flag(state.public),
    [K.policyId]: state.policyId,
    [K.policyVersion]: state.policyVersion,
    [K.status]: state.status === DEFAULT_STATUS ? undefined : state.status,
    [K.openedAt]: openedAt,
    [K.lastEventAt]: state.lastEventAt === openedAt ? undefined : state.lastEventAt - openedAt,
    [K.paused]: state.paused ? 1 : undefined,
    [K.pausedAt]: since(state.pausedAt),
    [K.lastCustomerAt]: since(state.lastCustomerAt),
    [K.firstRepliedAt]: since(state.firstRepliedAt),
    [K.lastAgentReplyAt]: since(state.lastAgentReplyAt),
    [K.assignee]: state.assignee,
    [K.team]: state.team,
    [K.resolutionElapsedMs]: state.resolutionElapsedMs,
    [K.clocks]: nonEmpty(state.clocks.map((clock) => encodeTarget(clock, openedAt))),
    [K.nextGen]: state.nextGen,
  };
  return JSON.stringify(encoded);
}

function isObject(value: unknown): value is Encoded {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ key: value }`, or `{}` when the value is undefined: optional fields stay absent. */
function present<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

/** Reads one stored object's fields by short name, checking each value's kind. */
class Reader {
  constructor(
    private readonly encoded: Encoded,
    private readonly where: string,
  ) {}

  private fail(key: string, expected: string): never {
    throw new ContactClockCodecError(`${this.where}: "${key}" is not ${expected}`);
  }

  number(key: string): number | undefined {
    const value = this.encoded[key];
    if (value === undefined) return undefined;
    return typeof value === 'number' ? value : this.fail(key, 'a number');
  }

  requiredNumber(key: string): number {
    return this.number(key) ?? this.fail(key, 'a number');
  }

  string(key: string): string | undefined {
    const value = this.encoded[key];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : this.fail(key, 'a string');
  }

  requiredString(key: string): string {
    return this.string(key) ?? this.fail(key, 'a string');
  }

  flag(key: string): boolean | undefined {
    const value = this.encoded[key];
    if (value === undefined) return undefined;
    return value === 1 ? true : value === 0 ? false : this.fail(key, '1 or 0');
  }

  array(key: string): Json[] {
    const value = this.encoded[key];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : this.fail(key, 'an array');
  }

  numbers(key: string): number[] {
    return this.array(key).map((item) =>
      typeof item === 'number' ? item : this.fail(key, 'a list of numbers'),
    );
  }

  strings(key: string): string[] {
    return this.array(key).map((item) =>
      typeof item === 'string' ? item : this.fail(key, 'a list of strings'),
    );
  }

  object(key: string): Encoded | undefined {
    const value = this.encoded[key];
    if (value === undefined) return undefined;
    return isObject(value) ? value : this.fail(key, 'an object');
  }

  /** Present and null, as opposed to left out. */
  isNull(key: string): boolean {
    return this.encoded[key] === null;
  }
}

function decodeTarget(stored: Json, openedAt: number, where: string): TargetClock {
  if (!isObject(stored)) throw new ContactClockCodecError(`${where}: a clock is not an object`);
  const K = TARGET_CLOCK_KEYS;
  const read = new Reader(stored, where);
  const code = read.requiredString(K.target);
  const target = TARGETS_BY_CODE.get(code);
  if (target === undefined) throw new ContactClockCodecError(`${where}: unknown target "${code}"`);
  const startedAt = openedAt + (read.number(K.startedAt) ?? 0);
  return {
    target,
    gen: read.requiredNumber(K.gen),
    startedAt,
    elapsedMs: read.number(K.elapsedMs) ?? 0,
    runningSince: read.isNull(K.runningSince)
      ? null
      : startedAt + (read.number(K.runningSince) ?? 0),
    limitMs: read.requiredNumber(K.limitMs),
    business: read.flag(K.business) ?? false,
    warnAtMs: read.numbers(K.warnAtMs),
    warned: read.flag(K.warned) ?? false,
    breached: read.flag(K.breached) ?? false,
  };
}

/**
 * A contact's state from its stored text: the compact encoding, or the plain JSON of a state
 * written before it (no version key), which is returned as parsed.
 */
export function decodeContactClock(text: string, contactId: string): ContactClock {
  const parsed: unknown = JSON.parse(text);
  if (!isObject(parsed) || !(VERSION_KEY in parsed)) return parsed as ContactClock;
  const where = `contact ${contactId}`;
  if (parsed[VERSION_KEY] !== CONTACT_CLOCK_ENCODING_VERSION) {
    throw new ContactClockCodecError(
      `${where}: stored state encoding ${JSON.stringify(parsed[VERSION_KEY])} is not one this version reads`,
    );
  }
  const K = CONTACT_CLOCK_KEYS;
  const read = new Reader(parsed, where);
  const openedAt = read.requiredNumber(K.openedAt);
  const at = (key: string) => {
    const offset = read.number(key);
    return offset === undefined ? undefined : openedAt + offset;
  };
  const customer = read.object(K.customer) as Customer | undefined;
  const status = read.string(K.status) ?? DEFAULT_STATUS;
  if (status !== 'open' && status !== 'resolved') {
    throw new ContactClockCodecError(`${where}: unknown status "${status}"`);
  }
  return {
    contactId,
    channel: read.requiredString(K.channel) as Channel,
    source: read.requiredString(K.source),
    priority: (read.string(K.priority) ?? DEFAULT_PRIORITY) as Priority,
    tags: read.strings(K.tags),
    ...present('customer', customer),
    ...present('public', read.flag(K.public)),
    policyId: read.requiredString(K.policyId),
    policyVersion: read.requiredNumber(K.policyVersion),
    status,
    openedAt,
    lastEventAt: at(K.lastEventAt) ?? openedAt,
    paused: read.flag(K.paused) ?? false,
    ...present('pausedAt', at(K.pausedAt)),
    ...present('lastCustomerAt', at(K.lastCustomerAt)),
    ...present('firstRepliedAt', at(K.firstRepliedAt)),
    ...present('lastAgentReplyAt', at(K.lastAgentReplyAt)),
    ...present('assignee', read.string(K.assignee)),
    ...present('team', read.string(K.team)),
    ...present('resolutionElapsedMs', read.number(K.resolutionElapsedMs)),
    clocks: read.array(K.clocks).map((clock) => decodeTarget(clock, openedAt, where)),
    nextGen: read.requiredNumber(K.nextGen),
  };
}
