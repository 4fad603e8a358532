import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstResponseDueAt } from './first-response.deadline';
import { parsePolicyFile, PolicyFileError } from './policy-file.parser';
import { selectPolicy } from './policy.matcher';

const file = (policies: unknown) => JSON.stringify({ policies });

describe('policy file', () => {
  it('accepts the shipped config/policies.json', () => {
    const path = join(__dirname, '../../../config/policies.json');
    const parsed = parsePolicyFile(readFileSync(path, 'utf8'), path);
    expect(parsed.policies.at(-1)?.id).toBe('default');
  });

  it('names every problem with its path', () => {
    const text = file([
      { id: 'Bad Id', targets: { first_response: 'soon' } },
      { id: 'x', match: { channel: ['fax'] }, targets: {} },
    ]);
    expect(() => parsePolicyFile(text, 'p.json')).toThrow(PolicyFileError);
    try {
      parsePolicyFile(text, 'p.json');
    } catch (error) {
      const problems = (error as PolicyFileError).problems.join('\n');
      expect(problems).toContain('policies.0.id');
      expect(problems).toContain('policies.0.targets.first_response: "soon" is not a duration');
      expect(problems).toContain('policies.1.match.channel.0');
      expect(problems).toContain('policies.1.targets.first_response: required: a duration');
    }
  });

  it('requires a catch-all default policy last', () => {
    const text = file([
      { id: 'x', match: { channel: ['chat'] }, targets: { first_response: '1m' } },
    ]);
    expect(() => parsePolicyFile(text, 'p.json')).toThrow(
      /policies\.0\.match: the last policy is the default and must have no "match"/,
    );
  });

  it('refuses duplicate ids, bad JSON and an empty list', () => {
    expect(() =>
      parsePolicyFile(
        file([
          { id: 'a', targets: { first_response: 60 } },
          { id: 'a', targets: { first_response: 60 } },
        ]),
        'p',
      ),
    ).toThrow(/duplicate policy id "a"/);
    expect(() => parsePolicyFile('{', 'p')).toThrow(/not valid JSON/);
    expect(() => parsePolicyFile(file([]), 'p')).toThrow(/policies/);
  });
});

describe('policy selection', () => {
  const policies = parsePolicyFile(
    file([
      { id: 'urgent', match: { priority: ['urgent'] }, targets: { first_response: '15m' } },
      {
        id: 'vip-chat',
        match: { channel: ['chat'], tags: ['vip'] },
        targets: { first_response: '2m' },
      },
      { id: 'default', targets: { first_response: '4h' } },
    ]),
    'p',
  );
  const subject = {
    channel: 'chat' as const,
    priority: 'normal' as const,
    source: 'crm',
    tags: [] as string[],
  };

  it('takes the first policy whose conditions all match', () => {
    expect(selectPolicy(policies, { ...subject, priority: 'urgent', tags: ['vip'] }).id).toBe(
      'urgent',
    );
    expect(selectPolicy(policies, { ...subject, tags: ['vip', 'de'] }).id).toBe('vip-chat');
    expect(selectPolicy(policies, { ...subject, channel: 'email', tags: ['vip'] }).id).toBe(
      'default',
    );
    expect(selectPolicy(policies, subject).id).toBe('default');
  });

  it('computes the first-response due instant in calendar time', () => {
    const policy = selectPolicy(policies, subject);
    expect(firstResponseDueAt(policy, Date.parse('2026-03-02T09:00:00Z'))).toBe(
      Date.parse('2026-03-02T13:00:00Z'),
    );
  });
});
