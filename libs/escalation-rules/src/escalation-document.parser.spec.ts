import {
  EscalationDocumentError,
  parseEscalationDocument,
  parseEscalationDocumentText,
} from './escalation-document.parser';
import type { EscalationDocumentInput } from './escalation-document.schema';

const SECRET = 'whsec-0123456789abcdef';

type Section = 'calendars' | 'people' | 'teams' | 'rotations' | 'endpoints' | 'routes';
/** The input with its lists present, so tests can edit them. */
type Input = EscalationDocumentInput & {
  [K in Section]-?: NonNullable<EscalationDocumentInput[K]>;
};

/** A document using every section; each test copies it and breaks what it is about. */
const validInput = (): Input => ({
  calendars: [
    {
      id: 'office',
      timeZone: 'Europe/Berlin',
      weekly: { mon: [['09:00', '17:00']], fri: [['09:00', '17:00']] },
    },
  ],
  people: [
    {
      id: 'alice',
      name: 'Alice',
      email: 'alice@example.com',
      chat: 'slack-ops',
      calendar: 'office',
      agentIds: ['zendesk:42', 'intercom:a1'],
    },
    { id: 'bob', email: 'bob@example.com', webhook: 'pager' },
    { id: 'carol', email: 'carol@example.com' },
  ],
  teams: [
    { id: 'support', name: 'Support', members: ['alice', 'bob'] },
    {
      id: 'ops',
      members: ['carol'],
      email: 'ops@example.com',
      chat: 'teams-ops',
      webhook: 'pager',
    },
  ],
  rotations: [{ id: 'primary', people: ['alice', 'bob'], start: '2026-11-23T09:00:00+01:00' }],
  endpoints: [
    { id: 'pager', type: 'webhook', url: 'https://pager.example.com/hook', secret: SECRET },
    { id: 'slack-ops', type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
    { id: 'teams-ops', type: 'teams', url: 'https://example.webhook.office.com/x' },
  ],
  chains: [
    {
      id: 'breach',
      name: 'Breaches',
      levels: [
        { notify: [{ target: 'team:support' }], wait: '5m' },
        { notify: [{ target: 'team:ops', channels: ['webhook', 'chat'] }], wait: 600 },
        { notify: [{ target: 'oncall:primary' }, { target: 'assignee' }], anyTime: true },
      ],
      repeat: 2,
      ackTimeout: '1h30m',
      fallback: { target: 'person:carol' },
    },
    { id: 'warn', levels: [{ notify: [{ target: 'contact-team', channels: ['email'] }] }] },
  ],
  routes: [
    { match: { events: ['sla.warning'], priorities: ['urgent'] }, chain: 'warn' },
    { chain: 'breach' },
  ],
  defaultChain: 'breach',
  fatigue: {
    email: { maxPerWindow: 3, window: '15m' },
    webhook: { maxPerWindow: 10, window: '1m', hold: '30s' },
  },
});

/** The problems a document is refused with, asserting the error's type and code. */
function problemsOf(input: unknown): string[] {
  try {
    parseEscalationDocument(input, 'test.json');
  } catch (error) {
    expect(error).toBeInstanceOf(EscalationDocumentError);
    const documentError = error as EscalationDocumentError;
    expect(documentError.code).toBe('ESCALATION.DOCUMENT_INVALID');
    expect(documentError.origin).toBe('test.json');
    expect(documentError.message).toContain('invalid escalation document test.json');
    return documentError.problems;
  }
  throw new Error('the document was accepted');
}

describe('parseEscalationDocument', () => {
  it('accepts a full document and applies the defaults', () => {
    const doc = parseEscalationDocument(validInput(), 'test.json');

    expect(doc.people.map((p) => p.agentIds)).toEqual([['zendesk:42', 'intercom:a1'], [], []]);
    expect(doc.calendars[0]).toMatchObject({ id: 'office', alwaysOpen: false });
    expect(doc.teams[1]).toEqual({
      id: 'ops',
      members: ['carol'],
      email: 'ops@example.com',
      chat: 'teams-ops',
      webhook: 'pager',
    });
    expect(doc.rotations[0].every).toBe(7 * 86_400_000);

    const [breach, warn] = doc.chains;
    expect(breach.levels.map((l) => l.wait)).toEqual([300_000, 600_000, 300_000]);
    expect(breach.levels.map((l) => l.anyTime)).toEqual([false, false, true]);
    expect(breach.levels[0].notify).toEqual([{ target: 'team:support', channels: ['email'] }]);
    expect(breach.levels[1].notify[0].channels).toEqual(['webhook', 'chat']);
    expect(breach.repeat).toBe(2);
    expect(breach.ackTimeout).toBe(5_400_000);
    expect(breach.fallback).toEqual({ target: 'person:carol', channels: ['email'] });
    expect(warn.repeat).toBe(0);
    expect(warn.ackTimeout).toBeUndefined();
    expect(warn.levels[0].wait).toBe(300_000);

    expect(doc.routes).toEqual([
      { match: { events: ['sla.warning'], priorities: ['urgent'] }, chain: 'warn' },
      { match: {}, chain: 'breach' },
    ]);
    expect(doc.defaultChain).toBe('breach');
    expect(doc.fatigue).toEqual({
      email: { maxPerWindow: 3, window: 900_000, hold: 60_000 },
      webhook: { maxPerWindow: 10, window: 60_000, hold: 30_000 },
      // Left out, so it keeps its default.
      chat: { maxPerWindow: 5, window: 600_000, hold: 60_000 },
    });
  });

  it("turns a channel's throttle off with null", () => {
    const doc = parseEscalationDocument(
      {
        chains: [{ id: 'only', levels: [{ notify: [{ target: 'assignee' }] }] }],
        fatigue: { chat: null },
      },
      'no-chat-throttle.json',
    );
    expect(doc.fatigue).toEqual({ email: { maxPerWindow: 5, window: 600_000, hold: 60_000 } });
  });

  it('fills in every section a minimal document leaves out', () => {
    const doc = parseEscalationDocument(
      { chains: [{ id: 'only', levels: [{ notify: [{ target: 'assignee' }] }] }] },
      'minimal.json',
    );
    expect(doc).toMatchObject({
      calendars: [],
      people: [],
      teams: [],
      rotations: [],
      endpoints: [],
      routes: [],
      fatigue: {
        email: { maxPerWindow: 5, window: 600_000, hold: 60_000 },
        chat: { maxPerWindow: 5, window: 600_000, hold: 60_000 },
      },
    });
    expect(doc.fatigue.webhook).toBeUndefined();
    expect(doc.defaultChain).toBeUndefined();
  });

  it('reads a rotation turn length as a duration', () => {
    const input = validInput();
    input.rotations = [{ id: 'r', people: ['alice'], start: '2026-11-23T08:00:00Z', every: '12h' }];
    input.chains = [{ id: 'c', levels: [{ notify: [{ target: 'oncall:r' }] }] }];
    input.routes = [];
    input.defaultChain = undefined;
    expect(parseEscalationDocument(input, 'test.json').rotations[0].every).toBe(43_200_000);
  });

  it('lists every field problem at once, each named by its path', () => {
    const input = validInput();
    input.chains[0].levels[0].wait = 'soon';
    input.chains[0].levels[1].notify[0].target = 'group:ops';
    input.rotations = [{ id: 'primary', people: [], start: 'yesterday' }];
    input.endpoints[1].url = 'ftp://example.com';
    input.people[0].email = 'not-an-address';
    input.chains[1].levels = [];

    const problems = problemsOf(input);
    const paths = problems.map((p) => p.slice(0, p.indexOf(':')));
    expect(paths.sort()).toEqual(
      [
        'chains.0.levels.0.wait',
        'chains.0.levels.1.notify.0.target',
        'chains.1.levels',
        'endpoints.1.url',
        'people.0.email',
        'rotations.0.people',
        'rotations.0.start',
      ].sort(),
    );
    expect(problems).toContain(
      'chains.0.levels.0.wait: "soon" is not a duration: use seconds or e.g. "90s", "15m", "1h30m", "2d"',
    );
    expect(problems).toContain(
      'chains.0.levels.1.notify.0.target: must be "person:<id>", "team:<id>", "oncall:<rotation>", "assignee" or "contact-team"',
    );
    expect(problems).toContain('chains.1.levels: a chain needs at least one level');
    expect(problems).toContain('rotations.0.people: needs at least one person');
  });

  it('names the root when the document is not an object, and a missing chains list', () => {
    expect(problemsOf([])).toEqual([expect.stringMatching(/^\(root\): /)]);
    expect(problemsOf({})).toEqual([expect.stringMatching(/^chains: /)]);
  });

  it('refuses unknown keys', () => {
    expect(problemsOf({ ...validInput(), extra: true })).toEqual([
      expect.stringMatching(/^\(root\): .*extra/),
    ]);
  });

  it('lists every cross-reference problem at once, each named by its path', () => {
    const input = validInput();
    input.calendars.push({ id: 'office', alwaysOpen: true });
    input.people.push({ id: 'bob', email: 'bob2@example.com' });
    input.people[2].calendar = 'night';
    input.people[0].chat = 'pager';
    input.people[1].webhook = 'slack-ops';
    input.people[2].webhook = 'nowhere';
    input.endpoints[0].secret = undefined;
    input.teams[0].members = ['alice', 'x'];
    input.rotations[0].people = ['alice', 'ghost'];
    input.chains[0].levels[1].notify.push({ target: 'person:x' });
    input.chains[0].levels[1].notify.push({ target: 'team:nope' });
    input.chains[0].levels[1].notify.push({ target: 'oncall:secondary' });
    input.chains[0].levels[1].notify.push({ target: 'person:carol', channels: ['email', 'chat'] });
    input.chains[1].fallback = { target: 'team:support', channels: ['webhook'] };
    input.chains.push({ id: 'warn', levels: [{ notify: [{ target: 'assignee' }] }] });
    input.routes.push({ chain: 'missing' });
    input.defaultChain = 'gone';

    expect(problemsOf(input)).toEqual([
      'calendars: duplicate id "office"',
      'people: duplicate id "bob"',
      'chains: duplicate id "warn"',
      'endpoints.0.secret: a webhook endpoint needs a signing secret',
      'people.0.chat: endpoint "pager" is a webhook, not a slack or teams chat',
      'people.1.webhook: endpoint "slack-ops" is slack, not a webhook',
      'people.2.webhook: unknown endpoint "nowhere"',
      'people.2.calendar: unknown calendar "night"',
      'teams.0.members.1: unknown person "x"',
      'rotations.0.people.1: unknown person "ghost"',
      'chains.0.levels.1.notify.1.target: unknown person "x"',
      'chains.0.levels.1.notify.2.target: unknown team "nope"',
      'chains.0.levels.1.notify.3.target: unknown rotation "secondary"',
      'chains.0.levels.1.notify.4.channels: person "carol" has no chat address',
      'chains.1.fallback.channels: team "support" has no webhook address, nor do its members',
      'routes.2.chain: unknown chain "missing"',
      'defaultChain: unknown chain "gone"',
    ]);
  });

  it('finds an unknown person in a later level and a team endpoint of the wrong type', () => {
    const input = validInput();
    input.chains[0].levels[1].notify = [{ target: 'person:x' }];
    input.teams[1].chat = 'pager';
    input.teams[1].webhook = 'teams-ops';
    expect(problemsOf(input)).toEqual([
      'teams.1.webhook: endpoint "teams-ops" is teams, not a webhook',
      'teams.1.chat: endpoint "pager" is a webhook, not a slack or teams chat',
      'chains.0.levels.1.notify.0.target: unknown person "x"',
    ]);
  });

  it('accepts a team reached on a channel only through one of its members', () => {
    const input = validInput();
    // support has no shared webhook, but bob has one.
    input.chains[1].fallback = { target: 'team:support', channels: ['webhook', 'chat'] };
    expect(() => parseEscalationDocument(input, 'test.json')).not.toThrow();
  });

  it('rejects an endpoint secret shorter than 16 characters', () => {
    const input = validInput();
    input.endpoints[0].secret = 'short';
    expect(problemsOf(input)).toEqual(['endpoints.0.secret: needs 16+ characters']);
  });
});

describe('parseEscalationDocumentText', () => {
  it('parses JSON text', () => {
    const doc = parseEscalationDocumentText(JSON.stringify(validInput()), 'escalation.json');
    expect(doc.chains.map((c) => c.id)).toEqual(['breach', 'warn']);
  });

  it('refuses text that is not JSON', () => {
    let thrown: unknown;
    try {
      parseEscalationDocumentText('{ chains: [', 'broken.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EscalationDocumentError);
    expect(thrown).toMatchObject({
      code: 'ESCALATION.DOCUMENT_INVALID',
      origin: 'broken.json',
      problems: [expect.stringMatching(/^not valid JSON: /)],
    });
  });

  it('reports schema problems of valid JSON', () => {
    expect(() => parseEscalationDocumentText('{"chains": []}', 'empty.json')).toThrow(
      /chains: needs at least one chain/,
    );
  });
});
