import { z } from 'zod';
import {
  ackEnvShape,
  databaseEnvShape,
  envDurationMs,
  envInt,
  envList,
  envPort,
  envUrl,
  httpEnvShape,
  kafkaEnvShape,
  loadConfig,
  logEnvShape,
} from '@replywatch/platform';
import type { Env } from '@replywatch/platform';

export const escalationEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...databaseEnvShape,
    ...logEnvShape,
    ...httpEnvShape,
    ...ackEnvShape,
    ESCALATION_PORT: envPort(3002),
    KAFKA_GROUP_ID_ESCALATION: z.string().min(1).default('replywatch-escalation'),
    CONTACT_EVENTS_PARTITIONS: envInt(6, 1),
    SMTP_URL: envUrl('smtp://127.0.0.1:2525', ['smtp', 'smtps']),
    SMTP_FROM: z.string().min(3).default('Replywatch <alerts@replywatch.local>'),
    /** People, teams, rotations, endpoints, chains and routes (docs/escalation.md). */
    ESCALATION_FILE: z.string().min(1).optional(),
    ALERT_EMAIL_TO: envList('support-leads@replywatch.local').pipe(
      z.array(z.email({ message: 'each recipient must be an e-mail address' })).min(1, {
        message: 'needs at least one recipient',
      }),
    ),
    DASHBOARD_URL: envUrl('http://127.0.0.1:3001/', ['http', 'https']),
    /** Where acknowledge links point (the ops service serves /ack/:token); default DASHBOARD_URL. */
    ACK_LINK_BASE_URL: z
      .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
      .optional(),
    ACK_LINK_TTL: envDurationMs('24h'),
    OUTBOX_POLL_MS: envInt(250, 10),
    NOTIFY_MAX_ATTEMPTS: envInt(8, 1),
    NOTIFY_RETRY_BASE_MS: envInt(1000, 10),
    NOTIFY_TIMEOUT_MS: envInt(5000, 100),
  })
  .transform((env) => ({
    port: env.ESCALATION_PORT,
    host: env.HTTP_HOST,
    kafka: {
      brokers: env.KAFKA_BROKERS,
      topicPrefix: env.KAFKA_TOPIC_PREFIX,
      groupId: env.KAFKA_GROUP_ID_ESCALATION,
      contactPartitions: env.CONTACT_EVENTS_PARTITIONS,
    },
    database: { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA },
    smtp: { url: env.SMTP_URL, from: env.SMTP_FROM },
    escalationFile: env.ESCALATION_FILE,
    alertEmailTo: env.ALERT_EMAIL_TO,
    dashboardUrl: env.DASHBOARD_URL,
    ack: {
      secret: env.ACK_LINK_SECRET,
      baseUrl: env.ACK_LINK_BASE_URL ?? env.DASHBOARD_URL,
      ttlMs: env.ACK_LINK_TTL,
      leadMs: env.ACK_EXPIRY_LEAD,
    },
    outbox: {
      pollMs: env.OUTBOX_POLL_MS,
      maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
      retryBaseMs: env.NOTIFY_RETRY_BASE_MS,
      timeoutMs: env.NOTIFY_TIMEOUT_MS,
    },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
  }));

export type EscalationConfig = z.output<typeof escalationEnvSchema>;

export function loadEscalationConfig(env: Env = process.env): EscalationConfig {
  return loadConfig(escalationEnvSchema, env);
}
