import { z } from 'zod';
import { CHANNELS, PRIORITIES } from '@replywatch/contracts';
import { parseDurationSeconds } from './duration';

const durationSchema = z
  .union([z.string(), z.number()], {
    error: (issue) =>
      issue.input === undefined
        ? 'required: a duration such as "15m" or "4h"'
        : 'must be a duration string or seconds',
  })
  .transform((value, ctx) => {
    const seconds = parseDurationSeconds(value);
    if (seconds === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `"${String(value)}" is not a duration: use seconds or e.g. "90s", "15m", "1h30m", "2d"`,
      });
      return z.NEVER;
    }
    return seconds;
  });

const matchSchema = z.strictObject({
  channel: z.array(z.enum(CHANNELS)).min(1).optional(),
  priority: z.array(z.enum(PRIORITIES)).min(1).optional(),
  source: z.array(z.string().min(1)).min(1).optional(),
  /** The contact must carry every one of these tags. */
  tags: z.array(z.string().min(1)).min(1).optional(),
});

const targetsSchema = z.strictObject({
  /** From the customer's first contact to the first human reply. */
  first_response: durationSchema,
});

export const policySchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, { message: 'lower-case letters, digits, . _ -' }),
  name: z.string().min(1).max(200).optional(),
  /** Bumped whenever the policy changes; a contact keeps the version it started with. */
  version: z.number().int().min(1).default(1),
  match: matchSchema.optional(),
  targets: targetsSchema,
});

export const policyFileSchema = z
  .strictObject({ policies: z.array(policySchema).min(1) })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.policies.forEach((policy, index) => {
      if (seen.has(policy.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', index, 'id'],
          message: `duplicate policy id "${policy.id}"`,
        });
      }
      seen.add(policy.id);
    });
    const last = file.policies[file.policies.length - 1];
    if (last !== undefined && last.match !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['policies', file.policies.length - 1, 'match'],
        message:
          'the last policy is the default and must have no "match", so every contact gets one',
      });
    }
  });

export type Policy = z.output<typeof policySchema>;
export type PolicyFile = z.output<typeof policyFileSchema>;
export type PolicyFileInput = z.input<typeof policyFileSchema>;
