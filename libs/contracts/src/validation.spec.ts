import {
  CONTACT_EVENT_EXAMPLES,
  CONTACT_EVENT_TYPES,
  validateContactEvent,
  validateContactEventInput,
  validateSlaEvent,
} from './index';

const base = {
  eventId: 'evt-1',
  type: 'contact.opened',
  contactId: 'chat-1',
  channel: 'chat',
  occurredAt: '2026-03-02T10:15:00+01:00',
};

describe('contact event contract', () => {
  it.each(Object.entries(CONTACT_EVENT_EXAMPLES))(
    'accepts the documented example %s',
    (_type, example) => {
      expect(validateContactEventInput(example)).toMatchObject({ ok: true });
    },
  );

  it('normalises instants to UTC and fills defaults (priority stays unset: the contact keeps its own)', () => {
    const result = validateContactEventInput(base);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        occurredAt: '2026-03-02T09:15:00.000Z',
        schemaVersion: 1,
        tags: [],
      }),
    });
  });

  it('accepts every event type', () => {
    for (const type of CONTACT_EVENT_TYPES) {
      expect(validateContactEventInput({ ...base, type })).toMatchObject({ ok: true });
    }
  });

  it('names each missing or wrong field by its path', () => {
    const result = validateContactEventInput({
      type: 'contact.opened',
      channel: 'fax',
      occurredAt: 'yesterday',
    });
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(['channel', 'contactId', 'eventId', 'occurredAt']);
  });

  it('prefixes paths for batch items', () => {
    const result = validateContactEventInput({ ...base, customer: { phone: '0155 1234' } }, '[3]');
    expect(result.ok ? [] : result.issues.map((issue) => issue.path)).toEqual([
      '[3].customer.phone',
    ]);
  });

  it('rejects unknown fields (typos) and message bodies in data', () => {
    const result = validateContactEventInput({
      ...base,
      contactID: 'x',
      data: { body: 'full text' },
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((issue) => issue.code)).toEqual(
      expect.arrayContaining(['unrecognized_keys']),
    );
  });

  it('refuses ids with spaces or control characters and over-long previews', () => {
    expect(validateContactEventInput({ ...base, contactId: 'a b' }).ok).toBe(false);
    expect(validateContactEventInput({ ...base, eventId: 'a\u0000b' }).ok).toBe(false);
    expect(validateContactEventInput({ ...base, data: { preview: 'x'.repeat(141) } }).ok).toBe(
      false,
    );
  });

  it('does not let a connector set receivedAt; the stored form requires it', () => {
    expect(validateContactEventInput({ ...base, receivedAt: '2026-03-02T09:15:00Z' }).ok).toBe(
      false,
    );
    expect(validateContactEvent({ ...base, schemaVersion: 1, source: 'crm' }).ok).toBe(false);
    expect(
      validateContactEvent({
        ...base,
        schemaVersion: 1,
        source: 'crm',
        receivedAt: '2026-03-02T09:15:01Z',
      }).ok,
    ).toBe(true);
  });

  it('refuses a schema version it does not know', () => {
    expect(validateContactEventInput({ ...base, schemaVersion: 2 }).ok).toBe(false);
  });
});

describe('sla event contract', () => {
  const breach = {
    eventId: 'chat-1.first_response.1.sla.breached',
    type: 'sla.breached',
    schemaVersion: 1,
    contactId: 'chat-1',
    channel: 'chat',
    source: 'crm',
    priority: 'normal',
    target: 'first_response',
    policyId: 'default',
    policyVersion: 1,
    startedAt: '2026-03-02T09:15:00Z',
    dueAt: '2026-03-02T09:25:00Z',
    occurredAt: '2026-03-02T09:25:00Z',
    emittedAt: '2026-03-02T09:25:00.040Z',
    elapsedSeconds: 600,
  };

  it('accepts a breach and rejects an unknown target', () => {
    expect(validateSlaEvent(breach).ok).toBe(true);
    expect(validateSlaEvent({ ...breach, target: 'lunch' }).ok).toBe(false);
  });
});
