import { prepareEvent } from './connector-event.preparer';
import type { ConnectorEvent } from './connector-event.preparer';

describe('prepareEvent', () => {
  const base = {
    type: 'agent.replied',
    contactId: 'crm-42',
    channel: 'email',
    occurredAt: '2026-03-02T10:15:00+01:00',
    data: { agentId: 'ana' },
  } as const;

  it('assigns an id to an event without one, and keeps a given one', () => {
    const assigned = prepareEvent(base, undefined, () => 'generated-1');
    expect(assigned).toMatchObject({ ok: true, event: { eventId: 'generated-1' } });
    const kept = prepareEvent({ ...base, eventId: 'crm-42-reply-1' }, undefined, () => 'unused');
    expect(kept).toMatchObject({ ok: true, event: { eventId: 'crm-42-reply-1' } });
  });

  it('serialises the event as the contract reads it, fixed at queue time', () => {
    const event: ConnectorEvent = { ...base, eventId: 'e-1', tags: ['vip'] };
    const prepared = prepareEvent(event, undefined);
    event.tags = ['changed'];
    expect(prepared.ok && JSON.parse(prepared.event.json)).toEqual({
      ...base,
      eventId: 'e-1',
      schemaVersion: 1,
      occurredAt: '2026-03-02T09:15:00.000Z',
      tags: ['vip'],
    });
  });

  it('names every invalid field by its path', () => {
    const prepared = prepareEvent(
      { ...base, customer: { phone: '12' }, data: { agentId: '' } },
      undefined,
    );
    expect(!prepared.ok && prepared.issues.map((issue) => issue.path).sort()).toEqual([
      'customer.phone',
      'data.agentId',
    ]);
  });

  it('refuses fields ingest sets and unknown ones', () => {
    const prepared = prepareEvent(
      { ...base, receivedAt: '2026-03-02T09:00:00Z', colour: 'red' } as unknown as ConnectorEvent,
      undefined,
    );
    expect(prepared.ok).toBe(false);
  });

  it('checks the source against the client’s, as ingest will', () => {
    expect(prepareEvent({ ...base, source: 'crm' }, 'crm').ok).toBe(true);
    expect(prepareEvent(base, 'crm').ok).toBe(true);
    expect(prepareEvent({ ...base, source: 'pbx' }, 'crm')).toEqual({
      ok: false,
      issues: [
        {
          path: 'source',
          code: 'source_mismatch',
          message: 'must be "crm", the source of this client (or left out)',
        },
      ],
    });
  });

  it('refuses something that is not an event at all', () => {
    expect(prepareEvent(null as unknown as ConnectorEvent, undefined)).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ path: '(root)' })],
    });
  });
});
