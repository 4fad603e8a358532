import type { PbxEventFields } from './pbx-event.fields';
import { wholeSeconds } from './pbx-event.fields';
import type { PbxEventType, PbxReading } from './pbx-reading.types';
import {
  eventTime,
  instantFromEpochSeconds,
  instantFromIsoWithOffset,
} from './pbx-timestamp.parser';

/**
 * One line of Asterisk's queue_log: `time|callid|queuename|agent|event|data1|data2|…`.
 * https://docs.asterisk.org/Operation/Logging/Queue-Logs/
 */
export interface QueueLogEntry {
  /** Unix seconds (the file), or an ISO instant with offset (a database row). */
  time?: string;
  /** The caller channel's Uniqueid; `NONE` or `REALTIME` on lines about no call. */
  callId?: string;
  queue?: string;
  /** The queue member (`SIP/8007`, `Agent/1001`) or `NONE`. */
  agent?: string;
  /** The verb, upper-cased: ENTERQUEUE, CONNECT, ABANDON… */
  verb: string;
  data: string[];
  /** The caller id the sender kept from this call's ENTERQUEUE line (not a queue_log column). */
  callerId?: string;
}

export type QueueLogParse = { ok: true; entry: QueueLogEntry } | { ok: false; reason: string };

/** Verbs that end a call's wait without an answer, and which data field holds the wait. */
const UNANSWERED: Readonly<Record<string, { type: PbxEventType; waitField?: number }>> = {
  // ABANDON(position|origposition|waittime): the caller hung up while queued.
  ABANDON: { type: 'call.abandoned', waitField: 2 },
  // EXITWITHKEY(key|position|origposition|waittime): the caller pressed a key to leave the queue.
  EXITWITHKEY: { type: 'call.abandoned', waitField: 3 },
  // EXITWITHTIMEOUT(position|origposition|waittime): the queue's timeout expired.
  EXITWITHTIMEOUT: { type: 'call.missed', waitField: 2 },
  // EXITEMPTY(position|origposition|waittime): no reachable members were left.
  EXITEMPTY: { type: 'call.missed', waitField: 2 },
  // The caller could not join at all (the QUEUESTATUS values; Wazo's queue_log samples show them).
  FULL: { type: 'call.missed' },
  JOINEMPTY: { type: 'call.missed' },
  JOINUNAVAIL: { type: 'call.missed' },
};

const IGNORED_VERBS = new Map<string, string>([
  ['ENTERQUEUE', 'the caller entered the queue and is waiting'],
  ['RINGNOANSWER', "a queue member didn't pick up; the caller is still queued"],
  ['RINGCANCELED', 'the caller hung up while a member rang; ABANDON decides'],
  ['AGENTDUMP', 'a member hung up before the bridge; the caller is still queued'],
  ['SYSCOMPAT', "the member's channel could not be bridged; the caller's exit decides"],
  ['COMPLETECALLER', 'the call ended after an agent answered (CONNECT was the response)'],
  ['COMPLETEAGENT', 'the call ended after an agent answered (CONNECT was the response)'],
  ['TRANSFER', 'transferred after an agent answered'],
  ['BLINDTRANSFER', 'transferred after an agent answered'],
  ['ATTENDEDTRANSFER', 'transferred after an agent answered'],
  ['ADDMEMBER', 'queue member administration'],
  ['REMOVEMEMBER', 'queue member administration'],
  ['PAUSE', 'queue member administration'],
  ['UNPAUSE', 'queue member administration'],
  ['PAUSEALL', 'queue member administration'],
  ['UNPAUSEALL', 'queue member administration'],
  ['AGENTLOGIN', 'agent administration'],
  ['AGENTLOGOFF', 'agent administration'],
  ['AGENTCALLBACKLOGIN', 'agent administration'],
  ['AGENTCALLBACKLOGOFF', 'agent administration'],
  ['CONFIGRELOAD', 'queue administration'],
  ['QUEUESTART', 'queue administration'],
]);

/** Call ids that name no call. */
const NO_CALL = new Set(['NONE', 'REALTIME']);
const DATA_COLUMNS = ['data1', 'data2', 'data3', 'data4', 'data5'];

/**
 * `{"format":"queue_log","line":"1366720340|1366720340.303267|MYQUEUE|NONE|ABANDON|1|1|12"}`, or
 * the columns of the realtime queue_log table: time, callid, queuename, agent, event, and data as
 * a list, a `|`-joined string, or data1…data5. Either may add `callerid`.
 */
export function parseQueueLogEntry(fields: PbxEventFields): QueueLogParse {
  const callerId = fields.text('callerid');
  const line = fields.raw('line');
  if (line !== undefined) {
    if (typeof line !== 'string') return { ok: false, reason: 'queue_log line is not a string' };
    const parts = line.replace(/[\r\n]+$/, '').split('|');
    if (parts.length < 5) {
      return { ok: false, reason: 'queue_log line has fewer than 5 |-separated fields' };
    }
    const [time, callId, queue, agent, verb, ...data] = parts.map((part) => part.trim());
    return {
      ok: true,
      entry: { time, callId, queue, agent, verb: verb.toUpperCase(), data, callerId },
    };
  }
  const verb = fields.text('event');
  if (verb === undefined) return { ok: false, reason: 'queue_log entry without a line or event' };
  return {
    ok: true,
    entry: {
      time: fields.text('time'),
      callId: fields.id('callid'),
      queue: fields.text('queuename'),
      agent: fields.text('agent'),
      verb: verb.toUpperCase(),
      data: dataOf(fields),
      callerId,
    },
  };
}

function dataOf(fields: PbxEventFields): string[] {
  const data = fields.raw('data');
  if (Array.isArray(data)) {
    return data.map((value) =>
      typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '',
    );
  }
  if (typeof data === 'string') return data.split('|').map((value) => value.trim());
  return DATA_COLUMNS.map((column) => fields.text(column) ?? '');
}

/**
 * Caller ids by call id, from the ENTERQUEUE lines (`ENTERQUEUE(url|callerid|…)`) and `callerid`
 * fields of one delivery: the exit lines (ABANDON, EXITWITHTIMEOUT…) carry no caller id, so a
 * tailer that batches a call's lines lets its exit land on the caller's contact.
 */
export function queueLogCallers(entries: readonly QueueLogEntry[]): Map<string, string> {
  const callers = new Map<string, string>();
  for (const entry of entries) {
    if (entry.callId === undefined) continue;
    const callerId = entry.callerId ?? (entry.verb === 'ENTERQUEUE' ? entry.data[1] : undefined);
    if (callerId !== undefined && callerId !== '') callers.set(entry.callId, callerId);
  }
  return callers;
}

export function readQueueLogEntry(
  entry: QueueLogEntry,
  callers: ReadonlyMap<string, string>,
): PbxReading {
  const label = `queue_log ${entry.verb}`;
  const unanswered = Object.hasOwn(UNANSWERED, entry.verb) ? UNANSWERED[entry.verb] : undefined;
  const type = unanswered?.type ?? (entry.verb === 'CONNECT' ? 'agent.replied' : undefined);
  if (type === undefined) {
    const reason = IGNORED_VERBS.get(entry.verb);
    return reason === undefined
      ? { kind: 'unmappable', reason: `unknown queue_log event ${JSON.stringify(entry.verb)}` }
      : { kind: 'ignored', reason: `${label}: ${reason}` };
  }
  const callId = entry.callId;
  if (callId === undefined || callId === '' || NO_CALL.has(callId.toUpperCase())) {
    return { kind: 'unmappable', reason: `${label} without a call id` };
  }
  const time = eventTime('time', entry.time || undefined, (value) =>
    value.includes('-') ? instantFromIsoWithOffset(value) : instantFromEpochSeconds(value),
  );
  if (!time.ok) return { kind: 'unmappable', reason: `${label}: ${time.reason}` };
  const waitField = unanswered?.waitField;
  return {
    kind: 'call',
    call: {
      type,
      callId,
      occurredAt: time.occurredAt,
      callerId: entry.callerId ?? callers.get(callId),
      queue: named(entry.queue),
      durationSeconds: waitField === undefined ? undefined : wholeSeconds(entry.data[waitField]),
      // CONNECT's agent column is the member who answered.
      agentId: type === 'agent.replied' ? named(entry.agent) : undefined,
    },
  };
}

function named(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value.toUpperCase() === 'NONE' ? undefined : value;
}
