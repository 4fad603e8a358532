import type { ContactEvent } from '@replywatch/contracts';
import { parsePolicyFile } from '../policy-file.parser';
import type { PolicyFileInput } from '../policy.schema';
import { selectPolicy } from '../policy.matcher';
import { applyContactEvent, fireDue, nextDeadline, queuePlacement } from './contact-clock';
import type { ContactClock, PolicyLookup, SlaEmission } from './contact-clock';
import { resolvePolicyFile } from './resolved-policy';

const T0 = Date.parse('2026-03-02T09:00:00Z'); // a Monday
const min = 60000;

function lookup(input: PolicyFileInput): PolicyLookup {
  const file = parsePolicyFile(JSON.stringify(input), 'test');
  const resolved = resolvePolicyFile(file);
  return {
    select: (subject) => resolved.get(selectPolicy(file, subject).id)!,
    byId: (id) => resolved.get(id)!,
  };
}

const policies = lookup({
  policies: [
    { id: 'urgent', match: { priority: ['urgent'] }, targets: { first_response: '5m' } },
    {
      id: 'default',
      targets: {
        first_response: { within: '10m', warnAt: ['50%', '2m'] },
        next_response: '30m',
        resolution: '1h',
        callback: '20m',
      },
    },
  ],
});

let seq = 0;
function event(
  type: ContactEvent['type'],
  atMs: number,
  extra: Partial<ContactEvent> = {},
): ContactEvent {
  seq += 1;
  const at = new Date(atMs).toISOString();
  return {
    eventId: `e${seq}`,
    type,
    schemaVersion: 1,
    contactId: 'c1',
    channel: type.startsWith('call') || type === 'voicemail.left' ? 'phone' : 'chat',
    occurredAt: at,
    receivedAt: at,
    source: 'crm',
    tags: [],
    ...extra,
  } as ContactEvent;
}

/** Apply events in order, firing due timers up to each event's instant (as the service does). */
function run(
  events: ContactEvent[],
  until?: number,
): { state: ContactClock | undefined; emissions: SlaEmission[] } {
  let state: ContactClock | undefined;
  const emissions: SlaEmission[] = [];
  const fire = (now: number) => {
    if (!state) return;
    const due = fireDue(state, now, policies.byId(state.policyId, state.policyVersion));
    state = due.state;
    emissions.push(...due.emissions);
  };
  for (const e of events) {
    fire(Date.parse(e.occurredAt));
    const result = applyContactEvent(state, e, policies);
    state = result.state;
    emissions.push(...result.emissions);
  }
  if (until !== undefined) fire(until);
  return { state, emissions };
}

const summary = (emissions: SlaEmission[]) =>
  emissions.map(
    (e) =>
      `${e.type} ${e.target} @${(e.occurredAt - T0) / min}m${e.withinTarget === undefined ? '' : e.withinTarget ? ' in time' : ' late'}`,
  );

describe('contact clock', () => {
  it('meets the first response when an agent replies in time', () => {
    const { emissions } = run([event('contact.opened', T0), event('agent.replied', T0 + 3 * min)]);
    expect(summary(emissions)).toEqual(['sla.met first_response @3m in time']);
  });

  it('warns at each warning point, then breaches at the due instant', () => {
    const { state, emissions } = run([event('contact.opened', T0)], T0 + 11 * min);
    expect(summary(emissions)).toEqual([
      'sla.warning first_response @5m',
      'sla.warning first_response @8m',
      'sla.breached first_response @10m',
    ]);
    expect(emissions[2].eventId).toBe(`c1.first_response.${T0}.1.sla.breached`);
    const placement = queuePlacement(state!, policies.byId('default', 1));
    expect(placement).toMatchObject({ waitingSince: T0, breachedDue: T0 + 10 * min });
    // Still waiting: the resolution clock (1h) is the next deadline.
    expect(nextDeadline(state!, policies.byId('default', 1))).toBe(T0 + 60 * min);
  });

  it('a late reply after a breach is met, but not in time', () => {
    const { emissions } = run([event('contact.opened', T0), event('agent.replied', T0 + 12 * min)]);
    expect(summary(emissions).slice(-2)).toEqual([
      'sla.breached first_response @10m',
      'sla.met first_response @12m late',
    ]);
  });

  it('starts next_response on a customer follow-up after an agent reply', () => {
    const { emissions } = run(
      [
        event('contact.opened', T0),
        event('agent.replied', T0 + min),
        event('customer.replied', T0 + 20 * min),
      ],
      T0 + 51 * min,
    );
    expect(summary(emissions)).toEqual([
      'sla.met first_response @1m in time',
      'sla.breached next_response @50m',
    ]);
  });

  it('does not start a response clock for a follow-up while the customer still waits', () => {
    const { state } = run([event('contact.opened', T0), event('customer.replied', T0 + 2 * min)]);
    expect(state!.clocks.map((c) => [c.target, c.startedAt])).toEqual([
      ['first_response', T0],
      ['resolution', T0],
    ]);
  });

  it('pauses resolution while waiting on the customer and resumes on their reply', () => {
    const { emissions } = run(
      [
        event('contact.opened', T0),
        event('agent.replied', T0 + min),
        event('contact.waiting_on_customer', T0 + 20 * min),
        event('customer.replied', T0 + 50 * min),
        event('agent.replied', T0 + 52 * min),
      ],
      T0 + 200 * min,
    );
    // 20 minutes used before the pause, 40 left from the resume at 50m: due at 90m.
    expect(summary(emissions)).toEqual([
      'sla.met first_response @1m in time',
      'sla.met next_response @52m in time',
      'sla.breached resolution @90m',
    ]);
  });

  it('owes a callback for a missed call', () => {
    const { emissions } = run([event('call.missed', T0)], T0 + 21 * min);
    expect(summary(emissions)).toEqual(['sla.breached callback @20m']);
  });

  it('resolving cancels waiting clocks and meets resolution; a reopen continues the resolution count', () => {
    const resolved = run([event('contact.opened', T0), event('contact.resolved', T0 + 4 * min)]);
    expect(summary(resolved.emissions)).toEqual([
      'sla.cancelled first_response @4m',
      'sla.met resolution @4m in time',
    ]);
    expect(resolved.state!.status).toBe('resolved');
    const reopened = applyContactEvent(
      resolved.state,
      event('contact.reopened', T0 + 30 * min),
      policies,
    );
    const resolution = reopened.state!.clocks.find((c) => c.target === 'resolution')!;
    expect(resolution.elapsedMs).toBe(4 * min);
    expect(nextDeadline(reopened.state!, policies.byId('default', 1))).toBe(
      T0 + 30 * min + 56 * min,
    );
  });

  it('ignores a reply older than the clock it would stop (out of order)', () => {
    const { state, emissions } = run([
      event('contact.opened', T0),
      event('agent.replied', T0 + min),
      event('customer.replied', T0 + 10 * min),
      event('agent.replied', T0 + 5 * min), // arrives late, answered the earlier message
    ]);
    expect(summary(emissions)).toEqual(['sla.met first_response @1m in time']);
    expect(state!.clocks.map((c) => c.target)).toContain('next_response');
  });

  it('starts no first-response clock for a message already answered (reply seen first)', () => {
    const { state, emissions } = run([
      event('agent.replied', T0 + 5 * min),
      event('contact.opened', T0),
    ]);
    expect(emissions).toEqual([]);
    expect(state!.clocks.map((c) => c.target)).toEqual(['resolution']);
  });

  it('ignores lifecycle events older than the latest one applied (the newer state stands)', () => {
    // Resolved, then a resolve from before a later message arrives late: it must not cancel.
    const late = run([
      event('contact.opened', T0),
      event('agent.replied', T0 + min),
      event('customer.replied', T0 + 10 * min),
      event('contact.resolved', T0 + 5 * min),
    ]);
    expect(late.state!.status).toBe('open');
    expect(late.state!.clocks.map((c) => c.target).sort()).toEqual(['next_response', 'resolution']);
    // A pause that arrives after a later resume would double-count: ignored.
    const pause = run(
      [
        event('contact.opened', T0),
        event('contact.waiting_on_customer', T0 + 10 * min),
        event('contact.resumed', T0 + 20 * min),
        event('contact.waiting_on_customer', T0 + 15 * min),
      ],
      T0 + 71 * min,
    );
    expect(summary(pause.emissions).filter((e) => e.includes('resolution'))).toEqual([
      'sla.breached resolution @70m',
    ]);
  });

  it('a contact resolved before its first message arrives stays resolved', () => {
    const { state, emissions } = run(
      [event('contact.resolved', T0 + 5 * min), event('contact.opened', T0)],
      T0 + 90 * min,
    );
    expect(state!.status).toBe('resolved');
    expect(state!.clocks).toEqual([]);
    expect(emissions).toEqual([]);
  });

  it('re-selects the policy on a priority change, keeping the time used', () => {
    const { state, emissions } = run(
      [
        event('contact.opened', T0),
        event('contact.assigned', T0 + 2 * min, { priority: 'urgent' }),
      ],
      T0 + 6 * min,
    );
    expect(state!.policyId).toBe('urgent');
    expect(summary(emissions)).toEqual(['sla.breached first_response @5m']);
  });

  it('never lets a provider timestamp in the future move deadlines', () => {
    const e = {
      ...event('contact.opened', T0 + 60 * min),
      receivedAt: new Date(T0).toISOString(),
    } as ContactEvent;
    const { state } = run([e]);
    expect(state!.clocks[0].startedAt).toBe(T0);
  });

  it('counts only business hours when the policy has a calendar', () => {
    const office = lookup({
      calendars: [
        {
          id: 'office',
          timeZone: 'Europe/Berlin',
          weekly: {
            mon: [['09:00', '17:00']],
            tue: [['09:00', '17:00']],
            fri: [['09:00', '17:00']],
          },
        },
      ],
      policies: [{ id: 'default', calendar: 'office', targets: { first_response: '1h' } }],
    });
    // Friday 16:30 Berlin (15:30Z): 30 minutes left that day, the other 30 on Monday from 09:00.
    const friday = Date.parse('2026-03-06T15:30:00Z');
    const opened = applyContactEvent(undefined, event('contact.opened', friday), office);
    expect(new Date(nextDeadline(opened.state!, office.byId('default', 1))!).toISOString()).toBe(
      '2026-03-09T08:30:00.000Z',
    );
  });
});
