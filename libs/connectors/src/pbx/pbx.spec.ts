import { validateContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';
import {
  ABANDONED_CALL,
  AMI_AGENT_COMPLETE,
  AMI_AGENT_CONNECT,
  AMI_AGENT_RING_NO_ANSWER,
  AMI_HANGUP,
  AMI_MESSAGE_WAITING,
  AMI_QUEUE_CALLER_ABANDON,
  AMI_QUEUE_CALLER_JOIN,
  AMI_QUEUE_CALLER_LEAVE,
  AMI_VARSET_QUEUESTATUS_TIMEOUT,
  AMI_VARSET_VMSTATUS_SUCCESS,
  AMI_WITHHELD_ABANDON,
  ANSWERED_CALL,
  CALLER_E164,
  QUEUE_LOG_ABANDON,
  QUEUE_LOG_AGENTLOGIN,
  QUEUE_LOG_COMPLETECALLER,
  QUEUE_LOG_CONNECT,
  QUEUE_LOG_DOCS_SAMPLE,
  QUEUE_LOG_ENTERQUEUE,
  QUEUE_LOG_EXITEMPTY,
  QUEUE_LOG_EXITWITHKEY,
  QUEUE_LOG_EXITWITHTIMEOUT,
  TIMED_OUT_CALL,
  WAZO_JOINEMPTY_ROW,
  WITHHELD_CALL,
} from './fixtures/asterisk.fixtures';
import {
  CHANNEL_HANGUP_COMPLETE,
  DOCS_AGENT_OFFERING,
  DOCS_AGENT_STATE_CHANGE,
  DOCS_AGENT_STATUS_CHANGE,
  DOCS_BRIDGE_AGENT_END,
  DOCS_BRIDGE_AGENT_FAIL,
  DOCS_BRIDGE_AGENT_START,
  DOCS_MEMBER_QUEUE_END_TERMINATED,
  DOCS_MEMBER_QUEUE_END_TIMEOUT,
  DOCS_MEMBER_QUEUE_START,
  DOCS_MEMBERS_COUNT,
  MEMBER_QUEUE_END_TIMEOUT_STAMPED,
  VOICEMAIL_LEAVE_MESSAGE,
} from './fixtures/freeswitch.fixtures';
import { MAX_PBX_EVENTS_PER_DELIVERY, parsePbxWebhook, type PbxParseOptions } from './pbx.parser';

const ACCOUNT = 'acme-pbx';
const RECEIVED_AT = '2013-04-23T12:40:00.000Z';
const US: PbxParseOptions = { account: ACCOUNT, defaultCountry: 'US', receivedAtIso: RECEIVED_AT };

const queueLog = (line: string) => ({ format: 'queue_log', line });

function parse(payload: unknown, options: PbxParseOptions = US): ParseResult {
  return parsePbxWebhook(Buffer.from(JSON.stringify(payload), 'utf8'), options);
}

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

function onlyEvent(result: ParseResult) {
  const events = eventsOf(result);
  expect(events).toHaveLength(1);
  return events[0];
}

describe('parsePbxWebhook: Asterisk AMI', () => {
  it('maps QueueCallerAbandon to call.abandoned on the caller’s E.164 contact', () => {
    expect(onlyEvent(parse(AMI_QUEUE_CALLER_ABANDON))).toEqual({
      eventId: `pbx:${ACCOUNT}:${ABANDONED_CALL}:call.abandoned`,
      contactId: `pbx:${ACCOUNT}:${CALLER_E164}`,
      channel: 'phone',
      occurredAt: '2013-04-23T12:32:32.118Z',
      customer: { phone: CALLER_E164 },
      type: 'call.abandoned',
      data: { from: CALLER_E164, to: '600', durationSeconds: 12, queue: 'MYQUEUE' },
    });
  });

  it('maps AgentConnect to agent.replied, naming the member who answered', () => {
    expect(onlyEvent(parse(AMI_AGENT_CONNECT))).toEqual({
      eventId: `pbx:${ACCOUNT}:${ANSWERED_CALL}:agent.replied`,
      contactId: `pbx:${ACCOUNT}:+442079460018`,
      channel: 'phone',
      occurredAt: '2013-04-23T12:33:43.004Z',
      customer: { phone: '+442079460018' },
      type: 'agent.replied',
      data: { agentId: 'Alice' },
    });
  });

  it('falls back to the Interface when the member has no MemberName', () => {
    const { MemberName: _unused, ...withoutName } = AMI_AGENT_CONNECT;
    expect(onlyEvent(parse(withoutName)).data).toEqual({ agentId: 'PJSIP/8007' });
  });

  it('maps VarSet QUEUESTATUS=TIMEOUT to call.missed and VMSTATUS=SUCCESS to voicemail.left, on one contact', () => {
    const [missed, voicemail] = eventsOf(
      parse([AMI_VARSET_QUEUESTATUS_TIMEOUT, AMI_MESSAGE_WAITING, AMI_VARSET_VMSTATUS_SUCCESS]),
    );
    expect(missed).toEqual({
      eventId: `pbx:${ACCOUNT}:${TIMED_OUT_CALL}:call.missed`,
      contactId: `pbx:${ACCOUNT}:+14155550100`,
      channel: 'phone',
      occurredAt: '2013-04-23T12:37:00.010Z',
      customer: { phone: '+14155550100' },
      type: 'call.missed',
      data: { from: '+14155550100', to: '600' },
    });
    expect(voicemail).toEqual({
      eventId: `pbx:${ACCOUNT}:${TIMED_OUT_CALL}:voicemail.left`,
      contactId: `pbx:${ACCOUNT}:+14155550100`,
      channel: 'phone',
      occurredAt: '2013-04-23T12:37:35.884Z',
      customer: { phone: '+14155550100' },
      type: 'voicemail.left',
      // Exten `s` is the macro's start extension, not a number the caller dialled.
      data: { from: '+14155550100' },
    });
  });

  it('gives a timed-out caller call.abandoned (app_queue raises QueueCallerAbandon) and call.missed', () => {
    const abandonOnTimeout = {
      ...AMI_QUEUE_CALLER_ABANDON,
      Timestamp: '1366720620.009870',
      CallerIDNum: '4155550100',
      Uniqueid: TIMED_OUT_CALL,
      Linkedid: TIMED_OUT_CALL,
      HoldTime: '120',
    };
    const events = eventsOf(parse([abandonOnTimeout, AMI_VARSET_QUEUESTATUS_TIMEOUT]));
    expect(events.map(({ eventId, contactId }) => ({ eventId, contactId }))).toEqual([
      {
        eventId: `pbx:${ACCOUNT}:${TIMED_OUT_CALL}:call.abandoned`,
        contactId: `pbx:${ACCOUNT}:+14155550100`,
      },
      {
        eventId: `pbx:${ACCOUNT}:${TIMED_OUT_CALL}:call.missed`,
        contactId: `pbx:${ACCOUNT}:+14155550100`,
      },
    ]);
  });

  it.each(['FULL', 'JOINEMPTY', 'LEAVEEMPTY', 'JOINUNAVAIL', 'LEAVEUNAVAIL'])(
    'maps QUEUESTATUS=%s to call.missed',
    (status) => {
      const event = onlyEvent(parse({ ...AMI_VARSET_QUEUESTATUS_TIMEOUT, Value: status }));
      expect(event.type).toBe('call.missed');
      expect(event.eventId).toBe(`pbx:${ACCOUNT}:${TIMED_OUT_CALL}:call.missed`);
    },
  );

  it.each([
    [
      { ...AMI_VARSET_VMSTATUS_SUCCESS, Value: 'FAILED' },
      'AMI VarSet VMSTATUS=FAILED: no message was left',
    ],
    [
      { ...AMI_VARSET_VMSTATUS_SUCCESS, Value: 'USEREXIT' },
      'AMI VarSet VMSTATUS=USEREXIT: no message was left',
    ],
    [
      { ...AMI_VARSET_QUEUESTATUS_TIMEOUT, Value: 'CONTINUE' },
      'AMI VarSet QUEUESTATUS=CONTINUE: not a missed call',
    ],
    [
      { ...AMI_VARSET_QUEUESTATUS_TIMEOUT, Value: 'WITHDRAW' },
      'AMI VarSet QUEUESTATUS=WITHDRAW: not a missed call',
    ],
    [
      { ...AMI_VARSET_QUEUESTATUS_TIMEOUT, Variable: 'ABANDONED', Value: 'TRUE' },
      'AMI VarSet: a variable that is not a call outcome',
    ],
  ])('ignores VarSet %#', (event, reason) => {
    expect(parse(event)).toEqual({ kind: 'ignored', reason });
  });

  it('refuses a QUEUESTATUS it does not know', () => {
    expect(parse({ ...AMI_VARSET_QUEUESTATUS_TIMEOUT, Value: 'SOMETHINGNEW' })).toEqual({
      kind: 'unmappable',
      reason: 'AMI VarSet: unknown QUEUESTATUS "SOMETHINGNEW"',
    });
  });

  it.each([
    [AMI_QUEUE_CALLER_JOIN, 'AMI QueueCallerJoin: the caller joined the queue and is waiting'],
    [
      AMI_QUEUE_CALLER_LEAVE,
      'AMI QueueCallerLeave: the caller left the queue; the abandon, timeout or answer decides',
    ],
    [
      AMI_AGENT_RING_NO_ANSWER,
      "AMI AgentRingNoAnswer: a queue member didn't answer; the caller is still queued",
    ],
    [
      AMI_AGENT_COMPLETE,
      'AMI AgentComplete: the call ended after an agent answered (AgentConnect was the response)',
    ],
    [
      AMI_HANGUP,
      'AMI Hangup: a hangup alone does not say whether anyone answered; the queue events and VarSet decide',
    ],
    [
      AMI_MESSAGE_WAITING,
      "AMI MessageWaiting: mailbox counters change when a message is left and when its owner listens; VarSet VMSTATUS=SUCCESS names the caller's channel",
    ],
  ])('ignores informational event %#', (event, reason) => {
    expect(parse(event)).toEqual({ kind: 'ignored', reason });
  });

  it('refuses an AMI event it does not know, naming it', () => {
    expect(parse({ ...AMI_QUEUE_CALLER_JOIN, Event: 'Newexten' })).toEqual({
      kind: 'unmappable',
      reason: 'unknown AMI event "Newexten"',
    });
  });

  it('keys a withheld caller by the call, leaving the phone out', () => {
    expect(onlyEvent(parse(AMI_WITHHELD_ABANDON))).toEqual({
      eventId: `pbx:${ACCOUNT}:${WITHHELD_CALL}:call.abandoned`,
      contactId: `pbx:${ACCOUNT}:call:${WITHHELD_CALL}`,
      channel: 'phone',
      occurredAt: '2013-04-23T12:38:51.500Z',
      type: 'call.abandoned',
      data: { from: 'anonymous', to: '600', durationSeconds: 31, queue: 'MYQUEUE' },
    });
  });

  it('keys a national caller id by the call when no defaultCountry says whose it is', () => {
    const event = onlyEvent(parse(AMI_QUEUE_CALLER_ABANDON, { account: ACCOUNT }));
    expect(event.contactId).toBe(`pbx:${ACCOUNT}:call:${ABANDONED_CALL}`);
    expect(event.customer).toBeUndefined();
    expect(event.data).toEqual({
      from: '4155551212',
      to: '600',
      durationSeconds: 12,
      queue: 'MYQUEUE',
    });
  });

  it('uses receivedAtIso without timestampevents, and refuses an event with neither', () => {
    const { Timestamp: _unused, ...untimed } = AMI_QUEUE_CALLER_ABANDON;
    expect(onlyEvent(parse(untimed)).occurredAt).toBe(RECEIVED_AT);
    expect(parse(untimed, { account: ACCOUNT, defaultCountry: 'US' })).toEqual({
      kind: 'unmappable',
      reason: `call.abandoned of call ${ABANDONED_CALL}: no time in the event and no receivedAtIso`,
    });
  });

  it('refuses an unreadable Timestamp rather than guessing', () => {
    expect(parse({ ...AMI_QUEUE_CALLER_ABANDON, Timestamp: 'yesterday' })).toEqual({
      kind: 'unmappable',
      reason: 'AMI QueueCallerAbandon: unreadable Timestamp "yesterday"',
    });
  });

  it('reads lower-cased keys, as node asterisk-manager emits them', () => {
    const lowered = Object.fromEntries(
      Object.entries(AMI_QUEUE_CALLER_ABANDON).map(([key, value]) => [key.toLowerCase(), value]),
    );
    expect(parse(lowered)).toEqual(parse(AMI_QUEUE_CALLER_ABANDON));
  });

  it('takes Uniqueid without a Linkedid, and refuses numeric or missing call ids', () => {
    const { Linkedid: _unused, ...noLinkedid } = AMI_QUEUE_CALLER_ABANDON;
    expect(onlyEvent(parse(noLinkedid)).eventId).toBe(
      `pbx:${ACCOUNT}:${ABANDONED_CALL}:call.abandoned`,
    );
    // 1366720340.30 would arrive as 1366720340.3: a different id than queue_log's.
    expect(parse({ ...noLinkedid, Uniqueid: 1366720340.3 })).toEqual({
      kind: 'unmappable',
      reason: 'AMI QueueCallerAbandon without a Linkedid or Uniqueid string',
    });
  });
});

describe('parsePbxWebhook: Asterisk queue_log', () => {
  it('ignores the docs’ sample line (a member who did not pick up)', () => {
    expect(parse(queueLog(QUEUE_LOG_DOCS_SAMPLE))).toEqual({
      kind: 'ignored',
      reason: "queue_log RINGNOANSWER: a queue member didn't pick up; the caller is still queued",
    });
  });

  it('maps ABANDON to call.abandoned, keyed by the call when no caller id came with it', () => {
    expect(onlyEvent(parse(queueLog(QUEUE_LOG_ABANDON)))).toEqual({
      eventId: `pbx:${ACCOUNT}:${ABANDONED_CALL}:call.abandoned`,
      contactId: `pbx:${ACCOUNT}:call:${ABANDONED_CALL}`,
      channel: 'phone',
      occurredAt: '2013-04-23T12:32:32.000Z',
      type: 'call.abandoned',
      data: { durationSeconds: 12, queue: 'MYQUEUE' },
    });
  });

  const onCallersContact = {
    eventId: `pbx:${ACCOUNT}:${ABANDONED_CALL}:call.abandoned`,
    contactId: `pbx:${ACCOUNT}:${CALLER_E164}`,
    channel: 'phone',
    occurredAt: '2013-04-23T12:32:32.000Z',
    customer: { phone: CALLER_E164 },
    type: 'call.abandoned',
    data: { from: CALLER_E164, durationSeconds: 12, queue: 'MYQUEUE' },
  };

  it('takes the caller id from the ENTERQUEUE line of the same delivery', () => {
    expect(onlyEvent(parse([queueLog(QUEUE_LOG_ENTERQUEUE), queueLog(QUEUE_LOG_ABANDON)]))).toEqual(
      onCallersContact,
    );
  });

  it('takes the caller id the tailer added as `callerid`', () => {
    expect(onlyEvent(parse({ ...queueLog(QUEUE_LOG_ABANDON), callerid: '4155551212' }))).toEqual(
      onCallersContact,
    );
  });

  it('gives the same event and contact as AMI for the same call', () => {
    const fromAmi = onlyEvent(parse(AMI_QUEUE_CALLER_ABANDON));
    const fromLog = onlyEvent(parse([queueLog(QUEUE_LOG_ENTERQUEUE), queueLog(QUEUE_LOG_ABANDON)]));
    expect(fromLog.eventId).toBe(fromAmi.eventId);
    expect(fromLog.contactId).toBe(fromAmi.contactId);
  });

  it.each([
    [QUEUE_LOG_EXITWITHTIMEOUT, 'call.missed', '2013-04-23T12:37:00.000Z', 120],
    [QUEUE_LOG_EXITEMPTY, 'call.missed', '2013-04-23T12:36:45.000Z', 105],
    [QUEUE_LOG_EXITWITHKEY, 'call.abandoned', '2013-04-23T12:35:40.000Z', 40],
  ])('maps %s', (line, type, occurredAt, durationSeconds) => {
    expect(onlyEvent(parse(queueLog(line)))).toEqual({
      eventId: `pbx:${ACCOUNT}:${TIMED_OUT_CALL}:${type}`,
      contactId: `pbx:${ACCOUNT}:call:${TIMED_OUT_CALL}`,
      channel: 'phone',
      occurredAt,
      type,
      data: { durationSeconds, queue: 'MYQUEUE' },
    });
  });

  it('maps CONNECT to agent.replied, naming the member', () => {
    expect(onlyEvent(parse(queueLog(QUEUE_LOG_CONNECT)))).toEqual({
      eventId: `pbx:${ACCOUNT}:${ANSWERED_CALL}:agent.replied`,
      contactId: `pbx:${ACCOUNT}:call:${ANSWERED_CALL}`,
      channel: 'phone',
      occurredAt: '2013-04-23T12:33:43.000Z',
      type: 'agent.replied',
      data: { agentId: 'SIP/8007' },
    });
  });

  it.each([
    [QUEUE_LOG_ENTERQUEUE, 'queue_log ENTERQUEUE: the caller entered the queue and is waiting'],
    [
      QUEUE_LOG_COMPLETECALLER,
      'queue_log COMPLETECALLER: the call ended after an agent answered (CONNECT was the response)',
    ],
    [QUEUE_LOG_AGENTLOGIN, 'queue_log AGENTLOGIN: agent administration'],
  ])('ignores %s', (line, reason) => {
    expect(parse(queueLog(line))).toEqual({ kind: 'ignored', reason });
  });

  it('reads the split columns of the realtime table, with data as a list or data1…data5', () => {
    const columns = {
      format: 'queue_log',
      time: 1366720352,
      callid: ABANDONED_CALL,
      queuename: 'MYQUEUE',
      agent: 'NONE',
      event: 'ABANDON',
    };
    const expected = parse(queueLog(QUEUE_LOG_ABANDON));
    expect(parse({ ...columns, data: ['1', '1', '12'] })).toEqual(expected);
    expect(parse({ ...columns, data: '1|1|12' })).toEqual(expected);
    expect(parse({ ...columns, data1: '1', data2: '1', data3: '12' })).toEqual(expected);
  });

  it('maps Wazo’s JOINEMPTY row once its time has a UTC offset, and refuses it without one', () => {
    expect(parse({ format: 'queue_log', ...WAZO_JOINEMPTY_ROW })).toEqual({
      kind: 'unmappable',
      reason: 'queue_log JOINEMPTY: unreadable time "2012-07-04 07:27:55.640421"',
    });
    const withOffset = { ...WAZO_JOINEMPTY_ROW, time: '2012-07-04 07:27:55.640421-04:00' };
    expect(onlyEvent(parse({ format: 'queue_log', ...withOffset }))).toEqual({
      eventId: `pbx:${ACCOUNT}:1341401275.9:call.missed`,
      contactId: `pbx:${ACCOUNT}:call:1341401275.9`,
      channel: 'phone',
      occurredAt: '2012-07-04T11:27:55.640Z',
      type: 'call.missed',
      data: { queue: 'q1' },
    });
  });

  it.each([
    ['1366720352|NONE|MYQUEUE|NONE|ABANDON|1|1|12', 'queue_log ABANDON without a call id'],
    [
      '1366720352|1366720340.303267|MYQUEUE|NONE|SOMETHINGNEW|1',
      'unknown queue_log event "SOMETHINGNEW"',
    ],
    ['1366720352|1366720340.303267|MYQUEUE', 'queue_log line has fewer than 5 |-separated fields'],
  ])('refuses %s', (line, reason) => {
    expect(parse(queueLog(line))).toEqual({ kind: 'unmappable', reason });
  });
});

describe('parsePbxWebhook: FreeSWITCH mod_callcenter and mod_voicemail', () => {
  it('maps the docs’ bridge-agent-start to agent.replied', () => {
    expect(onlyEvent(parse(DOCS_BRIDGE_AGENT_START))).toEqual({
      eventId: `pbx:${ACCOUNT}:c6360976-231c-43c6-bda7-7ac4c7d1c125:agent.replied`,
      contactId: `pbx:${ACCOUNT}:+15555555555`,
      channel: 'phone',
      occurredAt: RECEIVED_AT,
      customer: { phone: '+15555555555' },
      type: 'agent.replied',
      data: { agentId: 'AgentNameHere' },
    });
  });

  it('maps the docs’ member-queue-end Cancel/TIMEOUT to call.missed, waiting Leaving − Joined', () => {
    expect(onlyEvent(parse(DOCS_MEMBER_QUEUE_END_TIMEOUT))).toEqual({
      eventId: `pbx:${ACCOUNT}:e260ffd0-a731-11df-9341-e7d9456f8886:call.missed`,
      contactId: `pbx:${ACCOUNT}:+15145551212`,
      channel: 'phone',
      occurredAt: RECEIVED_AT,
      customer: { phone: '+15145551212' },
      type: 'call.missed',
      data: { from: '+15145551212', durationSeconds: 1050, queue: 'support@default' },
    });
  });

  it('takes occurredAt from Event-Date-Timestamp (µs) and `to` from Caller-Destination-Number', () => {
    expect(onlyEvent(parse(MEMBER_QUEUE_END_TIMEOUT_STAMPED))).toEqual({
      eventId: `pbx:${ACCOUNT}:e260ffd0-a731-11df-9341-e7d9456f8886:call.missed`,
      contactId: `pbx:${ACCOUNT}:+15145551212`,
      channel: 'phone',
      occurredAt: '2012-12-28T19:08:39.352Z',
      customer: { phone: '+15145551212' },
      type: 'call.missed',
      data: { from: '+15145551212', to: '5000', durationSeconds: 1050, queue: 'support@default' },
    });
  });

  it.each([
    ['NO_AGENT_TIMEOUT', 'call.missed'],
    ['BREAK_OUT', 'call.abandoned'],
    ['NONE', 'call.abandoned'],
    ['EXIT_WITH_KEY', 'call.abandoned'],
  ])('maps CC-Cancel-Reason %s to %s', (reason, type) => {
    const event = onlyEvent(
      parse({ ...DOCS_MEMBER_QUEUE_END_TIMEOUT, 'CC-Cancel-Reason': reason }),
    );
    expect(event.type).toBe(type);
    expect(event.eventId).toBe(`pbx:${ACCOUNT}:e260ffd0-a731-11df-9341-e7d9456f8886:${type}`);
  });

  it('maps leave-message to voicemail.left on the contact and call of the missed call before it', () => {
    const [missed, voicemail] = eventsOf(
      parse([MEMBER_QUEUE_END_TIMEOUT_STAMPED, VOICEMAIL_LEAVE_MESSAGE]),
    );
    expect(voicemail).toEqual({
      eventId: `pbx:${ACCOUNT}:e260ffd0-a731-11df-9341-e7d9456f8886:voicemail.left`,
      contactId: missed.contactId,
      channel: 'phone',
      occurredAt: '2012-12-28T19:09:20.118Z',
      customer: { phone: '+15145551212' },
      type: 'voicemail.left',
      data: { from: '+15145551212', to: '1000', durationSeconds: 17 },
    });
  });

  it('falls back to VM-Timestamp (seconds) without Event-Date-Timestamp', () => {
    const { 'Event-Date-Timestamp': _unused, ...unstamped } = VOICEMAIL_LEAVE_MESSAGE;
    expect(onlyEvent(parse(unstamped)).occurredAt).toBe('2012-12-28T19:09:20.000Z');
  });

  it.each([
    [
      DOCS_MEMBER_QUEUE_START,
      'FreeSWITCH callcenter::info member-queue-start: the caller joined the queue and is waiting',
    ],
    [DOCS_AGENT_OFFERING, 'FreeSWITCH callcenter::info agent-offering: an agent is being rung'],
    [
      DOCS_BRIDGE_AGENT_END,
      'FreeSWITCH callcenter::info bridge-agent-end: the call with the agent ended (bridge-agent-start was the response)',
    ],
    [
      DOCS_BRIDGE_AGENT_FAIL,
      "FreeSWITCH callcenter::info bridge-agent-fail: an agent's leg failed; the caller is still queued",
    ],
    [DOCS_MEMBERS_COUNT, 'FreeSWITCH callcenter::info members-count: queue statistics'],
    [
      DOCS_AGENT_STATUS_CHANGE,
      'FreeSWITCH callcenter::info agent-status-change: agent administration',
    ],
    [
      DOCS_AGENT_STATE_CHANGE,
      'FreeSWITCH callcenter::info agent-state-change: agent administration',
    ],
    [
      DOCS_MEMBER_QUEUE_END_TERMINATED,
      'FreeSWITCH callcenter::info member-queue-end Terminated: the call ended after talking to an agent (bridge-agent-start was the response)',
    ],
    [
      { ...VOICEMAIL_LEAVE_MESSAGE, 'VM-Action': 'mwi-update' },
      'FreeSWITCH vm::maintenance mwi-update: mailbox maintenance, not a new message',
    ],
    [
      CHANNEL_HANGUP_COMPLETE,
      "FreeSWITCH CHANNEL_HANGUP_COMPLETE: a channel hangup doesn't tell a customer's call from an agent's own leg; mod_callcenter's member-queue-end decides",
    ],
  ])('ignores the informational event %#', (event, reason) => {
    expect(parse(event)).toEqual({ kind: 'ignored', reason });
  });

  it.each([
    [
      { ...DOCS_MEMBERS_COUNT, 'CC-Action': 'queue-exploded' },
      'unknown mod_callcenter CC-Action "queue-exploded"',
    ],
    [
      { ...DOCS_MEMBER_QUEUE_END_TIMEOUT, 'CC-Cancel-Reason': 'MOON_PHASE' },
      'FreeSWITCH callcenter::info member-queue-end: unknown CC-Cancel-Reason "MOON_PHASE"',
    ],
    [
      { ...DOCS_MEMBER_QUEUE_END_TIMEOUT, 'CC-Cause': 'Exploded' },
      'FreeSWITCH callcenter::info member-queue-end: unknown CC-Cause "Exploded"',
    ],
    [
      { 'Event-Name': 'CUSTOM', 'Event-Subclass': 'conference::maintenance' },
      'unknown FreeSWITCH CUSTOM event "conference::maintenance"',
    ],
    [{ 'Event-Name': 'DTMF' }, 'unknown FreeSWITCH event "DTMF"'],
    [
      { ...MEMBER_QUEUE_END_TIMEOUT_STAMPED, 'Event-Date-Timestamp': '2012-12-28' },
      'FreeSWITCH callcenter::info member-queue-end: unreadable Event-Date-Timestamp "2012-12-28"',
    ],
  ])('refuses %#', (event, reason) => {
    expect(parse(event)).toEqual({ kind: 'unmappable', reason });
  });
});

describe('parsePbxWebhook: deliveries', () => {
  it.each([
    ['not JSON', Buffer.from('Event: QueueCallerAbandon\r\n'), 'body is not JSON'],
    [
      'a JSON string',
      Buffer.from('"QueueCallerAbandon"'),
      'body is neither a JSON object nor an array',
    ],
    [
      'an object in no dialect',
      Buffer.from('{"caller":"+14155551212"}'),
      'not a PBX event: no Event, Event-Name or format field',
    ],
    ['events that are not a list', Buffer.from('{"events":{}}'), '"events" is not an array'],
  ])('answers malformed for %s', (_name, body, reason) => {
    expect(parsePbxWebhook(body, US)).toEqual({ kind: 'malformed', reason });
  });

  it(`answers malformed for more than ${MAX_PBX_EVENTS_PER_DELIVERY} events`, () => {
    const events = Array.from(
      { length: MAX_PBX_EVENTS_PER_DELIVERY + 1 },
      () => AMI_QUEUE_CALLER_JOIN,
    );
    expect(parse({ events })).toEqual({
      kind: 'malformed',
      reason: '501 events in one delivery; send at most 500',
    });
  });

  it('reads one object, an array and {"events": [...]} alike', () => {
    const single = parse(AMI_QUEUE_CALLER_ABANDON);
    expect(parse([AMI_QUEUE_CALLER_ABANDON])).toEqual(single);
    expect(parse({ events: [AMI_QUEUE_CALLER_ABANDON] })).toEqual(single);
  });

  it('maps a mixed batch in order, dialect by dialect', () => {
    const events = eventsOf(
      parse({
        events: [
          AMI_QUEUE_CALLER_JOIN,
          AMI_AGENT_CONNECT,
          queueLog(QUEUE_LOG_EXITWITHTIMEOUT),
          DOCS_BRIDGE_AGENT_START,
        ],
      }),
    );
    expect(events.map((event) => event.eventId)).toEqual([
      `pbx:${ACCOUNT}:${ANSWERED_CALL}:agent.replied`,
      `pbx:${ACCOUNT}:${TIMED_OUT_CALL}:call.missed`,
      `pbx:${ACCOUNT}:c6360976-231c-43c6-bda7-7ac4c7d1c125:agent.replied`,
    ]);
  });

  it('gives a re-sent event the same eventId', () => {
    const first = onlyEvent(parse(AMI_QUEUE_CALLER_ABANDON));
    const resent = onlyEvent(parse(AMI_QUEUE_CALLER_ABANDON));
    expect(resent).toEqual(first);
    const [a, b] = eventsOf(parse([DOCS_BRIDGE_AGENT_START, DOCS_BRIDGE_AGENT_START]));
    expect(b.eventId).toBe(a.eventId);
  });

  it('dead-letters a whole batch when one item cannot be mapped', () => {
    expect(
      parse([
        AMI_QUEUE_CALLER_ABANDON,
        { ...AMI_QUEUE_CALLER_JOIN, Event: 'Newexten' },
        DOCS_BRIDGE_AGENT_START,
      ]),
    ).toEqual({ kind: 'unmappable', reason: 'unknown AMI event "Newexten"' });
  });

  it.each([
    [
      'an item that is not an object',
      [AMI_QUEUE_CALLER_ABANDON, 42],
      'an event that is not a JSON object',
    ],
    [
      'an item in no dialect',
      [AMI_QUEUE_CALLER_ABANDON, { caller: '+14155551212' }],
      'an event without an Event, Event-Name or format field',
    ],
    ['an unknown format', [{ format: 'cdr', line: 'x' }], 'unknown format "cdr"'],
  ])('refuses a batch with %s', (_name, items, reason) => {
    expect(parse(items)).toEqual({ kind: 'unmappable', reason });
  });

  it('ignores a batch with nothing owed, with each distinct reason once', () => {
    expect(parse([AMI_QUEUE_CALLER_JOIN, AMI_QUEUE_CALLER_JOIN, DOCS_MEMBERS_COUNT])).toEqual({
      kind: 'ignored',
      reason:
        'AMI QueueCallerJoin: the caller joined the queue and is waiting; FreeSWITCH callcenter::info members-count: queue statistics',
    });
    expect(parse([])).toEqual({ kind: 'ignored', reason: 'no entries in the delivery' });
  });

  it('refuses an event the contract rejects', () => {
    const { Timestamp: _unused, ...untimed } = AMI_QUEUE_CALLER_ABANDON;
    const result = parse(untimed, { ...US, receivedAtIso: 'yesterday' });
    expect(result.kind).toBe('unmappable');
    expect(result).toMatchObject({
      reason: expect.stringMatching(/^event fails the contact-event contract: occurredAt: /),
    });
  });

  it('refuses every delivery while no account label is configured', () => {
    expect(parse(AMI_QUEUE_CALLER_ABANDON, { ...US, account: ' ' })).toEqual({
      kind: 'unmappable',
      reason: 'no PBX account label configured',
    });
  });

  it('emits only events that pass the contact-event contract', () => {
    const all = [
      AMI_QUEUE_CALLER_ABANDON,
      AMI_AGENT_CONNECT,
      AMI_VARSET_QUEUESTATUS_TIMEOUT,
      AMI_VARSET_VMSTATUS_SUCCESS,
      AMI_WITHHELD_ABANDON,
      queueLog(QUEUE_LOG_ENTERQUEUE),
      queueLog(QUEUE_LOG_ABANDON),
      queueLog(QUEUE_LOG_CONNECT),
      MEMBER_QUEUE_END_TIMEOUT_STAMPED,
      VOICEMAIL_LEAVE_MESSAGE,
      DOCS_BRIDGE_AGENT_START,
    ];
    const events = eventsOf(parse(all));
    expect(events).toHaveLength(10);
    for (const event of events)
      expect(validateContactEventInput(event)).toMatchObject({ ok: true });
  });
});
