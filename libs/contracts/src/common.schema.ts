import { z } from 'zod';

export const SCHEMA_VERSION = 1 as const;

export const CHANNELS = ['phone', 'email', 'chat', 'social'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;

// Ids travel as Kafka keys, Redis keys and BullMQ job ids: printable, bounded, no whitespace.
const idPattern = /^[\x21-\x7e]+$/;
export const idSchema = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(idPattern, { message: 'must be printable ASCII without spaces' });

/** Instants are ISO 8601 with a zone; they are normalised to UTC `…Z` so they sort as strings. */
export const instantSchema = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString());

export const e164Schema = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, { message: 'must be an E.164 number such as +14155550100' });

export const customerSchema = z.strictObject({
  id: z.string().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
  phone: e164Schema.optional(),
  handle: z.string().min(1).max(200).optional(),
  tier: z.string().min(1).max(50).optional(),
});
export type Customer = z.infer<typeof customerSchema>;

/** A short, redacted preview: bodies never travel on Kafka. */
export const previewSchema = z.string().max(140);
