import { z } from 'zod';
import {
  envInt,
  envPort,
  httpEnvShape,
  kafkaEnvShape,
  loadConfig,
  logEnvShape,
  redisEnvShape,
} from '@replywatch/platform';
import type { Env } from '@replywatch/platform';

export const slaEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...redisEnvShape,
    ...logEnvShape,
    ...httpEnvShape,
    SLA_PORT: envPort(3003),
    POLICY_FILE: z.string().min(1).default('config/policies.json'),
    KAFKA_GROUP_ID_SLA: z.string().min(1).default('replywatch-sla'),
    CONTACT_EVENTS_PARTITIONS: envInt(6, 1),
    EVENT_DEDUPE_TTL_SECONDS: envInt(86400, 60),
    ANSWERED_CONTACT_TTL_SECONDS: envInt(30 * 86400, 60),
    RESOLVED_CONTACT_TTL_SECONDS: envInt(7 * 86400, 60),
    SLA_SWEEP_INTERVAL_MS: envInt(2000, 100),
    KAFKA_SESSION_TIMEOUT_MS: envInt(30000, 6000),
    SLA_TIMER_CONCURRENCY: envInt(50, 1),
    /** Deadlines closer than this have a BullMQ job; later ones wait in the due index. */
    SLA_TIMER_HORIZON_MS: envInt(600_000, 1000),
  })
  .transform((env) => ({
    port: env.SLA_PORT,
    host: env.HTTP_HOST,
    policyFile: env.POLICY_FILE,
    kafka: {
      brokers: env.KAFKA_BROKERS,
      topicPrefix: env.KAFKA_TOPIC_PREFIX,
      groupId: env.KAFKA_GROUP_ID_SLA,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      contactPartitions: env.CONTACT_EVENTS_PARTITIONS,
    },
    redis: { url: env.REDIS_URL, prefix: env.REDIS_PREFIX },
    dedupeTtlSeconds: env.EVENT_DEDUPE_TTL_SECONDS,
    answeredTtlSeconds: env.ANSWERED_CONTACT_TTL_SECONDS,
    resolvedTtlSeconds: env.RESOLVED_CONTACT_TTL_SECONDS,
    sweepIntervalMs: env.SLA_SWEEP_INTERVAL_MS,
    timerConcurrency: env.SLA_TIMER_CONCURRENCY,
    timerHorizonMs: env.SLA_TIMER_HORIZON_MS,
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
  }));

export type SlaConfig = z.output<typeof slaEnvSchema>;

export function loadSlaConfig(env: Env = process.env): SlaConfig {
  return loadConfig(slaEnvSchema, env);
}
