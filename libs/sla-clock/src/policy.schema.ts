import { z } from 'zod';
import { CHANNELS, PRIORITIES, SLA_TARGETS } from '@replywatch/contracts';
import type { SlaTarget } from '@replywatch/contracts';
import { calendarSchema } from './calendar/calendar.schema';
import { parseDurationSeconds } from './duration';

/** A duration in a config document (`"15m"`, `"4h"` or seconds), as seconds. */
export const durationSchema = z
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

/** `"75%"` of the target, or `"10m"` before it is due. */
export type WarningPoint = { fraction: number } | { beforeSeconds: number };

const warningPointSchema = z.string().transform((value, ctx): WarningPoint => {
  const percent = /^(\d{1,2}(?:\.\d+)?)%$/.exec(value.trim());
  if (percent) {
    const fraction = Number(percent[1]) / 100;
    if (fraction > 0 && fraction < 1) return { fraction };
  } else {
    const seconds = parseDurationSeconds(value);
    if (seconds !== undefined) return { beforeSeconds: seconds };
  }
  ctx.addIssue({
    code: 'custom',
    message: `"${value}" is not a warning point: use a share of the target ("75%") or a time before it ("10m")`,
  });
  return z.NEVER;
});

/** A target is a duration (`"4h"`, short for `{ "within": "4h" }`) or the full form. */
const targetSchema = z.preprocess(
  (value) => (typeof value === 'object' && value !== null ? value : { within: value }),
  z.strictObject({
    within: durationSchema,
    /** Count only the calendar's open hours (default: yes when the policy names a calendar). */
    businessHours: z.boolean().optional(),
    warnAt: z.array(warningPointSchema).max(5).default([]),
  }),
);

const matchSchema = z.strictObject({
  channel: z.array(z.enum(CHANNELS)).min(1).optional(),
  priority: z.array(z.enum(PRIORITIES)).min(1).optional(),
  source: z.array(z.string().min(1)).min(1).optional(),
  /** The contact must carry every one of these tags. */
  tags: z.array(z.string().min(1)).min(1).optional(),
  /** The customer's tier (from `customer.tier`). */
  tier: z.array(z.string().min(1)).min(1).optional(),
  /** Public social posts and comments (`data.public`) as opposed to private messages. */
  public: z.boolean().optional(),
});

const targetsSchema = z
  .strictObject({
    /** From the customer's first contact to the first human reply. */
    first_response: targetSchema.optional(),
    /** From each customer message that follows an agent reply to the next agent reply. */
    next_response: targetSchema.optional(),
    /** From the first contact to resolution, excluding time waiting on the customer. */
    resolution: targetSchema.optional(),
    /** From a missed call or voicemail to the first agent contact (else first_response applies). */
    callback: targetSchema.optional(),
  })
  .refine((targets) => Object.values(targets).some((target) => target !== undefined), {
    message: `a policy needs at least one target (${SLA_TARGETS.join(', ')})`,
  });

export const policySchema = z.strictObject({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, { message: 'lower-case letters, digits, . _ -' }),
  name: z.string().min(1).max(200).optional(),
  /** Bumped whenever the policy changes; a contact keeps the version it started with. */
  version: z.number().int().min(1).default(1),
  match: matchSchema.optional(),
  /** Id of a calendar in the same file; without one, targets run around the clock. */
  calendar: z.string().min(1).optional(),
  targets: targetsSchema,
});

/**
 * A connector's expected activity: "phone: at least one event every 15 minutes during business
 * hours". A source quiet for longer is alerted on (`source.silent`): a dead connector is the one
 * way contacts vanish unseen.
 */
export const heartbeatSchema = z.strictObject({
  /** The source id events carry: `twilio:main` for a webhook account, the key name for a connector. */
  source: z.string().min(1).max(100),
  /** The longest expected gap between two contact events from the source. */
  silentAfter: durationSchema,
  /** Count the gap only in this calendar's open hours (a phone line is quiet at night). */
  calendar: z.string().min(1).optional(),
  /** The channel the source carries, shown on the alert. */
  channel: z.enum(CHANNELS).optional(),
});
export type Heartbeat = z.output<typeof heartbeatSchema>;

export const policyFileSchema = z
  .strictObject({
    calendars: z.array(calendarSchema).default([]),
    policies: z.array(policySchema).min(1),
    heartbeats: z.array(heartbeatSchema).default([]),
  })
  .superRefine((file, ctx) => {
    const calendarIds = new Set<string>();
    file.calendars.forEach((calendar, index) => {
      if (calendarIds.has(calendar.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['calendars', index, 'id'],
          message: `duplicate calendar id "${calendar.id}"`,
        });
      }
      calendarIds.add(calendar.id);
    });
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
      if (policy.calendar !== undefined && !calendarIds.has(policy.calendar)) {
        ctx.addIssue({
          code: 'custom',
          path: ['policies', index, 'calendar'],
          message: `no calendar with id "${policy.calendar}" in "calendars"`,
        });
      }
      for (const [name, target] of Object.entries(policy.targets)) {
        for (const [w, point] of (target?.warnAt ?? []).entries()) {
          if ('beforeSeconds' in point && target && point.beforeSeconds >= target.within) {
            ctx.addIssue({
              code: 'custom',
              path: ['policies', index, 'targets', name, 'warnAt', w],
              message: 'a warning must come after the clock starts: less than the target itself',
            });
          }
        }
      }
    });
    const sources = new Set<string>();
    file.heartbeats.forEach((heartbeat, index) => {
      if (sources.has(heartbeat.source)) {
        ctx.addIssue({
          code: 'custom',
          path: ['heartbeats', index, 'source'],
          message: `source "${heartbeat.source}" has two heartbeats`,
        });
      }
      sources.add(heartbeat.source);
      if (heartbeat.calendar !== undefined && !calendarIds.has(heartbeat.calendar)) {
        ctx.addIssue({
          code: 'custom',
          path: ['heartbeats', index, 'calendar'],
          message: `no calendar with id "${heartbeat.calendar}" in "calendars"`,
        });
      }
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
export type PolicyTarget = NonNullable<Policy['targets'][SlaTarget]>;
export type PolicyFile = z.output<typeof policyFileSchema>;
export type PolicyFileInput = z.input<typeof policyFileSchema>;
