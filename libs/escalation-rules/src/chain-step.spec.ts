import fc from 'fast-check';
import { nextPosition, planStep } from './chain-step';
import type { StepPosition } from './chain-step';
import { parseEscalationDocument } from './escalation-document.parser';
import type { Chain } from './escalation-document.schema';

const at = (iso: string) => Date.parse(iso);
/** Monday, inside the office hours (09:00-17:00 Berlin). */
const DAY = at('2026-11-23T10:00:00+01:00');
/** Tuesday, 03:00 in Berlin: everybody with the office calendar is off shift. */
const NIGHT = at('2026-11-24T03:00:00+01:00');

const doc = parseEscalationDocument(
  {
    calendars: [
      {
        id: 'office',
        timeZone: 'Europe/Berlin',
        weekly: Object.fromEntries(
          ['mon', 'tue', 'wed', 'thu', 'fri'].map((day) => [day, [['09:00', '17:00']]]),
        ),
      },
    ],
    people: [
      {
        id: 'alice',
        email: 'alice@example.com',
        chat: 'slack-ops',
        calendar: 'office',
        agentIds: ['zendesk:42'],
      },
      { id: 'bob', email: 'bob@example.com', webhook: 'pager' },
      { id: 'carol', email: 'carol@example.com', calendar: 'office' },
      { id: 'dave', webhook: 'pager' },
      { id: 'erin', email: 'erin@example.com', calendar: 'office' },
    ],
    teams: [
      { id: 'support', members: ['alice', 'bob', 'carol'] },
      {
        id: 'ops',
        members: ['carol'],
        email: 'ops@example.com',
        webhook: 'pager',
        chat: 'teams-ops',
      },
      { id: 'night', members: ['carol'] },
      { id: 'mixed', members: ['dave', 'bob'] },
    ],
    rotations: [
      // erin has the week of 2026-11-23, bob the week after.
      { id: 'primary', people: ['erin', 'bob'], start: '2026-11-23T00:00:00+01:00' },
    ],
    endpoints: [
      {
        id: 'pager',
        type: 'webhook',
        url: 'https://pager.example.com/hook',
        secret: 'x'.repeat(16),
      },
      { id: 'slack-ops', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
      { id: 'teams-ops', type: 'teams', url: 'https://example.webhook.office.com/x' },
    ],
    chains: [
      {
        id: 'main',
        levels: [
          { notify: [{ target: 'team:support' }, { target: 'person:alice' }], wait: '5m' },
          { notify: [{ target: 'team:ops', channels: ['webhook', 'chat'] }], wait: '10m' },
          { notify: [{ target: 'person:bob', channels: ['email', 'webhook'] }], wait: '15m' },
        ],
      },
      { id: 'night', levels: [{ notify: [{ target: 'team:night' }] }] },
      { id: 'night-any', levels: [{ notify: [{ target: 'team:night' }], anyTime: true }] },
      {
        id: 'night-fallback',
        levels: [{ notify: [{ target: 'team:night' }] }],
        fallback: { target: 'person:carol' },
      },
      {
        id: 'day-fallback',
        levels: [{ notify: [{ target: 'person:bob' }] }],
        fallback: { target: 'person:carol' },
      },
      { id: 'oncall', levels: [{ notify: [{ target: 'oncall:primary' }] }] },
      { id: 'assignee', levels: [{ notify: [{ target: 'assignee' }] }] },
      {
        id: 'contact-team',
        levels: [{ notify: [{ target: 'contact-team', channels: ['email', 'chat'] }] }],
      },
      { id: 'mixed', levels: [{ notify: [{ target: 'team:mixed' }] }] },
    ],
  },
  'chain-step.json',
);

const chain = (id: string): Chain => {
  const found = doc.chains.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no chain ${id}`);
  return found;
};
const main = chain('main');
const start: StepPosition = { level: 0, round: 0 };

describe('planStep', () => {
  it('e-mails each member of a team once, even when a person is also named', () => {
    const plan = planStep(main, start, {}, doc, DAY);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'alice@example.com', target: 'team:support', personId: 'alice' },
      { channel: 'email', address: 'bob@example.com', target: 'team:support', personId: 'bob' },
      { channel: 'email', address: 'carol@example.com', target: 'team:support', personId: 'carol' },
    ]);
    expect(plan.skipped).toEqual([]);
    expect(plan.usedFallback).toBe(false);
    expect(plan.next).toEqual({ position: { level: 1, round: 0 }, atMs: DAY + 300_000 });
  });

  it("pages a team's shared webhook and chat endpoints by endpoint id", () => {
    const plan = planStep(main, { level: 1, round: 0 }, {}, doc, DAY);
    expect(plan.deliveries).toEqual([
      { channel: 'webhook', address: 'pager', target: 'team:ops' },
      { channel: 'chat', address: 'teams-ops', target: 'team:ops' },
    ]);
    expect(plan.next).toEqual({ position: { level: 2, round: 0 }, atMs: DAY + 600_000 });
  });

  it('pages shared endpoints at any hour: someone there sees them', () => {
    const plan = planStep(main, { level: 1, round: 0 }, {}, doc, NIGHT);
    expect(plan.deliveries.map((d) => d.address)).toEqual(['pager', 'teams-ops']);
    expect(plan.skipped).toEqual([]);
  });

  it('pages a person on every channel asked for, and ends after the last level', () => {
    const plan = planStep(main, { level: 2, round: 0 }, {}, doc, DAY);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'bob@example.com', target: 'person:bob', personId: 'bob' },
      { channel: 'webhook', address: 'pager', target: 'person:bob', personId: 'bob' },
    ]);
    expect(plan.next).toBeUndefined();
    expect(plan).not.toHaveProperty('next');
  });

  it('starts the chain again after the last level while repeat allows', () => {
    const repeating: Chain = { ...main, repeat: 1 };
    expect(planStep(repeating, { level: 2, round: 0 }, {}, doc, DAY).next).toEqual({
      position: { level: 0, round: 1 },
      atMs: DAY + 900_000,
    });
    expect(planStep(repeating, { level: 0, round: 1 }, {}, doc, DAY).next).toEqual({
      position: { level: 1, round: 1 },
      atMs: DAY + 300_000,
    });
    expect(planStep(repeating, { level: 2, round: 1 }, {}, doc, DAY).next).toBeUndefined();
  });

  it('skips people off shift and pages the ones on shift', () => {
    const plan = planStep(main, start, {}, doc, NIGHT);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'bob@example.com', target: 'team:support', personId: 'bob' },
    ]);
    expect(plan.skipped).toEqual([
      { target: 'team:support', personId: 'alice', reason: 'off_shift' },
      { target: 'team:support', personId: 'carol', reason: 'off_shift' },
      { target: 'person:alice', personId: 'alice', reason: 'off_shift' },
    ]);
    expect(plan.usedFallback).toBe(false);
  });

  it('pages people off shift on an anyTime level', () => {
    const plan = planStep(chain('night-any'), start, {}, doc, NIGHT);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'carol@example.com', target: 'team:night', personId: 'carol' },
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('pages the fallback, even off shift, when nobody in the level is reachable', () => {
    const plan = planStep(chain('night-fallback'), start, {}, doc, NIGHT);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'carol@example.com', target: 'person:carol', personId: 'carol' },
    ]);
    expect(plan.skipped).toEqual([
      { target: 'team:night', personId: 'carol', reason: 'off_shift' },
    ]);
    expect(plan.usedFallback).toBe(true);
  });

  it('does not page the fallback when someone in the level was reached', () => {
    const plan = planStep(chain('day-fallback'), start, {}, doc, NIGHT);
    expect(plan.deliveries.map((d) => d.personId)).toEqual(['bob']);
    expect(plan.usedFallback).toBe(false);
  });

  it('pages nobody when nobody is reachable and there is no fallback', () => {
    const plan = planStep(chain('night'), start, {}, doc, NIGHT);
    expect(plan.deliveries).toEqual([]);
    expect(plan.skipped).toEqual([
      { target: 'team:night', personId: 'carol', reason: 'off_shift' },
    ]);
    expect(plan.usedFallback).toBe(false);
    expect(planStep(chain('night'), start, {}, doc, DAY).deliveries).toHaveLength(1);
  });

  it("pages the rotation's current person whatever their calendar says", () => {
    const oncall = chain('oncall');
    expect(planStep(oncall, start, {}, doc, NIGHT)).toMatchObject({
      deliveries: [
        {
          channel: 'email',
          address: 'erin@example.com',
          target: 'oncall:primary',
          personId: 'erin',
        },
      ],
      skipped: [],
    });
    const nextWeek = NIGHT + 7 * 86_400_000;
    expect(planStep(oncall, start, {}, doc, nextWeek).deliveries.map((d) => d.personId)).toEqual([
      'bob',
    ]);
  });

  it('finds the assignee by person id or by one of their agent ids', () => {
    const assignee = chain('assignee');
    const expected = [
      { channel: 'email', address: 'alice@example.com', target: 'assignee', personId: 'alice' },
    ];
    expect(planStep(assignee, start, { assignee: 'alice' }, doc, DAY).deliveries).toEqual(expected);
    expect(planStep(assignee, start, { assignee: 'zendesk:42' }, doc, DAY).deliveries).toEqual(
      expected,
    );
  });

  it('skips an assignee nobody knows, or a missing one, as unknown', () => {
    const assignee = chain('assignee');
    for (const context of [{ assignee: 'zendesk:99' }, {}]) {
      const plan = planStep(assignee, start, context, doc, DAY);
      expect(plan.deliveries).toEqual([]);
      expect(plan.skipped).toEqual([{ target: 'assignee', reason: 'unknown' }]);
    }
  });

  it("pages the contact's own team", () => {
    const plan = planStep(chain('contact-team'), start, { team: 'ops' }, doc, DAY);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'ops@example.com', target: 'contact-team' },
      { channel: 'chat', address: 'teams-ops', target: 'contact-team' },
    ]);
  });

  it("pages the members of the contact's team on the channels it has no shared address for", () => {
    const plan = planStep(chain('contact-team'), start, { team: 'support' }, doc, DAY);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'alice@example.com', target: 'contact-team', personId: 'alice' },
      { channel: 'chat', address: 'slack-ops', target: 'contact-team', personId: 'alice' },
      { channel: 'email', address: 'bob@example.com', target: 'contact-team', personId: 'bob' },
      { channel: 'email', address: 'carol@example.com', target: 'contact-team', personId: 'carol' },
    ]);
  });

  it('skips an unknown or missing contact team as unknown', () => {
    for (const context of [{ team: 'nope' }, {}]) {
      expect(planStep(chain('contact-team'), start, context, doc, DAY).skipped).toEqual([
        { target: 'contact-team', reason: 'unknown' },
      ]);
    }
  });

  it('skips a person without an address on the channel as no_address', () => {
    const plan = planStep(chain('mixed'), start, {}, doc, DAY);
    expect(plan.deliveries).toEqual([
      { channel: 'email', address: 'bob@example.com', target: 'team:mixed', personId: 'bob' },
    ]);
    expect(plan.skipped).toEqual([
      { target: 'team:mixed', personId: 'dave', reason: 'no_address' },
    ]);
    expect(planStep(chain('assignee'), start, { assignee: 'dave' }, doc, DAY).skipped).toEqual([
      { target: 'assignee', personId: 'dave', reason: 'no_address' },
    ]);
  });

  it('skips targets the current document no longer knows as unknown', () => {
    const snapshot: Chain = {
      ...main,
      levels: [
        {
          notify: [
            { target: 'person:gone', channels: ['email'] },
            { target: 'team:gone', channels: ['email'] },
            { target: 'oncall:gone', channels: ['email'] },
          ],
          wait: 60_000,
          anyTime: false,
        },
      ],
    };
    expect(planStep(snapshot, start, {}, doc, DAY).skipped).toEqual([
      { target: 'person:gone', reason: 'unknown' },
      { target: 'team:gone', reason: 'unknown' },
      { target: 'oncall:gone', reason: 'unknown' },
    ]);
  });

  it('refuses a position beyond the levels', () => {
    expect(() => planStep(main, { level: 3, round: 0 }, {}, doc, DAY)).toThrow(RangeError);
    expect(() => planStep(main, { level: 3, round: 0 }, {}, doc, DAY)).toThrow(
      'chain main has no level 4',
    );
  });
});

describe('nextPosition', () => {
  it('walks the levels, then the rounds', () => {
    const twice: Chain = { ...main, repeat: 1 };
    expect(nextPosition(twice, { level: 0, round: 0 })).toEqual({ level: 1, round: 0 });
    expect(nextPosition(twice, { level: 2, round: 0 })).toEqual({ level: 0, round: 1 });
    expect(nextPosition(twice, { level: 2, round: 1 })).toBeUndefined();
    expect(nextPosition(main, { level: 2, round: 0 })).toBeUndefined();
  });

  it('visits levels × (repeat + 1) positions, each once, then ends (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 20 }),
        (levelCount, repeat) => {
          const levels = Array.from({ length: levelCount }, () => main.levels[0]);
          const c: Chain = { ...main, levels, repeat };
          const visited: string[] = [];
          let position: StepPosition | undefined = { level: 0, round: 0 };
          while (position !== undefined && visited.length <= 1000) {
            expect(position.level).toBeLessThan(levelCount);
            expect(position.round).toBeLessThanOrEqual(repeat);
            visited.push(`${position.round}:${position.level}`);
            position = nextPosition(c, position);
          }
          expect(visited).toHaveLength(levelCount * (repeat + 1));
          expect(new Set(visited).size).toBe(visited.length);
        },
      ),
      { seed: 20261124 },
    );
  });
});
