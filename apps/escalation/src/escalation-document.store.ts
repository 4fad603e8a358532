import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import {
  builtinEscalationDocument,
  EscalationDocumentError,
  parseEscalationDocument,
  parseEscalationDocumentText,
} from '@replywatch/escalation-rules';
import type { EscalationDocument } from '@replywatch/escalation-rules';
import type { HealthIndicator } from '@replywatch/platform';

export interface VersionedDocument {
  /** `file:<hash>`, `builtin:<hash>` or `api:<id>`: recorded on every alert it started. */
  version: string;
  document: EscalationDocument;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);

/** Reads the escalation file (or the built-in document) once at start, validated. */
export function loadBaseDocument(
  file: string | undefined,
  recipients: readonly string[],
): VersionedDocument {
  if (file === undefined) {
    const input = builtinEscalationDocument(recipients);
    return {
      version: `builtin:${hashOf(JSON.stringify(input))}`,
      document: parseEscalationDocument(input, 'built in from ALERT_EMAIL_TO'),
    };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EscalationDocumentError(file, [`cannot read: ${(error as Error).message}`]);
  }
  return { version: `file:${hashOf(text)}`, document: parseEscalationDocumentText(text, file) };
}

/**
 * The escalation document in force: the newest one saved through the API (table
 * `escalation_document`), else the file. Checked at most every `refreshMs`, so a saved change
 * applies to the next alerts within that time; running alerts keep their chain snapshot.
 */
export class EscalationDocumentStore {
  private readonly logger = new Logger(EscalationDocumentStore.name);
  private current: VersionedDocument;
  private checkedAt = 0;
  private savedId: string | undefined;

  constructor(
    private readonly db: DataSource,
    private readonly base: VersionedDocument,
    private readonly refreshMs = 2000,
    private readonly now: () => number = Date.now,
  ) {
    this.current = base;
  }

  async get(): Promise<VersionedDocument> {
    if (this.now() - this.checkedAt < this.refreshMs) return this.current;
    this.checkedAt = this.now();
    try {
      const rows = await this.db.query<{ id: string }[]>(
        `SELECT id FROM escalation_document ORDER BY id DESC LIMIT 1`,
      );
      const id = rows[0]?.id;
      if (id === undefined || id === this.savedId) return this.current;
      this.savedId = id; // tried once: an invalid save is reported once, not every refresh
      const [saved] = await this.db.query<{ document: unknown }[]>(
        `SELECT document FROM escalation_document WHERE id = $1`,
        [id],
      );
      this.current = {
        version: `api:${id}`,
        document: parseEscalationDocument(saved.document, `escalation_document ${id}`),
      };
      this.logger.log(`escalation document api:${id} in force`);
    } catch (error) {
      // Keep paging with the document we have: a bad or unreadable save must not stop alerts.
      this.logger.warn(
        `keeping escalation document ${this.current.version}: ${(error as Error).message}`,
      );
      if (!(error instanceof EscalationDocumentError)) this.savedId = undefined; // retry I/O
    }
    return this.current;
  }

  /** The document in force without a database round trip (may be up to refreshMs old). */
  get cached(): VersionedDocument {
    return this.current;
  }

  healthIndicator(): HealthIndicator {
    return {
      name: 'escalation-document',
      check: async () => {
        const { version, document } = this.current;
        return {
          up: true,
          detail: `${version}: ${document.chains.length} chain(s), ${document.routes.length} route(s), ${document.people.length} people`,
        };
      },
    };
  }

  get baseVersion(): string {
    return this.base.version;
  }
}
