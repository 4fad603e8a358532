export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the fields of one PBX event. Names are matched case-insensitively: AMI libraries differ on
 * key case (`Uniqueid`, `UniqueID`, `uniqueid`), and the PBX's own spelling is kept in reasons.
 */
export class PbxEventFields {
  private readonly values = new Map<string, unknown>();

  constructor(record: JsonRecord) {
    for (const [key, value] of Object.entries(record)) this.values.set(key.toLowerCase(), value);
  }

  has(name: string): boolean {
    return this.values.has(name.toLowerCase());
  }

  /** Trimmed text, a JSON number as its decimal text; missing, empty or another type: undefined. */
  text(name: string): string | undefined {
    const value = this.values.get(name.toLowerCase());
    if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  /**
   * An id: strings only. A JSON number has already lost digits (`1366720340.30` parses as
   * `1366720340.3`), which would split one call into two ids.
   */
  id(name: string): string | undefined {
    const value = this.values.get(name.toLowerCase());
    return typeof value === 'string' ? this.text(name) : undefined;
  }

  /** Whole seconds (`12`, `"12"`); anything else, including a negative value: undefined. */
  seconds(name: string): number | undefined {
    return wholeSeconds(this.text(name));
  }

  /** A non-negative integer such as Unix seconds (`1366720340`); anything else: undefined. */
  integer(name: string): number | undefined {
    const text = this.text(name);
    return text !== undefined && /^\d{1,15}$/.test(text) ? Number(text) : undefined;
  }

  /** The raw value, for the few fields that may be a list (queue_log `data`). */
  raw(name: string): unknown {
    return this.values.get(name.toLowerCase());
  }
}

/** A longest plausible wait or message: a larger value is a misread field, not a duration. */
const MAX_DURATION_SECONDS = 7 * 24 * 3600;

export function wholeSeconds(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  const seconds = Number(value);
  return seconds <= MAX_DURATION_SECONDS ? seconds : undefined;
}
