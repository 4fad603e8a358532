import { chooseChain } from './chain-routing';
import type { RoutingSubject } from './chain-routing';
import { parseEscalationDocument } from './escalation-document.parser';
import type { EscalationDocumentInput } from './escalation-document.schema';

type Match = NonNullable<NonNullable<EscalationDocumentInput['routes']>[number]['match']>;

const level = { notify: [{ target: 'assignee' }] };
const chains = ['first', 'second', 'matched', 'fallback'].map((id) => ({ id, levels: [level] }));

const docWith = (routes: EscalationDocumentInput['routes'], defaultChain?: string) =>
  parseEscalationDocument({ chains, routes, defaultChain }, 'routing.json');

const breach: RoutingSubject = {
  trigger: 'sla.breached',
  policyId: 'gold',
  channel: 'email',
  priority: 'high',
  team: 'support',
  target: 'first_response',
};

describe('chooseChain', () => {
  it('picks the first route that matches, not a later one', () => {
    const doc = docWith([
      { match: { priorities: ['low'] }, chain: 'first' },
      { match: { priorities: ['high'] }, chain: 'matched' },
      { match: {}, chain: 'second' },
    ]);
    expect(chooseChain(doc, breach)).toBe('matched');
  });

  it('treats a route without match fields as matching everything', () => {
    expect(chooseChain(docWith([{ chain: 'matched' }], 'fallback'), breach)).toBe('matched');
  });

  const fields: [string, Match, Match][] = [
    ['events', { events: ['sla.breached'] }, { events: ['sla.warning', 'source.silent'] }],
    ['policies', { policies: ['silver', 'gold'] }, { policies: ['silver'] }],
    ['channels', { channels: ['email', 'chat'] }, { channels: ['phone'] }],
    ['priorities', { priorities: ['high', 'urgent'] }, { priorities: ['normal'] }],
    ['teams', { teams: ['support'] }, { teams: ['billing'] }],
    ['targets', { targets: ['first_response'] }, { targets: ['resolution', 'source_silent'] }],
  ];
  it.each(fields)('filters on %s', (_name, matching, failing) => {
    const doc = docWith(
      [
        { match: failing, chain: 'first' },
        { match: matching, chain: 'matched' },
      ],
      'fallback',
    );
    expect(chooseChain(doc, breach)).toBe('matched');
    expect(chooseChain(docWith([{ match: failing, chain: 'first' }], 'fallback'), breach)).toBe(
      'fallback',
    );
  });

  it('requires every listed field to match', () => {
    const doc = docWith(
      [{ match: { priorities: ['high'], channels: ['phone'] }, chain: 'first' }],
      'fallback',
    );
    expect(chooseChain(doc, breach)).toBe('fallback');
    expect(chooseChain(doc, { ...breach, channel: 'phone' })).toBe('first');
  });

  it('does not match a route listing teams when the subject has no team', () => {
    const doc = docWith([{ match: { teams: ['support'] }, chain: 'matched' }], 'fallback');
    expect(chooseChain(doc, { ...breach, team: undefined })).toBe('fallback');
    expect(chooseChain(doc, breach)).toBe('matched');
  });

  it('never matches an unknown channel against a channel list', () => {
    const doc = docWith([{ match: { channels: ['email'] }, chain: 'matched' }], 'fallback');
    expect(chooseChain(doc, { ...breach, channel: 'unknown' })).toBe('fallback');
  });

  it('sends an unmatched breach to the default chain', () => {
    const doc = docWith([{ match: { policies: ['silver'] }, chain: 'matched' }], 'fallback');
    expect(chooseChain(doc, breach)).toBe('fallback');
  });

  it('sends an unmatched breach to the first chain when there is no default', () => {
    const doc = docWith([{ match: { policies: ['silver'] }, chain: 'matched' }]);
    expect(chooseChain(doc, breach)).toBe('first');
  });

  it('starts nothing for an unmatched warning', () => {
    const doc = docWith([{ match: { events: ['sla.breached'] }, chain: 'matched' }], 'fallback');
    expect(chooseChain(doc, { ...breach, trigger: 'sla.warning' })).toBeUndefined();
    expect(chooseChain(docWith([]), { ...breach, trigger: 'sla.warning' })).toBeUndefined();
  });

  it('starts a warning chain only when a route asks for warnings', () => {
    const doc = docWith([{ match: { events: ['sla.warning'] }, chain: 'matched' }], 'fallback');
    expect(chooseChain(doc, { ...breach, trigger: 'sla.warning' })).toBe('matched');
  });

  it('sends an unmatched silent source to the default chain', () => {
    const silent: RoutingSubject = {
      trigger: 'source.silent',
      policyId: 'gold',
      channel: 'phone',
      priority: 'normal',
      target: 'source_silent',
    };
    const doc = docWith([{ match: { events: ['sla.breached'] }, chain: 'matched' }], 'fallback');
    expect(chooseChain(doc, silent)).toBe('fallback');
    expect(chooseChain(docWith([]), silent)).toBe('first');
    expect(
      chooseChain(docWith([{ match: { targets: ['source_silent'] }, chain: 'matched' }]), silent),
    ).toBe('matched');
  });
});
