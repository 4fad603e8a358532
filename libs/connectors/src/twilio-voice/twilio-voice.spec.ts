import { validateContactEventInput } from '@replywatch/contracts';
import type { ParseResult, WebhookRequest } from '../connector.types';
import { hmac } from '../signature';
import {
  DOCS_EARLIER_EXAMPLE,
  DOCS_WORKED_EXAMPLE,
  HELPER_LIBRARY_VECTORS,
  type SignatureVector,
} from './fixtures/twilio-signature.fixtures';
import {
  ACCOUNT_SID,
  AGENT_LEG_ANSWERED_STATUS_CALLBACK,
  AGENT_PHONE,
  BUSINESS_LINE,
  CALL_SIDS,
  CUSTOMER,
  ENQUEUE_HANGUP_ACTION,
  INBOUND_ANSWERED_STATUS_CALLBACK,
  INBOUND_NO_ANSWER_STATUS_CALLBACK,
  OUTBOUND_CALL_BACK_STATUS_CALLBACK,
  OUTBOUND_RINGING_STATUS_CALLBACK,
  QUEUE_SID,
  RECORDING_SID,
  RECORDING_STATUS_CALLBACK,
  VOICEMAIL_RECORD_ACTION,
} from './fixtures/twilio-voice.fixtures';
import { normaliseE164 } from './e164-phone.normaliser';
import { parseRfc2822 } from './rfc2822-date.parser';
import { verifyTwilioSignature } from './twilio-signature';
import { parseTwilioVoice, type TwilioVoiceOptions } from './twilio-voice.parser';

const CUSTOMER_CONTACT = `twilio:${ACCOUNT_SID}:${CUSTOMER}`;
const RECEIVED_AT = '2019-10-18T17:20:31.000Z';

function requestFor(
  vector: Pick<SignatureVector, 'url' | 'body' | 'contentType'>,
  signature: string | undefined,
): WebhookRequest {
  return {
    url: vector.url,
    headers: { 'content-type': vector.contentType, 'x-twilio-signature': signature },
    rawBody: Buffer.from(vector.body, 'utf8'),
    nowMs: 0,
  };
}

/** Replaces (or, with null, removes) form fields; new values are form-encoded. */
function withParams(body: string, changes: Record<string, string | null>): string {
  const pairs = body.split('&').map((pair) => pair.split('=') as [string, string]);
  const kept = pairs.filter(([key]) => !(key in changes));
  for (const [key, value] of Object.entries(changes)) {
    if (value !== null) kept.push([key, encodeURIComponent(value)]);
  }
  return kept.map(([key, value]) => `${key}=${value}`).join('&');
}

function parse(body: string, options: TwilioVoiceOptions = {}): ParseResult {
  return parseTwilioVoice(Buffer.from(body, 'utf8'), options);
}

function eventsOf(result: ParseResult) {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

describe('verifyTwilioSignature', () => {
  const published: [string, SignatureVector][] = [
    ['the worked example on the current webhooks-security page', DOCS_WORKED_EXAMPLE],
    ['the earlier revision of that example', DOCS_EARLIER_EXAMPLE],
    ...Object.entries(HELPER_LIBRARY_VECTORS).map(([name, vector]): [string, SignatureVector] => [
      `helper-library vector ${name}`,
      vector,
    ]),
  ];
  it.each(published)('accepts %s', (_name, vector) => {
    const check = verifyTwilioSignature(requestFor(vector, vector.signature), vector.authToken);
    expect(check).toEqual({ ok: true });
  });

  it('accepts an HTTPS URL held with a port, since Twilio drops it when signing voice callbacks', () => {
    const vector = HELPER_LIBRARY_VECTORS.plain;
    const url = 'https://mycompany.com:1234/myapp.php?foo=1&bar=2';
    expect(
      verifyTwilioSignature(requestFor({ ...vector, url }, vector.signature), '12345'),
    ).toEqual({ ok: true });
  });

  it('signs the decoded values: `+` in a form body is a space, %2B is a plus', () => {
    const url = 'https://ingest.example.com/webhooks/twilio/voice';
    const signed =
      url +
      `AccountSid${ACCOUNT_SID}ApiVersion2010-04-01CallDuration184CallSid${CALL_SIDS.answered}` +
      'CallStatuscompletedCallbackSourcecall-progress-eventsCalled+15017122661Caller+14155551212' +
      'DirectioninboundDuration4From+14155551212SequenceNumber0' +
      'TimestampFri, 18 Oct 2019 17:10:12 +0000To+15017122661';
    const signature = hmac('sha1', 'token-of-the-account', signed).toString('base64');
    const request = requestFor(
      {
        url,
        body: INBOUND_ANSWERED_STATUS_CALLBACK,
        contentType: 'application/x-www-form-urlencoded',
      },
      signature,
    );
    expect(verifyTwilioSignature(request, 'token-of-the-account')).toEqual({ ok: true });
  });

  const vector = DOCS_WORKED_EXAMPLE;
  const mismatch = { ok: false, reason: 'X-Twilio-Signature does not match' };

  it('rejects a tampered body', () => {
    const tampered = { ...vector, body: vector.body.replace('Digits=1234', 'Digits=1235') };
    expect(verifyTwilioSignature(requestFor(tampered, vector.signature), '12345')).toEqual(
      mismatch,
    );
  });

  it('rejects a body with a field added', () => {
    const extended = { ...vector, body: `${vector.body}&CallStatus=completed` };
    expect(verifyTwilioSignature(requestFor(extended, vector.signature), '12345')).toEqual(
      mismatch,
    );
  });

  it('rejects the wrong auth token', () => {
    expect(verifyTwilioSignature(requestFor(vector, vector.signature), '12346')).toEqual(mismatch);
  });

  it.each([
    ['another query', 'https://example.com/myapp.php?foo=1&bar=3'],
    ['another path', 'https://example.com/myapp.php/?foo=1&bar=2'],
    ['another scheme', 'http://example.com/myapp.php?foo=1&bar=2'],
    ['another host', 'https://example.org/myapp.php?foo=1&bar=2'],
  ])('rejects the signature for %s', (_name, url) => {
    expect(
      verifyTwilioSignature(requestFor({ ...vector, url }, vector.signature), '12345'),
    ).toEqual(mismatch);
  });

  it.each([undefined, '', '   '])('rejects a missing header (%p)', (header) => {
    expect(verifyTwilioSignature(requestFor(vector, header), '12345')).toEqual({
      ok: false,
      reason: 'missing X-Twilio-Signature',
    });
  });

  it('rejects a signature that is not base64, or one byte short', () => {
    expect(verifyTwilioSignature(requestFor(vector, 'not base64!'), '12345')).toEqual(mismatch);
    const short = Buffer.from(vector.signature, 'base64').subarray(1).toString('base64');
    expect(verifyTwilioSignature(requestFor(vector, short), '12345')).toEqual(mismatch);
  });

  it('rejects when no auth token is configured', () => {
    expect(verifyTwilioSignature(requestFor(vector, vector.signature), '')).toEqual({
      ok: false,
      reason: 'no Twilio auth token configured',
    });
  });

  it('rejects a JSON body that does not match its bodySHA256', () => {
    const json = HELPER_LIBRARY_VECTORS.jsonBody;
    const tampered = { ...json, body: json.body.replace('true', 'false') };
    expect(verifyTwilioSignature(requestFor(tampered, json.signature), '12345')).toEqual({
      ok: false,
      reason: 'body does not match its bodySHA256 query parameter',
    });
  });

  it('rejects a JSON body whose URL carries no bodySHA256', () => {
    const json = HELPER_LIBRARY_VECTORS.jsonBody;
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(verifyTwilioSignature(requestFor({ ...json, url }, json.signature), '12345')).toEqual({
      ok: false,
      reason: 'JSON body without a bodySHA256 query parameter',
    });
  });
});

describe('parseTwilioVoice: documented requests', () => {
  it('maps an inbound no-answer to call.missed on the caller’s contact', () => {
    expect(parse(INBOUND_NO_ANSWER_STATUS_CALLBACK)).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `twilio:${CALL_SIDS.missed}:no-answer`,
          contactId: CUSTOMER_CONTACT,
          channel: 'phone',
          occurredAt: '2019-10-18T17:00:00.000Z',
          customer: { phone: CUSTOMER },
          type: 'call.missed',
          data: { from: CUSTOMER, to: BUSINESS_LINE, durationSeconds: 0 },
        },
      ],
    });
  });

  it.each([
    ['busy', 'call.missed'],
    ['failed', 'call.missed'],
    ['canceled', 'call.abandoned'],
  ])('maps an inbound %s to %s', (status, type) => {
    const body = withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, { CallStatus: status });
    expect(eventsOf(parse(body))).toEqual([
      {
        eventId: `twilio:${CALL_SIDS.missed}:${status}`,
        contactId: CUSTOMER_CONTACT,
        channel: 'phone',
        occurredAt: '2019-10-18T17:00:00.000Z',
        customer: { phone: CUSTOMER },
        type,
        data: { from: CUSTOMER, to: BUSINESS_LINE, durationSeconds: 0 },
      },
    ]);
  });

  it('does not count an inbound call Twilio answered (its TwiML ran) as an agent answer', () => {
    // A caller who gave up in the queue or after a voicemail greeting also ends `completed`.
    for (const body of [
      INBOUND_ANSWERED_STATUS_CALLBACK,
      withParams(INBOUND_ANSWERED_STATUS_CALLBACK, { CallStatus: 'in-progress' }),
    ]) {
      expect(parse(body)).toEqual({
        kind: 'ignored',
        reason:
          'Twilio answered the inbound call (TwiML ran): only <Dial>/<Enqueue> results and agent legs show an agent answering',
      });
    }
  });

  it('maps a completed inbound call with no talk time to call.abandoned', () => {
    const body = withParams(INBOUND_ANSWERED_STATUS_CALLBACK, { CallDuration: '0' });
    expect(eventsOf(parse(body))).toMatchObject([
      { eventId: `twilio:${CALL_SIDS.answered}:completed`, type: 'call.abandoned' },
    ]);
  });

  it('maps the <Record> action to voicemail.left, timed by receivedAtIso', () => {
    expect(parse(VOICEMAIL_RECORD_ACTION, { receivedAtIso: RECEIVED_AT })).toEqual({
      kind: 'events',
      events: [
        {
          eventId: `twilio:${CALL_SIDS.voicemail}:voicemail:${RECORDING_SID}`,
          contactId: CUSTOMER_CONTACT,
          channel: 'phone',
          occurredAt: RECEIVED_AT,
          customer: { phone: CUSTOMER },
          type: 'voicemail.left',
          data: { from: CUSTOMER, to: BUSINESS_LINE, durationSeconds: 23 },
        },
      ],
    });
  });

  it('gives one voicemail one event id, whether the caller hung up or pressed a key', () => {
    const hungUp = eventsOf(parse(VOICEMAIL_RECORD_ACTION, { receivedAtIso: RECEIVED_AT }));
    const keyed = withParams(VOICEMAIL_RECORD_ACTION, { CallStatus: 'in-progress', Digits: '#' });
    expect(eventsOf(parse(keyed, { receivedAtIso: RECEIVED_AT }))[0].eventId).toBe(
      hungUp[0].eventId,
    );
  });

  it('says why a request without Timestamp or receivedAtIso cannot be mapped', () => {
    expect(parse(VOICEMAIL_RECORD_ACTION)).toEqual({
      kind: 'unmappable',
      reason: 'no Timestamp in the request and no receivedAtIso passed',
    });
  });

  it('dead-letters a recording status callback: it names no caller', () => {
    expect(parse(RECORDING_STATUS_CALLBACK, { receivedAtIso: RECEIVED_AT })).toEqual({
      kind: 'unmappable',
      reason:
        'recording status callback carries no caller number; map voicemails from the <Record> action or the call status callback',
    });
    const absent = withParams(RECORDING_STATUS_CALLBACK, { RecordingStatus: 'absent' });
    expect(parse(absent)).toEqual({
      kind: 'ignored',
      reason: 'recording absent: only a completed recording is a voicemail',
    });
  });

  it('maps the business calling back to agent.replied on the same contact as the missed call', () => {
    const [missed] = eventsOf(parse(INBOUND_NO_ANSWER_STATUS_CALLBACK));
    const [callBack] = eventsOf(parse(OUTBOUND_CALL_BACK_STATUS_CALLBACK));
    expect(callBack).toEqual({
      eventId: `twilio:${CALL_SIDS.callBack}:completed`,
      contactId: CUSTOMER_CONTACT,
      channel: 'phone',
      occurredAt: '2019-10-18T18:02:45.000Z',
      customer: { phone: CUSTOMER },
      type: 'agent.replied',
    });
    expect(callBack.contactId).toBe(missed.contactId);
  });

  it('maps an answered call back that is still in progress to agent.replied', () => {
    const body = withParams(OUTBOUND_CALL_BACK_STATUS_CALLBACK, {
      CallStatus: 'in-progress',
      CallDuration: null,
    });
    expect(eventsOf(parse(body))).toMatchObject([
      { eventId: `twilio:${CALL_SIDS.callBack}:in-progress`, type: 'agent.replied' },
    ]);
  });

  it.each(['no-answer', 'busy', 'failed', 'canceled'])(
    'ignores a call back that ended %s: the contact keeps waiting',
    (status) => {
      const body = withParams(OUTBOUND_CALL_BACK_STATUS_CALLBACK, {
        CallStatus: status,
        CallDuration: '0',
      });
      expect(parse(body)).toEqual({
        kind: 'ignored',
        reason: `the business's call to the customer ended ${status}: the contact keeps waiting`,
      });
    },
  );

  it('maps an agent answering the <Dial> leg to agent.replied for the caller', () => {
    const options = { agentNumbers: ['+1 (500) 555-0006'] };
    expect(eventsOf(parse(AGENT_LEG_ANSWERED_STATUS_CALLBACK, options))).toEqual([
      {
        eventId: `twilio:${CALL_SIDS.agentLeg}:in-progress`,
        contactId: CUSTOMER_CONTACT,
        channel: 'phone',
        occurredAt: '2019-10-18T17:07:08.000Z',
        customer: { phone: CUSTOMER },
        type: 'agent.replied',
        data: { agentId: AGENT_PHONE },
      },
    ]);
  });

  it('ignores an agent leg nobody answered: the caller’s own leg decides', () => {
    const body = withParams(AGENT_LEG_ANSWERED_STATUS_CALLBACK, { CallStatus: 'no-answer' });
    expect(parse(body, { agentNumbers: [AGENT_PHONE] })).toEqual({
      kind: 'ignored',
      reason: "the agent's leg ended no-answer: the caller's own leg decides the contact",
    });
  });

  it('maps a caller hanging up in the queue to call.abandoned with the queue and wait', () => {
    expect(eventsOf(parse(ENQUEUE_HANGUP_ACTION, { receivedAtIso: RECEIVED_AT }))).toEqual([
      {
        eventId: `twilio:${CALL_SIDS.queued}:queue-hangup`,
        contactId: CUSTOMER_CONTACT,
        channel: 'phone',
        occurredAt: RECEIVED_AT,
        customer: { phone: CUSTOMER },
        type: 'call.abandoned',
        data: { from: CUSTOMER, to: BUSINESS_LINE, durationSeconds: 87, queue: QUEUE_SID },
      },
    ]);
  });

  it.each([
    ['bridged', 'agent.replied'],
    ['queue-full', 'call.missed'],
    ['system-error', 'call.missed'],
  ])('maps QueueResult %s to %s', (result, type) => {
    const body = withParams(ENQUEUE_HANGUP_ACTION, { QueueResult: result });
    expect(eventsOf(parse(body, { receivedAtIso: RECEIVED_AT }))).toMatchObject([
      { eventId: `twilio:${CALL_SIDS.queued}:queue-${result}`, type },
    ]);
  });

  it('ignores a call that left the queue to go on elsewhere', () => {
    const body = withParams(ENQUEUE_HANGUP_ACTION, { QueueResult: 'leave' });
    expect(parse(body)).toEqual({
      kind: 'ignored',
      reason: 'queue result leave: the call continues elsewhere',
    });
  });

  it('reads a <Dial action> recording as the conversation, not a voicemail', () => {
    const body = withParams(VOICEMAIL_RECORD_ACTION, {
      DialCallStatus: 'completed',
      DialCallDuration: '61',
      Digits: null,
    });
    expect(eventsOf(parse(body, { receivedAtIso: RECEIVED_AT }))).toMatchObject([
      { eventId: `twilio:${CALL_SIDS.voicemail}:dial-completed`, type: 'agent.replied' },
    ]);
  });
});

describe('parseTwilioVoice: life cycle rules', () => {
  it.each(['queued', 'initiated', 'ringing'])('ignores the intermediate status %s', (status) => {
    const body = withParams(OUTBOUND_RINGING_STATUS_CALLBACK, { CallStatus: status });
    expect(parse(body)).toEqual({ kind: 'ignored', reason: `intermediate call status ${status}` });
  });

  it('ignores the documented ringing callback', () => {
    expect(parse(OUTBOUND_RINGING_STATUS_CALLBACK).kind).toBe('ignored');
  });

  it('marks an unknown status unmappable', () => {
    const body = withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, { CallStatus: 'on-hold' });
    expect(parse(body)).toEqual({ kind: 'unmappable', reason: 'unknown CallStatus "on-hold"' });
  });

  it('gives a provider retry of the same delivery the same event', () => {
    const first = parse(INBOUND_NO_ANSWER_STATUS_CALLBACK);
    const retry = parse(INBOUND_NO_ANSWER_STATUS_CALLBACK);
    expect(retry).toEqual(first);
    expect(eventsOf(retry)[0].eventId).toBe(`twilio:${CALL_SIDS.missed}:no-answer`);
  });

  it('gives each status of one call its own event id', () => {
    const inProgress = withParams(OUTBOUND_CALL_BACK_STATUS_CALLBACK, {
      CallStatus: 'in-progress',
    });
    const ids = [inProgress, OUTBOUND_CALL_BACK_STATUS_CALLBACK].map(
      (body) => eventsOf(parse(body))[0].eventId,
    );
    expect(new Set(ids).size).toBe(2);
  });

  it.each(['+266696687', 'anonymous', 'Restricted', ''])(
    'leaves customer.phone out for the withheld caller id %p and keys the contact by the call',
    (from) => {
      const body = withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, { From: from, Caller: from });
      const [event] = eventsOf(parse(body));
      expect(event.customer).toBeUndefined();
      expect(event.contactId).toBe(`twilio:${ACCOUNT_SID}:call:${CALL_SIDS.missed}`);
    },
  );

  it('keys a Voice SDK caller by its client identity, carried as customer.handle', () => {
    const body = withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, {
      From: 'client:alice',
      Caller: 'client:alice',
    });
    const [event] = eventsOf(parse(body));
    expect(event.contactId).toBe(`twilio:${ACCOUNT_SID}:client:alice`);
    expect(event.customer).toEqual({ handle: 'client:alice' });
  });

  it('normalises a formatted caller number to E.164', () => {
    const body = withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, { From: '+1 (415) 555-1212' });
    const [event] = eventsOf(parse(body));
    expect(event.customer).toEqual({ phone: CUSTOMER });
    expect(event.contactId).toBe(CUSTOMER_CONTACT);
  });

  it('names the account by accountLabel when one is given', () => {
    const [event] = eventsOf(parse(INBOUND_NO_ANSWER_STATUS_CALLBACK, { accountLabel: 'acme-us' }));
    expect(event.contactId).toBe(`twilio:acme-us:${CUSTOMER}`);
  });

  it('ignores a call from one of the business’s own numbers', () => {
    expect(parse(INBOUND_NO_ANSWER_STATUS_CALLBACK, { agentNumbers: [CUSTOMER] })).toEqual({
      kind: 'ignored',
      reason: "a call from one of the business's own numbers",
    });
  });

  it.each([
    ['no CallSid', { CallSid: null }, 'no CallSid: not a Twilio Voice request'],
    ['no AccountSid', { AccountSid: null }, 'no AccountSid'],
  ])(
    'refuses a request with %s as malformed (not a Twilio Voice request)',
    (_name, changes, reason) => {
      const body = withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, changes);
      expect(parse(body)).toEqual({ kind: 'malformed', reason });
    },
  );

  it.each([
    ['no Direction', { Direction: null }, 'no Direction'],
    [
      'an unknown Direction',
      { Direction: 'trunking-originating' },
      'unknown Direction "trunking-originating"',
    ],
    ['an unreadable Timestamp', { Timestamp: 'yesterday' }, 'unreadable Timestamp "yesterday"'],
  ])('marks a request with %s unmappable', (_name, changes, reason) => {
    const body = withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, changes);
    expect(parse(body)).toEqual({ kind: 'unmappable', reason });
  });

  it('refuses a malformed form body as malformed', () => {
    expect(parse('CallSid=%E0%A4%A&CallStatus=busy')).toEqual({
      kind: 'malformed',
      reason: 'malformed percent-encoding in form field "CallSid"',
    });
  });

  it('dead-letters an event the contract refuses instead of returning it', () => {
    const result = parse(INBOUND_NO_ANSWER_STATUS_CALLBACK, { accountLabel: 'acme us' });
    expect(result.kind).toBe('unmappable');
  });

  it('returns only events that validate against the contact-event contract', () => {
    const options = { agentNumbers: [AGENT_PHONE], receivedAtIso: RECEIVED_AT };
    const bodies = [
      INBOUND_NO_ANSWER_STATUS_CALLBACK,
      withParams(INBOUND_ANSWERED_STATUS_CALLBACK, { CallDuration: '0' }),
      VOICEMAIL_RECORD_ACTION,
      OUTBOUND_CALL_BACK_STATUS_CALLBACK,
      AGENT_LEG_ANSWERED_STATUS_CALLBACK,
      ENQUEUE_HANGUP_ACTION,
      withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, { From: 'anonymous' }),
      withParams(INBOUND_NO_ANSWER_STATUS_CALLBACK, { From: 'client:alice' }),
    ];
    const events = bodies.flatMap((body) => eventsOf(parse(body, options)));
    expect(events).toHaveLength(bodies.length);
    for (const event of events) {
      expect(validateContactEventInput(event)).toMatchObject({ ok: true });
    }
  });
});

describe('normaliseE164 and parseRfc2822', () => {
  it.each([
    ['+14155551212', '+14155551212'],
    [' +1 415-555-1212 ', '+14155551212'],
    ['+44 (20) 7946.0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['4155551212', undefined],
    ['+0123456789', undefined],
    ['+266696687', undefined],
    ['client:alice', undefined],
    ['sip:alice@example.com', undefined],
  ])('normaliseE164(%p) is %p', (raw, expected) => {
    expect(normaliseE164(raw)).toBe(expected);
  });

  it.each([
    ['Fri, 18 Oct 2019 17:00:00 +0000', '2019-10-18T17:00:00.000Z'],
    ['Fri, 18 Oct 2019 19:00:00 +0200', '2019-10-18T17:00:00.000Z'],
    ['18 Oct 2019 12:30 -0430', '2019-10-18T17:00:00.000Z'],
    ['Sun, 25 Mar 2018 09:53:19 GMT', '2018-03-25T09:53:19.000Z'],
    ['Fri, 31 Feb 2019 17:00:00 +0000', undefined],
    ['2019-10-18T17:00:00Z', undefined],
  ])('parseRfc2822(%p) is %p', (raw, expected) => {
    expect(parseRfc2822(raw)).toBe(expected);
  });
});
