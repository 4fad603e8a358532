import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePolicyFile } from './clock/resolved-policy';
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
      expect(problems).toContain(
        'policies.0.targets.first_response.within: "soon" is not a duration',
      );
      expect(problems).toContain('policies.1.match.channel.0');
      expect(problems).toContain('policies.1.targets: a policy needs at least one target');
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

  it('matches customer tier and public posts', () => {
    const file = parsePolicyFile(
      JSON.stringify({
        policies: [
          { id: 'gold', match: { tier: ['gold'] }, targets: { first_response: '5m' } },
          { id: 'public', match: { public: true }, targets: { first_response: '30m' } },
          { id: 'default', targets: { first_response: '4h' } },
        ],
      }),
      'p',
    );
    expect(selectPolicy(file, { ...subject, tier: 'gold' }).id).toBe('gold');
    expect(selectPolicy(file, { ...subject, public: true }).id).toBe('public');
    expect(selectPolicy(file, { ...subject, tier: 'silver', public: false }).id).toBe('default');
  });

  it('resolves targets, warning points and calendars into milliseconds', () => {
    const file = parsePolicyFile(
      JSON.stringify({
        calendars: [
          { id: 'office', timeZone: 'Europe/Berlin', weekly: { mon: [['09:00', '17:00']] } },
        ],
        policies: [
          {
            id: 'default',
            calendar: 'office',
            targets: {
              first_response: { within: '1h', warnAt: ['75%', '10m', '90%'] },
              resolution: { within: '2d', businessHours: false },
            },
          },
        ],
      }),
      'p',
    );
    const resolved = resolvePolicyFile(file).get('default')!;
    expect(resolved.calendar).toMatchObject({ id: 'office' });
    expect(resolved.targets.first_response).toEqual({
      target: 'first_response',
      limitMs: 3600000,
      business: true,
      warnAtMs: [2700000, 3000000, 3240000],
    });
    expect(resolved.targets.resolution).toMatchObject({
      limitMs: 172800000,
      business: false,
      warnAtMs: [],
    });
  });

  it('names unknown calendars and warnings that come before the clock starts', () => {
    const text = file([
      {
        id: 'default',
        calendar: 'nope',
        targets: { first_response: { within: '10m', warnAt: ['15m', 'soon'] } },
      },
    ]);
    expect(() => parsePolicyFile(text, 'p')).toThrow(
      /policies\.0\.targets\.first_response\.warnAt\.1/,
    );
    const text2 = file([
      {
        id: 'default',
        calendar: 'nope',
        targets: { first_response: { within: '10m', warnAt: ['15m'] } },
      },
    ]);
    try {
      parsePolicyFile(text2, 'p');
    } catch (error) {
      const problems = (error as PolicyFileError).problems.join('\n');
      expect(problems).toContain('policies.0.calendar: no calendar with id "nope"');
      expect(problems).toContain('policies.0.targets.first_response.warnAt.0');
    }
  });
});
