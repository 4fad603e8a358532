import type { Channel, Priority } from '@replywatch/contracts';
import type { Policy, PolicyFile } from './policy.schema';

export interface PolicySubject {
  channel: Channel;
  priority: Priority;
  source: string;
  tags: readonly string[];
  tier?: string;
  public?: boolean;
}

export function policyMatches(policy: Policy, subject: PolicySubject): boolean {
  const match = policy.match;
  if (match === undefined) return true;
  if (match.channel && !match.channel.includes(subject.channel)) return false;
  if (match.priority && !match.priority.includes(subject.priority)) return false;
  if (match.source && !match.source.includes(subject.source)) return false;
  if (match.tags && !match.tags.every((tag) => subject.tags.includes(tag))) return false;
  if (match.tier && (subject.tier === undefined || !match.tier.includes(subject.tier)))
    return false;
  if (match.public !== undefined && (subject.public ?? false) !== match.public) return false;
  return true;
}

/** The first policy whose conditions match; the file's last policy matches everything. */
export function selectPolicy(file: PolicyFile, subject: PolicySubject): Policy {
  const policy = file.policies.find((candidate) => policyMatches(candidate, subject));
  // Validation guarantees a catch-all default, so this only fails on an unvalidated file.
  if (policy === undefined) throw new Error('policy file has no default policy');
  return policy;
}
