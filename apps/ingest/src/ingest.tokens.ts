export const INGEST_LIMITS = Symbol('INGEST_LIMITS');

export interface IngestLimits {
  maxBodyBytes: number;
}
