import { z } from 'zod';
import { providerIdSchema } from '../social-event.helpers';

/** The envelope every Meta webhook shares: `{ object, entry: [...] }`. */
export const metaEnvelopeSchema = z.object({
  object: z.string(),
  entry: z.array(z.unknown()),
});

/**
 * One entry: the Page, Instagram or WhatsApp Business account (`id`) and either messaging events
 * (`messaging`, or `standby` when another app owns the thread) or field changes (`changes`).
 * Instagram's examples page also shows `field`/`value` directly on the entry; both are read.
 */
export const metaEntrySchema = z.object({
  id: providerIdSchema,
  time: z.number().optional(),
  messaging: z.array(z.unknown()).optional(),
  standby: z.array(z.unknown()).optional(),
  changes: z.array(z.unknown()).optional(),
  field: z.string().optional(),
  value: z.unknown().optional(),
});
export type MetaEntry = z.infer<typeof metaEntrySchema>;

export const metaChangeSchema = z.object({ field: z.string(), value: z.unknown() });
export type MetaChange = z.infer<typeof metaChangeSchema>;

/** The changes of an entry, wherever Meta put them. */
export function changesOf(entry: MetaEntry): unknown[] {
  if (entry.changes !== undefined) return entry.changes;
  if (entry.field !== undefined) return [{ field: entry.field, value: entry.value }];
  return [];
}

/** `entry.time` is when Meta sent the notification: ms for messaging, seconds in some samples. */
export function entryTimeMs(entry: MetaEntry): number | undefined {
  if (entry.time === undefined || !Number.isFinite(entry.time)) return undefined;
  return entry.time < 1e11 ? entry.time * 1000 : entry.time;
}

export interface MetaParseOptions {
  /** Include up to 140 characters of the customer's text as `data.preview` (default off). */
  includePreview?: boolean;
}
