import { bumpChangedVersions } from './policy-versioning';

describe('policy versions', () => {
  const base = {
    policies: [
      { id: 'vip', version: 3, match: { tags: ['vip'] }, targets: { first_response: '5m' } },
      { id: 'default', version: 1, targets: { first_response: '4h' } },
    ],
  };

  it('bumps only the policies whose content changed', () => {
    const edited = {
      policies: [
        { id: 'vip', match: { tags: ['vip'] }, targets: { first_response: '5m' } },
        { id: 'default', targets: { first_response: '2h' } },
        { id: 'new', targets: { first_response: '1h' } },
      ],
    };
    const next = bumpChangedVersions(base, edited);
    expect(next.policies.map((p) => `${p.id}@${p.version}`)).toEqual([
      'vip@3',
      'default@2',
      'new@1',
    ]);
  });

  it('takes a higher version the editor gave', () => {
    const next = bumpChangedVersions(base, {
      policies: [{ id: 'default', version: 9, targets: { first_response: '1h' } }],
    });
    expect(next.policies[0].version).toBe(9);
  });
});
