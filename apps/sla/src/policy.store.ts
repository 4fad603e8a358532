import { readFileSync } from 'node:fs';
import { parsePolicyFile, PolicyFileError, selectPolicy } from '@replywatch/sla-clock';
import type { Policy, PolicyFile, PolicySubject } from '@replywatch/sla-clock';

/** The policies in force, read and validated at start (a bad file stops the service). */
export class PolicyStore {
  private file: PolicyFile;

  constructor(private readonly path: string) {
    this.file = PolicyStore.read(path);
  }

  static read(path: string): PolicyFile {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new PolicyFileError(path, [`cannot read POLICY_FILE: ${(error as Error).message}`]);
    }
    return parsePolicyFile(text, path);
  }

  select(subject: PolicySubject): Policy {
    return selectPolicy(this.file, subject);
  }

  get policies(): readonly Policy[] {
    return this.file.policies;
  }
}
