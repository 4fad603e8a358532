export const INGEST_LIMITS = Symbol('INGEST_LIMITS');

export interface IngestLimits {
  maxBodyBytes: number;
  /** The public base URL providers call (behind a proxy), e.g. `https://hooks.example.com`. */
  publicUrl?: string;
}
