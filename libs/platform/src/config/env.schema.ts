import { z } from 'zod';
import { parseDurationSeconds } from '@replywatch/sla-clock';

/** Building blocks for each service's environment schema, each with a local default. */
export const envPort = (fallback: number) =>
  z.coerce.number().int().min(0).max(65535).default(fallback);

export const envInt = (fallback: number, min = 0) =>
  z.coerce.number().int().min(min).default(fallback);

export const envUrl = (fallback: string, protocols: readonly string[]) =>
  z
    .string()
    .default(fallback)
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
        } catch {
          return false;
        }
      },
      { message: `must be a URL with scheme ${protocols.join(' or ')}` },
    );

export const envList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    );

export const envBoolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** Kafka topic prefixes and Redis key prefixes share one safe alphabet. */
export const envPrefix = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => /^[a-zA-Z0-9._-]*$/.test(value), { message: 'only letters, digits, . _ -' });

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export const logLevelSchema = z.enum(LOG_LEVELS).default('log');
export type LogLevel = z.infer<typeof logLevelSchema>;

/** `KAFKA_BROKERS` etc.: shared by every service that talks to Kafka. */
export const kafkaEnvShape = {
  KAFKA_BROKERS: envList('127.0.0.1:9092').refine((brokers) => brokers.length > 0, {
    message: 'needs at least one host:port',
  }),
  KAFKA_TOPIC_PREFIX: envPrefix(''),
};

export const redisEnvShape = {
  REDIS_URL: envUrl('redis://127.0.0.1:6379', ['redis', 'rediss']),
  REDIS_PREFIX: envPrefix('rw').refine((value) => value !== '', { message: 'must not be empty' }),
};

export const databaseEnvShape = {
  DATABASE_URL: envUrl('postgres://postgres@127.0.0.1:5432/postgres', ['postgres', 'postgresql']),
  DATABASE_SCHEMA: z
    .string()
    .default('replywatch')
    .refine((value) => /^[a-z_][a-z0-9_]{0,62}$/.test(value), {
      message: 'lower-case letters, digits and _ (a PostgreSQL identifier)',
    }),
};

/** Where HTTP servers bind: loopback locally, `0.0.0.0` in containers. */
export const httpEnvShape = {
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
};

export const logEnvShape = {
  LOG_LEVEL: logLevelSchema,
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
};

/** A duration such as `90s`, `15m`, `24h` (or seconds), as milliseconds. */
export const envDurationMs = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const seconds = parseDurationSeconds(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
      if (seconds === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${value}" is not a duration: use seconds or e.g. "90s", "15m", "24h"`,
        });
        return z.NEVER;
      }
      return Math.round(seconds * 1000);
    });

export const DEFAULT_ACK_LINK_SECRET = 'dev-ack-link-secret-change-me';

/**
 * Acknowledgements, shared by escalation (signs links, lapses acks) and ops (verifies links,
 * records acks): both must have the same values.
 */
export const ackEnvShape = {
  ACK_LINK_SECRET: z
    .string()
    .min(16, { message: 'needs 16+ characters' })
    .default(DEFAULT_ACK_LINK_SECRET),
  /** An acknowledgement lapses this long before the contact's next breach. */
  ACK_EXPIRY_LEAD: envDurationMs('1m'),
};
