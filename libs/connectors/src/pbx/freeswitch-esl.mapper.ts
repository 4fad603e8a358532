import type { PbxEventFields } from './pbx-event.fields';
import { wholeSeconds } from './pbx-event.fields';
import type { PbxCall, PbxEventType, PbxReading } from './pbx-reading.types';
import {
  eventTime,
  instantFromEpochMicroseconds,
  instantFromEpochSeconds,
} from './pbx-timestamp.parser';

const CALLCENTER = 'callcenter::info';
/** mod_voicemail's `VM_EVENT_MAINT`. */
const VOICEMAIL = 'vm::maintenance';

/**
 * `CC-Cancel-Reason` of a `member-queue-end` with `CC-Cause: Cancel` (the caller left before
 * talking to an agent): the queue gave up (TIMEOUT, NO_AGENT_TIMEOUT), the caller hung up
 * (BREAK_OUT; NONE when the hangup raced an agent being found) or pressed an exit key.
 */
const CANCEL_REASONS: Readonly<Record<string, PbxEventType>> = {
  TIMEOUT: 'call.missed',
  NO_AGENT_TIMEOUT: 'call.missed',
  BREAK_OUT: 'call.abandoned',
  NONE: 'call.abandoned',
  EXIT_WITH_KEY: 'call.abandoned',
};

const IGNORED_ACTIONS = new Map<string, string>([
  ['member-queue-start', 'the caller joined the queue and is waiting'],
  ['agent-offering', 'an agent is being rung'],
  ['bridge-agent-end', 'the call with the agent ended (bridge-agent-start was the response)'],
  ['bridge-agent-fail', "an agent's leg failed; the caller is still queued"],
  ['members-count', 'queue statistics'],
  ['agent-status-change', 'agent administration'],
  ['agent-state-change', 'agent administration'],
]);

const IGNORED_EVENT_NAMES = new Map<string, string>([
  [
    'CHANNEL_HANGUP_COMPLETE',
    "a channel hangup doesn't tell a customer's call from an agent's own leg; mod_callcenter's member-queue-end decides",
  ],
  ['CHANNEL_HANGUP', 'channel lifecycle'],
  ['CHANNEL_CREATE', 'channel lifecycle'],
  ['CHANNEL_ANSWER', 'channel lifecycle (an IVR or queue answering is not an agent)'],
  ['CHANNEL_BRIDGE', 'channel lifecycle'],
  ['CHANNEL_UNBRIDGE', 'channel lifecycle'],
  ['MESSAGE_WAITING', 'mailbox counters; vm::maintenance leave-message names the caller'],
  ['HEARTBEAT', 'switch status'],
]);

/**
 * One FreeSWITCH event as the event socket writes it in JSON (`event json …`): header names as
 * keys, every value a string, `Event-Date-Timestamp` in microseconds.
 * mod_callcenter: https://developer.signalwire.com/freeswitch/FreeSWITCH-Explained/Modules/mod_callcenter_1049389
 */
export function readFreeSwitchEvent(fields: PbxEventFields): PbxReading {
  const name = fields.text('Event-Name');
  if (name === undefined) {
    return { kind: 'unmappable', reason: 'FreeSWITCH event without an Event-Name' };
  }
  if (name.toUpperCase() === 'CUSTOM') {
    const subclass = fields.text('Event-Subclass');
    if (subclass === CALLCENTER) return readCallcenter(fields);
    if (subclass === VOICEMAIL) return readVoicemail(fields);
    return {
      kind: 'unmappable',
      reason: `unknown FreeSWITCH CUSTOM event ${JSON.stringify(subclass ?? '')}`,
    };
  }
  const reason = IGNORED_EVENT_NAMES.get(name.toUpperCase());
  return reason === undefined
    ? { kind: 'unmappable', reason: `unknown FreeSWITCH event ${JSON.stringify(name)}` }
    : { kind: 'ignored', reason: `FreeSWITCH ${name}: ${reason}` };
}

function readCallcenter(fields: PbxEventFields): PbxReading {
  const action = fields.text('CC-Action') ?? '';
  const label = `FreeSWITCH ${CALLCENTER} ${action}`.trimEnd();
  if (action === 'bridge-agent-start') {
    return member(fields, label, 'agent.replied', { agentId: fields.text('CC-Agent') });
  }
  if (action === 'member-queue-end') return readMemberQueueEnd(fields, label);
  const reason = IGNORED_ACTIONS.get(action);
  return reason === undefined
    ? { kind: 'unmappable', reason: `unknown mod_callcenter CC-Action ${JSON.stringify(action)}` }
    : { kind: 'ignored', reason: `${label}: ${reason}` };
}

function readMemberQueueEnd(fields: PbxEventFields, label: string): PbxReading {
  const cause = fields.text('CC-Cause');
  if (cause === 'Terminated') {
    return {
      kind: 'ignored',
      reason: `${label} Terminated: the call ended after talking to an agent (bridge-agent-start was the response)`,
    };
  }
  if (cause !== 'Cancel') {
    return {
      kind: 'unmappable',
      reason: `${label}: unknown CC-Cause ${JSON.stringify(cause ?? '')}`,
    };
  }
  const reason = fields.text('CC-Cancel-Reason') ?? '';
  const type = Object.hasOwn(CANCEL_REASONS, reason) ? CANCEL_REASONS[reason] : undefined;
  if (type === undefined) {
    return {
      kind: 'unmappable',
      reason: `${label}: unknown CC-Cancel-Reason ${JSON.stringify(reason)}`,
    };
  }
  // Unix seconds: the wait is the difference.
  const joined = fields.integer('CC-Member-Joined-Time');
  const left = fields.integer('CC-Member-Leaving-Time');
  return member(fields, label, type, {
    durationSeconds:
      joined !== undefined && left !== undefined ? wholeSeconds(String(left - joined)) : undefined,
  });
}

function member(
  fields: PbxEventFields,
  label: string,
  type: PbxEventType,
  extra: Pick<PbxCall, 'durationSeconds' | 'agentId'>,
): PbxReading {
  // The caller's channel UUID: also VM-UUID when the same caller then leaves a voicemail.
  const callId = fields.id('CC-Member-Session-UUID');
  if (callId === undefined) {
    return { kind: 'unmappable', reason: `${label} without a CC-Member-Session-UUID` };
  }
  const time = eventTime(
    'Event-Date-Timestamp',
    fields.text('Event-Date-Timestamp'),
    instantFromEpochMicroseconds,
  );
  if (!time.ok) return { kind: 'unmappable', reason: `${label}: ${time.reason}` };
  return {
    kind: 'call',
    call: {
      type,
      callId,
      occurredAt: time.occurredAt,
      callerId: fields.text('CC-Member-CID-Number') ?? fields.text('Caller-Caller-ID-Number'),
      // Present when mod_callcenter attached the member channel's data to the event.
      dialled: fields.text('Caller-Destination-Number'),
      queue: fields.text('CC-Queue'),
      ...extra,
    },
  };
}

/**
 * mod_voicemail fires `leave-message` once a message is stored, with the caller's id and the
 * caller's session UUID as VM-UUID; its other maintenance actions (greetings, passwords, message
 * folders, MWI) concern the mailbox owner.
 */
function readVoicemail(fields: PbxEventFields): PbxReading {
  const action = fields.text('VM-Action') ?? '';
  const label = `FreeSWITCH ${VOICEMAIL} ${action}`.trimEnd();
  if (action !== 'leave-message') {
    return { kind: 'ignored', reason: `${label}: mailbox maintenance, not a new message` };
  }
  const callId = fields.id('VM-UUID');
  if (callId === undefined) return { kind: 'unmappable', reason: `${label} without a VM-UUID` };
  const headerTime = fields.text('Event-Date-Timestamp');
  const time =
    headerTime !== undefined
      ? eventTime('Event-Date-Timestamp', headerTime, instantFromEpochMicroseconds)
      : eventTime('VM-Timestamp', fields.text('VM-Timestamp'), instantFromEpochSeconds);
  if (!time.ok) return { kind: 'unmappable', reason: `${label}: ${time.reason}` };
  return {
    kind: 'call',
    call: {
      type: 'voicemail.left',
      callId,
      occurredAt: time.occurredAt,
      callerId: fields.text('VM-Caller-ID-Number'),
      dialled: fields.text('VM-User'),
      durationSeconds: fields.seconds('VM-Message-Len'),
    },
  };
}
