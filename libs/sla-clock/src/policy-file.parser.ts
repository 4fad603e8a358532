import { policyFileSchema } from './policy.schema';
import type { PolicyFile } from './policy.schema';
import { configProblems } from './config-problems';

export class PolicyFileError extends Error {
  readonly code = 'SLA.POLICY_FILE_INVALID';
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`invalid policy file ${origin}:\n  - ${problems.join('\n  - ')}`);
    this.name = 'PolicyFileError';
  }
}

/** Parse and validate policy-file text; every problem is named with its JSON path. */
export function parsePolicyFile(text: string, origin: string): PolicyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyFileError(origin, [`not valid JSON: ${(error as Error).message}`]);
  }
  const result = policyFileSchema.safeParse(raw);
  if (!result.success) {
    throw new PolicyFileError(origin, configProblems(result.error));
  }
  return result.data;
}
