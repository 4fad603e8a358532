import { createHash } from 'node:crypto';
import { z } from 'zod';

const PRINTABLE_ID = /^[\x21-\x7e]+$/;
const MAX_ID_LENGTH = 200;
const MAX_PREVIEW_LENGTH = 140;
const E164 = /^\+[1-9][0-9]{6,14}$/;

/**
 * Provider ids arrive as strings, or as JSON numbers in some documented samples; a number past
 * 2^53 has already lost digits in JSON.parse, so it is refused rather than turned into a wrong id.
 */
export const providerIdSchema = z.union([
  z.string().trim().min(1),
  z
    .number()
    .refine((n) => Number.isSafeInteger(n), { message: 'numeric id beyond 2^53 lost precision' })
    .transform(String),
]);

/**
 * A contact or event id from the provider's own ids, so retries map to the same id. Ids must be
 * printable, ≤ 200 chars (Kafka key, Redis key); a longer one is replaced by a stable digest.
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const id = [prefix, ...parts].join(':');
  if (id.length <= MAX_ID_LENGTH && PRINTABLE_ID.test(id)) return id;
  return `${prefix}:sha256:${createHash('sha256').update(parts.join(':')).digest('hex')}`;
}

/** A preview only when the connector opted in: bodies never travel by default. */
export function previewOf(text: string | undefined, include: boolean): string | undefined {
  if (!include || text === undefined) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  let out = '';
  // By code point, so an emoji is never cut in half.
  for (const char of flat) {
    if (out.length + char.length > MAX_PREVIEW_LENGTH) break;
    out += char;
  }
  return out;
}

/** A social handle as `@lowercase` (X and Instagram handles are case-insensitive). */
export function normaliseHandle(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const name = raw.trim().replace(/^@/, '').toLowerCase();
  return name === '' || name.length > MAX_ID_LENGTH - 1 ? undefined : `@${name}`;
}

/** A WhatsApp id (digits with country code, no `+`) as E.164, when it is one. */
export function e164FromWaId(waId: string): string | undefined {
  const phone = `+${waId.replace(/[\s+]/g, '')}`;
  return E164.test(phone) ? phone : undefined;
}

/** Milliseconds since the epoch (number or numeric string) as an ISO instant. */
export function instantFromMs(value: number | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(ms) || ms <= 0) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** Seconds since the epoch (number or numeric string) as an ISO instant. */
export function instantFromSeconds(value: number | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const seconds = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(seconds) ? instantFromMs(seconds * 1000) : undefined;
}

export function parseJson(rawBody: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(rawBody.toString('utf8')) as unknown };
  } catch {
    return { ok: false };
  }
}

/** A zod error as one loggable line (paths only: the payload itself may hold message bodies). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
