import { z } from 'zod';
import { contactEventInputSchema, contactEventSchema } from './contact-event/contact-event.schema';
import type { ContactEvent, ParsedContactEventInput } from './contact-event/contact-event.schema';
import { slaEventSchema } from './sla-event/sla-event.schema';
import type { SlaEvent } from './sla-event/sla-event.schema';
import { sourceEventSchema } from './source-event/source-event.schema';
import type { SourceEvent } from './source-event/source-event.schema';

/** One problem with an input, named by its JSON path so a connector author can fix it. */
export interface ValidationIssue {
  path: string;
  code: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export function toValidationIssues(error: z.ZodError, pathPrefix = ''): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: formatPath(pathPrefix, issue.path),
    code: issue.code,
    message: issue.message,
  }));
}

function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  }
  return out === '' ? '(root)' : out;
}

function validate<T>(schema: z.ZodType<T>, input: unknown, pathPrefix: string): Validated<T> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, issues: toValidationIssues(result.error, pathPrefix) };
}

export function validateContactEventInput(
  input: unknown,
  pathPrefix = '',
): Validated<ParsedContactEventInput> {
  return validate(contactEventInputSchema, input, pathPrefix);
}

export function validateContactEvent(input: unknown): Validated<ContactEvent> {
  return validate(contactEventSchema, input, '');
}

export function validateSlaEvent(input: unknown): Validated<SlaEvent> {
  return validate(slaEventSchema, input, '');
}

export function validateSourceEvent(input: unknown): Validated<SourceEvent> {
  return validate(sourceEventSchema, input, '');
}

/** Decode a Kafka value: JSON first, then the schema; both failures name their reason. */
export function decodeJson(
  bytes: Buffer | null,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (bytes === null || bytes.length === 0) return { ok: false, reason: 'empty message value' };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
}
