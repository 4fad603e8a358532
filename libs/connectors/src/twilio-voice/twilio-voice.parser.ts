import { validateContactEventInput, type ContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';
import { normaliseE164 } from './e164-phone.normaliser';
import { parseRfc2822 } from './rfc2822-date.parser';
import { decodeForm, firstValue, type FormParams } from './twilio-form.decoder';

export interface TwilioVoiceOptions {
  /** Names the Twilio account in contact ids instead of its AccountSid (printable ASCII). */
  accountLabel?: string;
  /**
   * The business side's own parties: agents' phones (any format that normalises to E.164), Voice
   * SDK identities such as `client:alice`, and any business line used as caller id on `<Dial>`.
   * A `<Dial>` leg to one of them is an agent being rung for the caller.
   */
  agentNumbers?: readonly string[];
  /**
   * The instant ingest received the request (ISO 8601), used as `occurredAt` when the payload has
   * no `Timestamp`: Twilio sends one on status callbacks, not on TwiML action requests such as
   * `<Record action>` and `<Enqueue action>`. Without either, the delivery is unmappable.
   */
  receivedAtIso?: string;
}

/** Who the customer is on this call leg, and what the leg is for the business. */
interface Parties {
  /** `inbound`: the customer called; `outbound`: the business called the customer; `agent-leg`: an agent was rung for the caller. */
  leg: 'inbound' | 'outbound' | 'agent-leg';
  /** The customer's E.164 number, a stable `client:`/`sip:` identity, or `call:<CallSid>` when withheld. */
  customerKey: string;
  customerPhone?: string;
  customerHandle?: string;
  agent?: string;
}

type CallEventType = 'call.missed' | 'call.abandoned' | 'voicemail.left';

type Outcome =
  | { kind: 'call'; type: CallEventType; idSuffix: string; durationSeconds?: number }
  | { kind: 'answered'; idSuffix: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unmappable'; reason: string };

const INTERMEDIATE_STATUSES = new Set(['queued', 'initiated', 'ringing']);
const RECORDING_SID_IN_URL = /\/Recordings\/(RE[0-9a-fA-F]{32})/;

/**
 * Maps one Twilio Voice delivery (a call status callback, or a `<Record>` / `<Enqueue>` action
 * request) to contact events. Pure: no clock, no I/O; the signature is checked before this runs.
 *
 * Contacts are keyed by the customer's number within the account (`twilio:<account>:<E.164>`), so
 * a missed call, its voicemail and the business's call back land on one contact. Event ids are
 * Twilio's own (`twilio:<CallSid>:<CallStatus>`), so a retried delivery dedupes.
 */
export function parseTwilioVoice(rawBody: Buffer, options: TwilioVoiceOptions = {}): ParseResult {
  const decoded = decodeForm(rawBody);
  if (!decoded.ok) return { kind: 'malformed', reason: decoded.reason };
  const params = decoded.params;

  const callSid = firstValue(params, 'CallSid');
  const accountSid = firstValue(params, 'AccountSid');
  if (!callSid) return { kind: 'malformed', reason: 'no CallSid: not a Twilio Voice request' };
  if (!accountSid) return { kind: 'malformed', reason: 'no AccountSid' };

  const callStatus = firstValue(params, 'CallStatus');
  if (callStatus === undefined) {
    const recordingStatus = firstValue(params, 'RecordingStatus');
    if (recordingStatus === undefined) return { kind: 'unmappable', reason: 'no CallStatus' };
    return recordingStatusCallback(recordingStatus);
  }

  const parties = resolveParties(params, callSid, options.agentNumbers ?? []);
  if (parties.kind !== 'resolved') return parties.result;

  const outcome = classify(params, callStatus, parties.parties.leg);
  if (outcome.kind === 'ignored' || outcome.kind === 'unmappable') return outcome;

  const occurredAt = occurredAtOf(params, options.receivedAtIso);
  if (!occurredAt.ok) return { kind: 'unmappable', reason: occurredAt.reason };

  const event = buildEvent({
    callSid,
    account: options.accountLabel ?? accountSid,
    occurredAt: occurredAt.iso,
    parties: parties.parties,
    outcome,
    params,
  });
  const validation = validateContactEventInput(event);
  if (!validation.ok) {
    const issues = validation.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    return { kind: 'unmappable', reason: `event fails the contact-event contract: ${issues}` };
  }
  return { kind: 'events', events: [event] };
}

/** Decides what the call leg means for the contact, before anything is built. */
function classify(params: FormParams, status: string, leg: Parties['leg']): Outcome {
  const queueResult = firstValue(params, 'QueueResult');
  if (queueResult !== undefined) return classifyQueueResult(params, queueResult, leg);
  const dialStatus = firstValue(params, 'DialCallStatus');
  if (dialStatus !== undefined) return classifyDialResult(dialStatus);

  const recordingSid = recordingSidOf(params);
  const hasRecording =
    recordingSid !== undefined || firstValue(params, 'RecordingUrl') !== undefined;
  // A recording on a call the customer placed is a voicemail (the `<Record>` action arrives with
  // `in-progress` when a key ended it); on a call the business placed it is a call recording.
  if (hasRecording && leg === 'inbound' && (status === 'completed' || status === 'in-progress')) {
    return {
      kind: 'call',
      type: 'voicemail.left',
      // Keyed by the recording, not the status, so one voicemail is one event however it ended.
      idSuffix: recordingSid === undefined ? `${status}:recording` : `voicemail:${recordingSid}`,
      durationSeconds: seconds(firstValue(params, 'RecordingDuration')),
    };
  }

  if (INTERMEDIATE_STATUSES.has(status)) {
    return { kind: 'ignored', reason: `intermediate call status ${status}` };
  }
  const callDuration = seconds(firstValue(params, 'CallDuration'));
  switch (status) {
    case 'in-progress':
      return leg === 'inbound' ? TWIML_ANSWERED : { kind: 'answered', idSuffix: status };
    case 'completed':
      if (callDuration === undefined) {
        return { kind: 'unmappable', reason: 'completed call without a CallDuration' };
      }
      if (callDuration > 0) {
        return leg === 'inbound' ? TWIML_ANSWERED : { kind: 'answered', idSuffix: status };
      }
      // Connected and hung up within the second: nobody was reached.
      return notAnswered(leg, 'call.abandoned', status, callDuration);
    case 'busy':
    case 'no-answer':
    case 'failed':
      return notAnswered(leg, 'call.missed', status, callDuration);
    case 'canceled':
      // "The call was hung up while it was queued or ringing."
      return notAnswered(leg, 'call.abandoned', status, callDuration);
    default:
      return { kind: 'unmappable', reason: `unknown CallStatus ${JSON.stringify(status)}` };
  }
}

/**
 * Twilio answers an inbound call as soon as its TwiML starts (an IVR menu, a queue, a voicemail
 * greeting), so the caller's own leg being in progress or completed says nothing about an agent:
 * a caller who gave up in the queue would count as answered. Agents answering shows up as a
 * `<Dial>`/`<Enqueue>` result or an agent leg instead.
 */
const TWIML_ANSWERED: Outcome = {
  kind: 'ignored',
  reason:
    'Twilio answered the inbound call (TwiML ran): only <Dial>/<Enqueue> results and agent legs show an agent answering',
};

function notAnswered(
  leg: Parties['leg'],
  type: 'call.missed' | 'call.abandoned',
  status: string,
  durationSeconds: number | undefined,
): Outcome {
  switch (leg) {
    case 'inbound':
      return { kind: 'call', type, idSuffix: status, durationSeconds };
    case 'outbound':
      return {
        kind: 'ignored',
        reason: `the business's call to the customer ended ${status}: the contact keeps waiting`,
      };
    case 'agent-leg':
      return {
        kind: 'ignored',
        reason: `the agent's leg ended ${status}: the caller's own leg decides the contact`,
      };
  }
}

/** `<Enqueue action>`: https://www.twilio.com/docs/voice/twiml/enqueue#attributes-action */
function classifyQueueResult(params: FormParams, result: string, leg: Parties['leg']): Outcome {
  if (leg !== 'inbound') {
    return { kind: 'ignored', reason: `queue result ${result} for a call the business placed` };
  }
  const idSuffix = `queue-${result}`;
  const durationSeconds = seconds(firstValue(params, 'QueueTime'));
  switch (result) {
    case 'hangup':
      return { kind: 'call', type: 'call.abandoned', idSuffix, durationSeconds };
    case 'queue-full':
    case 'error':
    case 'system-error':
      return { kind: 'call', type: 'call.missed', idSuffix, durationSeconds };
    case 'bridged':
    case 'redirected-from-bridged':
      return { kind: 'answered', idSuffix };
    case 'bridging-in-process':
    case 'leave':
    case 'redirected':
      return { kind: 'ignored', reason: `queue result ${result}: the call continues elsewhere` };
    default:
      return { kind: 'unmappable', reason: `unknown QueueResult ${JSON.stringify(result)}` };
  }
}

/**
 * `<Dial action>`: https://www.twilio.com/docs/voice/twiml/dial#action. Its RecordingUrl is the
 * recorded conversation, not a voicemail; a dial nobody answered lets the call go on (to
 * voicemail, another agent), so only the caller's own leg decides that the contact was missed.
 */
function classifyDialResult(dialStatus: string): Outcome {
  switch (dialStatus) {
    case 'completed':
    case 'answered':
      return { kind: 'answered', idSuffix: `dial-${dialStatus}` };
    case 'busy':
    case 'no-answer':
    case 'failed':
    case 'canceled':
      return { kind: 'ignored', reason: `dial ended ${dialStatus}: the call continues` };
    default:
      return { kind: 'unmappable', reason: `unknown DialCallStatus ${JSON.stringify(dialStatus)}` };
  }
}

/**
 * A `recordingStatusCallback` names only AccountSid, CallSid and Recording* fields: no caller, so
 * it cannot name the contact. Voicemails are read from the `<Record>` action request or the call
 * status callback, which carry From and To.
 */
function recordingStatusCallback(status: string): ParseResult {
  if (status !== 'completed') {
    return {
      kind: 'ignored',
      reason: `recording ${status}: only a completed recording is a voicemail`,
    };
  }
  return {
    kind: 'unmappable',
    reason:
      'recording status callback carries no caller number; map voicemails from the <Record> action or the call status callback',
  };
}

type PartiesResult =
  { kind: 'resolved'; parties: Parties } | { kind: 'other'; result: ParseResult };

function resolveParties(
  params: FormParams,
  callSid: string,
  agentNumbers: readonly string[],
): PartiesResult {
  const direction = firstValue(params, 'Direction');
  const from = firstValue(params, 'From') ?? firstValue(params, 'Caller');
  const to = firstValue(params, 'To') ?? firstValue(params, 'Called');
  const ours = businessSide(agentNumbers);
  // A withheld caller cannot be linked across calls: the call (the parent leg for a <Dial>) is the contact.
  const callKey = `call:${firstValue(params, 'ParentCallSid') ?? callSid}`;
  const internal = (reason: string): PartiesResult => ({
    kind: 'other',
    result: { kind: 'ignored', reason },
  });

  switch (direction) {
    case 'inbound':
      if (ours(from)) return internal("a call from one of the business's own numbers");
      return { kind: 'resolved', parties: { leg: 'inbound', ...identify(from, callKey) } };
    case 'outbound-api':
    case 'outbound-dial':
      if (direction === 'outbound-dial' && ours(to)) {
        if (ours(from)) {
          return internal("a leg between the business's own numbers: the caller's own leg decides");
        }
        return {
          kind: 'resolved',
          parties: { leg: 'agent-leg', agent: to, ...identify(from, callKey) },
        };
      }
      if (ours(to)) return internal("a call to one of the business's own numbers");
      return { kind: 'resolved', parties: { leg: 'outbound', ...identify(to, callKey) } };
    case undefined:
      return { kind: 'other', result: { kind: 'unmappable', reason: 'no Direction' } };
    default:
      return {
        kind: 'other',
        result: { kind: 'unmappable', reason: `unknown Direction ${JSON.stringify(direction)}` },
      };
  }
}

function identify(
  party: string | undefined,
  callKey: string,
): Pick<Parties, 'customerKey' | 'customerPhone' | 'customerHandle'> {
  const phone = normaliseE164(party);
  if (phone !== undefined) return { customerKey: phone, customerPhone: phone };
  const identity = party?.trim() ?? '';
  if (/^(client|sip):[\x21-\x7e]{1,150}$/i.test(identity)) {
    return { customerKey: identity, customerHandle: identity };
  }
  return { customerKey: callKey };
}

function businessSide(agentNumbers: readonly string[]): (party: string | undefined) => boolean {
  const phones = new Set(agentNumbers.map(normaliseE164).filter((p) => p !== undefined));
  const identities = new Set(agentNumbers.map((a) => a.trim()));
  return (party) => {
    if (party === undefined) return false;
    const phone = normaliseE164(party);
    return phone !== undefined ? phones.has(phone) : identities.has(party.trim());
  };
}

function occurredAtOf(
  params: FormParams,
  receivedAtIso: string | undefined,
): { ok: true; iso: string } | { ok: false; reason: string } {
  const timestamp = firstValue(params, 'Timestamp');
  if (timestamp !== undefined) {
    const iso = parseRfc2822(timestamp);
    return iso === undefined
      ? { ok: false, reason: `unreadable Timestamp ${JSON.stringify(timestamp)}` }
      : { ok: true, iso };
  }
  if (receivedAtIso !== undefined) return { ok: true, iso: receivedAtIso };
  return { ok: false, reason: 'no Timestamp in the request and no receivedAtIso passed' };
}

interface EventInput {
  callSid: string;
  account: string;
  occurredAt: string;
  parties: Parties;
  outcome: Extract<Outcome, { kind: 'call' } | { kind: 'answered' }>;
  params: FormParams;
}

function buildEvent({ callSid, account, occurredAt, parties, outcome, params }: EventInput) {
  const customer = {
    ...(parties.customerPhone !== undefined && { phone: parties.customerPhone }),
    ...(parties.customerHandle !== undefined && { handle: parties.customerHandle }),
  };
  const base = {
    eventId: `twilio:${callSid}:${outcome.idSuffix}`,
    contactId: `twilio:${account}:${parties.customerKey}`,
    channel: 'phone' as const,
    occurredAt,
    ...(Object.keys(customer).length > 0 && { customer }),
  };
  if (outcome.kind === 'answered') {
    const event: ContactEventInput = {
      ...base,
      type: 'agent.replied',
      ...(parties.agent !== undefined && { data: { agentId: parties.agent } }),
    };
    return event;
  }
  const from = partyForData(firstValue(params, 'From') ?? firstValue(params, 'Caller'));
  const to = partyForData(firstValue(params, 'To') ?? firstValue(params, 'Called'));
  const queue = firstValue(params, 'QueueSid');
  const data = {
    ...(from !== undefined && { from }),
    ...(to !== undefined && { to }),
    ...(outcome.durationSeconds !== undefined && { durationSeconds: outcome.durationSeconds }),
    ...(queue !== undefined && queue.length <= 100 && { queue }),
  };
  const event: ContactEventInput = { ...base, type: outcome.type, data };
  return event;
}

/** The contract caps `from`/`to` at 50 characters; a longer SIP URI is left out rather than cut. */
function partyForData(party: string | undefined): string | undefined {
  if (party === undefined) return undefined;
  const value = normaliseE164(party) ?? party.trim();
  return value !== '' && value.length <= 50 ? value : undefined;
}

function recordingSidOf(params: FormParams): string | undefined {
  const sid = firstValue(params, 'RecordingSid');
  if (sid !== undefined && sid !== '') return sid;
  return RECORDING_SID_IN_URL.exec(firstValue(params, 'RecordingUrl') ?? '')?.[1];
}

function seconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
