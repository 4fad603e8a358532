import type { PbxEventFields } from './pbx-event.fields';
import type { PbxCall, PbxEventType, PbxReading } from './pbx-reading.types';
import { eventTime, instantFromEpochSeconds } from './pbx-timestamp.parser';

/**
 * `QUEUESTATUS` values set by `Queue()` when it returns to the dialplan without an agent having
 * answered: the caller timed out, could not join, or was put out because nobody could answer.
 * https://docs.asterisk.org/Latest_API/API_Documentation/Dialplan_Applications/Queue/
 */
const QUEUE_STATUS_MISSED = new Set([
  'TIMEOUT',
  'FULL',
  'JOINEMPTY',
  'LEAVEEMPTY',
  'JOINUNAVAIL',
  'LEAVEUNAVAIL',
]);
/** CONTINUE: answered, then the dialplan went on; WITHDRAW: an AMI action took the caller out. */
const QUEUE_STATUS_OTHER = new Set(['CONTINUE', 'WITHDRAW']);

/** AMI events that are understood and never a contact event by themselves (lower-cased names). */
const IGNORED_EVENTS = new Map<string, string>([
  ['queuecallerjoin', 'the caller joined the queue and is waiting'],
  ['queuecallerleave', 'the caller left the queue; the abandon, timeout or answer decides'],
  ['agentcalled', 'a queue member is being rung'],
  ['agentringnoanswer', "a queue member didn't answer; the caller is still queued"],
  ['agentdump', 'a queue member hung up before the bridge; the caller is still queued'],
  ['agentcomplete', 'the call ended after an agent answered (AgentConnect was the response)'],
  ['queuememberstatus', 'queue member administration'],
  ['queuememberadded', 'queue member administration'],
  ['queuememberremoved', 'queue member administration'],
  ['queuememberpause', 'queue member administration'],
  ['queuememberpenalty', 'queue member administration'],
  ['queuememberringinuse', 'queue member administration'],
  [
    'hangup',
    'a hangup alone does not say whether anyone answered; the queue events and VarSet decide',
  ],
  [
    'messagewaiting',
    "mailbox counters change when a message is left and when its owner listens; VarSet VMSTATUS=SUCCESS names the caller's channel",
  ],
  ['newchannel', 'channel lifecycle'],
  ['newstate', 'channel lifecycle'],
  ['dialbegin', 'a dial leg; the queue events decide'],
  ['dialend', 'a dial leg; the queue events decide'],
  ['bridgeenter', 'channel lifecycle'],
  ['bridgeleave', 'channel lifecycle'],
]);

/**
 * One Asterisk Manager Interface event, as a JSON object with AMI's own field names. Every event
 * read here describes the caller's channel (`Channel`, `CallerIDNum`, `Uniqueid`, `Linkedid`);
 * AgentConnect adds the member's as `Dest…`.
 * https://docs.asterisk.org/Latest_API/API_Documentation/AMI_Events/
 */
export function readAmiEvent(fields: PbxEventFields): PbxReading {
  const name = fields.text('Event');
  if (name === undefined) return { kind: 'unmappable', reason: 'AMI event without an Event name' };
  const label = `AMI ${name}`;
  switch (name.toLowerCase()) {
    case 'queuecallerabandon':
      // app_queue raises it (record_abandoned) when the caller hangs up, and also on a timeout or
      // an emptied queue, where QUEUESTATUS then adds call.missed: both mean a call back is owed.
      // HoldTime is the seconds waited (now − join time), though the generated docs call it
      // "seconds since 1970"; wholeSeconds drops an epoch-sized value.
      return call(fields, label, 'call.abandoned', { durationSeconds: fields.seconds('HoldTime') });
    case 'agentconnect':
      return call(fields, label, 'agent.replied', {
        agentId: fields.text('MemberName') ?? fields.text('Interface'),
      });
    case 'varset':
      return readVarSet(fields, label);
    default: {
      const reason = IGNORED_EVENTS.get(name.toLowerCase());
      return reason === undefined
        ? { kind: 'unmappable', reason: `unknown AMI event ${JSON.stringify(name)}` }
        : { kind: 'ignored', reason: `${label}: ${reason}` };
    }
  }
}

/**
 * Asterisk raises no AMI event for "the caller timed out of the queue" or "a voicemail was left";
 * the applications say so in channel variables, which AMI reports as VarSet on the caller's
 * channel: `QUEUESTATUS` when `Queue()` returns, `VMSTATUS` when `VoiceMail()` ends (SUCCESS
 * once a message at least `minsecs` long was saved, else FAILED or USEREXIT).
 */
function readVarSet(fields: PbxEventFields, label: string): PbxReading {
  const variable = fields.text('Variable')?.toUpperCase();
  const value = fields.text('Value')?.toUpperCase();
  if (variable === 'VMSTATUS') {
    return value === 'SUCCESS'
      ? call(fields, `${label} VMSTATUS=SUCCESS`, 'voicemail.left', {})
      : { kind: 'ignored', reason: `${label} VMSTATUS=${value ?? ''}: no message was left` };
  }
  if (variable === 'QUEUESTATUS') {
    if (value !== undefined && QUEUE_STATUS_MISSED.has(value)) {
      return call(fields, `${label} QUEUESTATUS=${value}`, 'call.missed', {});
    }
    if (value !== undefined && QUEUE_STATUS_OTHER.has(value)) {
      return { kind: 'ignored', reason: `${label} QUEUESTATUS=${value}: not a missed call` };
    }
    return { kind: 'unmappable', reason: `${label}: unknown QUEUESTATUS ${JSON.stringify(value)}` };
  }
  return { kind: 'ignored', reason: `${label}: a variable that is not a call outcome` };
}

function call(
  fields: PbxEventFields,
  label: string,
  type: PbxEventType,
  extra: Pick<PbxCall, 'durationSeconds' | 'agentId'>,
): PbxReading {
  // Linkedid is the oldest channel of the call: the same id across transfers and re-queues.
  const callId = fields.id('Linkedid') ?? fields.id('Uniqueid');
  if (callId === undefined) {
    return { kind: 'unmappable', reason: `${label} without a Linkedid or Uniqueid string` };
  }
  // Present when manager.conf has `timestampevents = yes`.
  const time = eventTime('Timestamp', fields.text('Timestamp'), instantFromEpochSeconds);
  if (!time.ok) return { kind: 'unmappable', reason: `${label}: ${time.reason}` };
  const exten = fields.text('Exten');
  return {
    kind: 'call',
    call: {
      type,
      callId,
      occurredAt: time.occurredAt,
      callerId: fields.text('CallerIDNum'),
      // `s` is the dialplan's start extension, not a number anyone dialled.
      dialled: exten === 's' ? undefined : exten,
      queue: fields.text('Queue'),
      ...extra,
    },
  };
}
