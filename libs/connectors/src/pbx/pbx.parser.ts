import { validateContactEventInput, type ContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';
import { DeliveryOutcome } from '../delivery-outcome';
import { parseJson, stableId } from '../social-event.helpers';
import { readAmiEvent } from './asterisk-ami.mapper';
import type { QueueLogEntry } from './asterisk-queue-log.mapper';
import {
  parseQueueLogEntry,
  queueLogCallers,
  readQueueLogEntry,
} from './asterisk-queue-log.mapper';
import { readFreeSwitchEvent } from './freeswitch-esl.mapper';
import { isRecord, PbxEventFields } from './pbx-event.fields';
import { normalisePbxPhone } from './pbx-phone.normaliser';
import type { PbxCall, PbxReading } from './pbx-reading.types';

export interface PbxParseOptions {
  /** Names the PBX in contact and event ids (the `<account>` of `/v1/webhooks/pbx/<account>`). */
  account: string;
  /**
   * ISO 3166 alpha-2 country (`US`, `GB`, `DE`, `FR`, `NL`; see PBX_NATIONAL_NUMBER_COUNTRIES)
   * whose national numbers the PBX presents as caller ids; without it only `+…`/`00…` numbers
   * are read as phones.
   */
  defaultCountry?: string;
  /**
   * When ingest received the request (ISO 8601): `occurredAt` of an event without its own time
   * (AMI without `timestampevents = yes`). Without either, the event is unmappable.
   */
  receivedAtIso?: string;
}

/** More events than this in one request is a sender that should batch less. */
export const MAX_PBX_EVENTS_PER_DELIVERY = 500;

type Item =
  | { dialect: 'ami' | 'freeswitch'; fields: PbxEventFields }
  | { dialect: 'queue_log'; entry: QueueLogEntry }
  | { dialect: 'none'; reason: string };

/**
 * Maps one delivery of a PBX-side script (an AMI listener, a queue_log tailer, a FreeSWITCH event
 * socket listener) to contact events. Pure: no clock, no I/O; ingest authenticates the sender.
 *
 * The body is one event object, an array of them, or `{ "events": [...] }`; each object tells its
 * dialect by its fields: `format: "queue_log"`, `Event-Name` (FreeSWITCH) or `Event` (AMI).
 * Contacts are keyed by the caller's E.164 number within the account (`pbx:<account>:<E.164>`),
 * so a missed call, its voicemail and the call back land on one contact; a withheld caller is the
 * call itself (`pbx:<account>:call:<call id>`). Event ids are the PBX's call id and the event type
 * (`pbx:<account>:<call id>:<type>`), so a re-sent event dedupes.
 */
export function parsePbxWebhook(rawBody: Buffer, options: PbxParseOptions): ParseResult {
  const json = parseJson(rawBody);
  if (!json.ok) return { kind: 'malformed', reason: 'body is not JSON' };
  const envelope = itemsOf(json.value);
  if (!envelope.ok) return { kind: 'malformed', reason: envelope.reason };
  if (options.account.trim() === '') {
    return { kind: 'unmappable', reason: 'no PBX account label configured' };
  }

  const items = envelope.items.map(classify);
  const callers = queueLogCallers(
    items.flatMap((item) => (item.dialect === 'queue_log' ? [item.entry] : [])),
  );
  const outcome = new DeliveryOutcome();
  for (const item of items) {
    const reading = read(item, callers);
    switch (reading.kind) {
      case 'ignored':
        outcome.ignore(reading.reason);
        break;
      case 'unmappable':
        outcome.reject(reading.reason);
        break;
      case 'call':
        addCall(reading.call, options, outcome);
        break;
    }
  }
  return outcome.result();
}

/**
 * The envelope: a sender that posts something else entirely (not an event, a list, or
 * `{"events": [...]}`; too many at once) is misconfigured and told so (400). Problems with one
 * event of a list are the delivery's, dead-lettered whole.
 */
function itemsOf(value: unknown): { ok: true; items: unknown[] } | { ok: false; reason: string } {
  if (isRecord(value) && dialectOf(value) !== undefined) return { ok: true, items: [value] };
  const list = Array.isArray(value) ? value : isRecord(value) ? value.events : undefined;
  if (list === undefined) {
    return {
      ok: false,
      reason: isRecord(value)
        ? 'not a PBX event: no Event, Event-Name or format field'
        : 'body is neither a JSON object nor an array',
    };
  }
  if (!Array.isArray(list)) return { ok: false, reason: '"events" is not an array' };
  if (list.length > MAX_PBX_EVENTS_PER_DELIVERY) {
    return {
      ok: false,
      reason: `${list.length} events in one delivery; send at most ${MAX_PBX_EVENTS_PER_DELIVERY}`,
    };
  }
  return { ok: true, items: list };
}

type Dialect = 'queue_log' | 'freeswitch' | 'ami' | { unknownFormat: string };

function dialectOf(record: Record<string, unknown>): Dialect | undefined {
  const fields = new PbxEventFields(record);
  if (fields.has('format')) {
    const format = fields.text('format');
    return format === 'queue_log' ? 'queue_log' : { unknownFormat: format ?? '' };
  }
  if (fields.has('Event-Name')) return 'freeswitch';
  if (fields.has('Event')) return 'ami';
  return undefined;
}

function classify(value: unknown): Item {
  if (!isRecord(value)) return { dialect: 'none', reason: 'an event that is not a JSON object' };
  const dialect = dialectOf(value);
  const fields = new PbxEventFields(value);
  switch (dialect) {
    case undefined:
      return { dialect: 'none', reason: 'an event without an Event, Event-Name or format field' };
    case 'ami':
    case 'freeswitch':
      return { dialect, fields };
    case 'queue_log': {
      const parsed = parseQueueLogEntry(fields);
      return parsed.ok
        ? { dialect, entry: parsed.entry }
        : { dialect: 'none', reason: parsed.reason };
    }
    default:
      return { dialect: 'none', reason: `unknown format ${JSON.stringify(dialect.unknownFormat)}` };
  }
}

function read(item: Item, callers: ReadonlyMap<string, string>): PbxReading {
  switch (item.dialect) {
    case 'ami':
      return readAmiEvent(item.fields);
    case 'freeswitch':
      return readFreeSwitchEvent(item.fields);
    case 'queue_log':
      return readQueueLogEntry(item.entry, callers);
    case 'none':
      return { kind: 'unmappable', reason: item.reason };
  }
}

function addCall(call: PbxCall, options: PbxParseOptions, outcome: DeliveryOutcome): void {
  const occurredAt = call.occurredAt ?? options.receivedAtIso;
  if (occurredAt === undefined) {
    outcome.reject(
      `${call.type} of call ${call.callId}: no time in the event and no receivedAtIso`,
    );
    return;
  }
  const event = buildEvent(call, options, occurredAt);
  const validation = validateContactEventInput(event);
  if (!validation.ok) {
    const issues = validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    outcome.reject(`event fails the contact-event contract: ${issues}`);
    return;
  }
  outcome.add(event);
}

function buildEvent(
  call: PbxCall,
  options: PbxParseOptions,
  occurredAt: string,
): ContactEventInput {
  const phone = normalisePbxPhone(call.callerId, options.defaultCountry);
  const base = {
    eventId: stableId('pbx', options.account, call.callId, call.type),
    // A withheld or non-numeric caller cannot be linked across calls: the call is the contact.
    contactId: stableId('pbx', options.account, phone ?? `call:${call.callId}`),
    channel: 'phone' as const,
    occurredAt,
    ...(phone !== undefined && { customer: { phone } }),
  };
  if (call.type === 'agent.replied') {
    const agentId = within(call.agentId, 200);
    return { ...base, type: call.type, ...(agentId !== undefined && { data: { agentId } }) };
  }
  const from = phone ?? within(call.callerId, 50);
  const to = within(call.dialled, 50);
  const queue = within(call.queue, 100);
  const data = {
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(call.durationSeconds !== undefined && { durationSeconds: call.durationSeconds }),
    ...(queue !== undefined && { queue }),
  };
  return { ...base, type: call.type, ...(Object.keys(data).length > 0 && { data }) };
}

/** The contract caps these fields; a longer value is left out rather than cut. */
function within(value: string | undefined, max: number): string | undefined {
  return value !== undefined && value.length <= max ? value : undefined;
}
