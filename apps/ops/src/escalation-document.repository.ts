import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { builtinEscalationDocument } from '@replywatch/escalation-rules';
import type { EscalationDocumentInput } from '@replywatch/escalation-rules';

export interface CurrentEscalationDocument {
  source: 'api' | 'file' | 'builtin';
  document: EscalationDocumentInput;
  /** When and by whom it was saved through the API (source `api` only). */
  savedAt?: string;
  savedBy?: string;
}

interface SavedRow {
  document: EscalationDocumentInput;
  savedAt: Date;
  savedBy: string | null;
}

/**
 * The escalation document as the escalation service chooses it: the newest row of
 * `escalation_document`, else ESCALATION_FILE, else the built-in one from ALERT_EMAIL_TO.
 */
export class EscalationDocumentRepository {
  constructor(
    private readonly db: DataSource,
    private readonly file: string | undefined,
    private readonly alertEmailTo: readonly string[],
  ) {}

  async current(): Promise<CurrentEscalationDocument> {
    // Newest by id, as the escalation service reads it.
    const [row] = await this.db.query<SavedRow[]>(
      `SELECT document, saved_at AS "savedAt", saved_by AS "savedBy"
         FROM escalation_document ORDER BY id DESC LIMIT 1`,
    );
    if (row !== undefined) return this.fromRow(row);
    if (this.file !== undefined) {
      return {
        source: 'file',
        document: JSON.parse(readFileSync(this.file, 'utf8')) as EscalationDocumentInput,
      };
    }
    return { source: 'builtin', document: builtinEscalationDocument(this.alertEmailTo) };
  }

  /** Store a validated document as the newest row: the escalation service applies it within 2 s. */
  async save(
    document: EscalationDocumentInput,
    savedBy: string,
  ): Promise<CurrentEscalationDocument> {
    const text = JSON.stringify(document);
    const version = `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
    const [row] = await this.db.query<SavedRow[]>(
      `INSERT INTO escalation_document (version, document, saved_by) VALUES ($1, $2::jsonb, $3)
       RETURNING document, saved_at AS "savedAt", saved_by AS "savedBy"`,
      [version, text, savedBy],
    );
    return this.fromRow(row);
  }

  private fromRow(row: SavedRow): CurrentEscalationDocument {
    return {
      source: 'api',
      document: row.document,
      savedAt: row.savedAt.toISOString(),
      ...(row.savedBy === null ? {} : { savedBy: row.savedBy }),
    };
  }
}
