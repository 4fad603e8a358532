import { z } from 'zod';
import {
  ackEnvShape,
  databaseEnvShape,
  envList,
  envPort,
  httpEnvShape,
  kafkaEnvShape,
  loadConfig,
  logEnvShape,
  redisEnvShape,
} from '@replywatch/platform';
import type { Env } from '@replywatch/platform';

export const DEFAULT_OPS_API_KEY = 'dev-ops-key-change-me';
export const DEFAULT_ADMIN_API_KEY = 'dev-admin-key-change-me';

const keyList = (fallback: string) =>
  envList(fallback).pipe(
    z
      .array(z.string().min(16, { message: 'each key needs 16+ characters' }))
      .min(1, { message: 'needs at least one key' }),
  );

export const opsEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...redisEnvShape,
    ...databaseEnvShape,
    ...logEnvShape,
    ...httpEnvShape,
    ...ackEnvShape,
    OPS_PORT: envPort(3001),
    OPS_API_KEYS: keyList(DEFAULT_OPS_API_KEY),
    /** Keys that may also change configuration (policies and calendars). */
    OPS_ADMIN_KEYS: keyList(DEFAULT_ADMIN_API_KEY),
    POLICY_FILE: z.string().min(1).default('config/policies.json'),
    /** `confirm` when mail scanners open links (e.g. Microsoft Defender Safe Links). */
    ACK_LINK_MODE: z.enum(['click', 'confirm']).default('click'),
  })
  .transform((env) => ({
    port: env.OPS_PORT,
    host: env.HTTP_HOST,
    apiKeys: env.OPS_API_KEYS,
    adminKeys: env.OPS_ADMIN_KEYS,
    policyFile: env.POLICY_FILE,
    ack: { secret: env.ACK_LINK_SECRET, leadMs: env.ACK_EXPIRY_LEAD, mode: env.ACK_LINK_MODE },
    kafka: { brokers: env.KAFKA_BROKERS },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    database: { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
  }));

export type OpsConfig = z.output<typeof opsEnvSchema>;

export function loadOpsConfig(env: Env = process.env): OpsConfig {
  return loadConfig(opsEnvSchema, env);
}
