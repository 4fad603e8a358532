import { z } from 'zod';
import {
  ackEnvShape,
  databaseEnvShape,
  envInt,
  envList,
  envPort,
  httpEnvShape,
  kafkaEnvShape,
  loadConfig,
  logEnvShape,
  redisEnvShape,
} from '@replywatch/platform';
import type { Env } from '@replywatch/platform';
import { trustProxyEnv } from './rate-limit.proxy';

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
    /** The escalation service's ESCALATION_FILE and ALERT_EMAIL_TO, so GET /v1/chains shows its document. */
    ESCALATION_FILE: z.string().min(1).optional(),
    ALERT_EMAIL_TO: envList('support-leads@replywatch.local').pipe(
      z.array(z.email({ message: 'each recipient must be an e-mail address' })).min(1, {
        message: 'needs at least one recipient',
      }),
    ),
    /** `confirm` when mail scanners open links (e.g. Microsoft Defender Safe Links). */
    ACK_LINK_MODE: z.enum(['click', 'confirm']).default('click'),
    /** Requests per minute, shared by every ops instance through Redis; 0 disables a limit. */
    OPS_RATE_LIMIT_ACK_PER_MIN: envInt(30),
    OPS_RATE_LIMIT_AUTH_FAILURES_PER_MIN: envInt(20),
    // A dashboard refetches at most twice a second: 1200 leaves room for a few screens per key.
    OPS_RATE_LIMIT_API_PER_MIN: envInt(1200),
    OPS_TRUST_PROXY: trustProxyEnv,
    /** How often the live stream looks for queue changes and new alert events. */
    OPS_STREAM_POLL_MS: envInt(250, 20),
    /** One waiting-count sample per interval feeds the dashboard's last-hour chart. */
    OPS_HISTORY_SAMPLE_MS: envInt(30_000, 1000),
  })
  .transform((env) => ({
    port: env.OPS_PORT,
    host: env.HTTP_HOST,
    apiKeys: env.OPS_API_KEYS,
    adminKeys: env.OPS_ADMIN_KEYS,
    policyFile: env.POLICY_FILE,
    escalation: { file: env.ESCALATION_FILE, alertEmailTo: env.ALERT_EMAIL_TO },
    ack: { secret: env.ACK_LINK_SECRET, leadMs: env.ACK_EXPIRY_LEAD, mode: env.ACK_LINK_MODE },
    rateLimits: {
      ack: env.OPS_RATE_LIMIT_ACK_PER_MIN,
      authFailures: env.OPS_RATE_LIMIT_AUTH_FAILURES_PER_MIN,
      api: env.OPS_RATE_LIMIT_API_PER_MIN,
    },
    trustProxy: env.OPS_TRUST_PROXY,
    live: { pollMs: env.OPS_STREAM_POLL_MS, sampleMs: env.OPS_HISTORY_SAMPLE_MS },
    kafka: { brokers: env.KAFKA_BROKERS },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    database: { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
  }));

export type OpsConfig = z.output<typeof opsEnvSchema>;

export function loadOpsConfig(env: Env = process.env): OpsConfig {
  return loadConfig(opsEnvSchema, env);
}
