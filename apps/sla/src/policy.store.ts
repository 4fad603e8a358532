import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { Logger } from '@nestjs/common';
import {
  parsePolicyFile,
  PolicyFileError,
  resolveHeartbeats,
  resolvePolicyFile,
  selectPolicy,
} from '@replywatch/sla-clock';
import type {
  PolicyFile,
  PolicyLookup,
  PolicySubjectOf,
  ResolvedHeartbeat,
  ResolvedPolicy,
} from '@replywatch/sla-clock';

/**
 * The policies in force, read and validated at start (a bad file stops the service) and re-read
 * when the file changes (a bad edit is logged and ignored: the last good policies stay).
 * Every version seen is kept, so a running contact keeps the policy version it started with.
 */
export class PolicyStore implements PolicyLookup {
  private readonly logger = new Logger(PolicyStore.name);
  private file!: PolicyFile;
  private current = new Map<string, ResolvedPolicy>();
  private readonly versions = new Map<string, ResolvedPolicy>();
  private heartbeatsInForce: ResolvedHeartbeat[] = [];
  /** Where the policies in force came from: the file, or the ops API (which then takes precedence). */
  source: 'file' | 'api' = 'file';
  private lastApiText: string | undefined;
  /** Called after the policies in force changed (PolicySync records the new versions). */
  onChange: (() => void) | undefined;

  constructor(private readonly path: string) {
    this.use(PolicyStore.read(path));
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

  /** Poll the file for changes (fs.watch misses edits made by rename on some systems). */
  watch(intervalMs = 2000): void {
    watchFile(this.path, { interval: intervalMs, persistent: false }, () => this.reload());
  }

  unwatch(): void {
    unwatchFile(this.path);
  }

  reload(): boolean {
    if (this.source === 'api') {
      this.logger.warn(
        `${this.path} changed but is not used: the policies are managed through the ops API`,
      );
      return false;
    }
    try {
      this.use(PolicyStore.read(this.path));
      this.logger.log(`policies reloaded from ${this.path}: ${this.describe()}`);
      return true;
    } catch (error) {
      this.logger.error(
        `policy file change ignored, keeping the last good policies: ${(error as Error).message}`,
      );
      return false;
    }
  }

  /** Use policies set through the ops API (validated again here; a bad document is ignored). */
  useApiDocument(text: string): boolean {
    if (text === this.lastApiText) return false;
    try {
      this.use(parsePolicyFile(text, 'the ops API document'));
      this.lastApiText = text;
      this.source = 'api';
      this.logger.log(`policies updated through the ops API: ${this.describe()}`);
      return true;
    } catch (error) {
      this.logger.error(`policies from the ops API ignored: ${(error as Error).message}`);
      return false;
    }
  }

  /** The versions in force, to record (a contact may need them after a restart). */
  currentVersions(): Map<string, ResolvedPolicy> {
    return new Map([...this.current.values()].map((p) => [`${p.id}@${p.version}`, p] as const));
  }

  /** Versions recorded earlier (by any instance); the ones in force keep precedence. */
  rememberVersions(recorded: ReadonlyMap<string, ResolvedPolicy>): void {
    for (const [key, policy] of recorded) {
      if (!this.versions.has(key)) this.versions.set(key, policy);
    }
  }

  /** `default@2, vip@1`: the versions in force (shown on /health). */
  describe(): string {
    return this.file.policies.map((p) => `${p.id}@${p.version}`).join(', ');
  }

  /** The connector heartbeats in force (policy document `heartbeats`). */
  heartbeats(): readonly ResolvedHeartbeat[] {
    return this.heartbeatsInForce;
  }

  select(subject: PolicySubjectOf): ResolvedPolicy {
    return this.current.get(selectPolicy(this.file, subject).id)!;
  }

  byId(id: string, version: number): ResolvedPolicy {
    return (
      this.versions.get(`${id}@${version}`) ??
      this.current.get(id) ??
      // The policy was removed: the default (last) policy takes over.
      this.current.get(this.file.policies[this.file.policies.length - 1].id)!
    );
  }

  private use(file: PolicyFile): void {
    this.file = file;
    this.current = resolvePolicyFile(file);
    this.heartbeatsInForce = resolveHeartbeats(file);
    for (const policy of this.current.values())
      this.versions.set(`${policy.id}@${policy.version}`, policy);
  }
}
