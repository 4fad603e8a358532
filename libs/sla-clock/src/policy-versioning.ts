import type { PolicyFileInput } from './policy.schema';

type PolicyInput = PolicyFileInput['policies'][number];

function withoutVersion(policy: PolicyInput): string {
  const { version: _version, ...rest } = policy;
  return JSON.stringify(rest);
}

/**
 * Give every policy that changed a new version (running contacts keep the version they started
 * with): previous version + 1, or the version the editor gave if higher. Unchanged ones keep theirs.
 */
export function bumpChangedVersions(
  previous: PolicyFileInput | undefined,
  next: PolicyFileInput,
): PolicyFileInput {
  const before = new Map((previous?.policies ?? []).map((policy) => [policy.id, policy] as const));
  return {
    ...next,
    policies: next.policies.map((policy) => {
      const old = before.get(policy.id);
      if (old === undefined) return { ...policy, version: policy.version ?? 1 };
      const oldVersion = old.version ?? 1;
      if (withoutVersion(old) === withoutVersion(policy)) return { ...policy, version: oldVersion };
      return { ...policy, version: Math.max(oldVersion + 1, policy.version ?? 0) };
    }),
  };
}
