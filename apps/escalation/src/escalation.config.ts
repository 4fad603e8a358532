import { z } from 'zod';
import {
  databaseEnvShape,
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
    ESCALATION_PORT: envPort(3002),
    KAFKA_GROUP_ID_ESCALATION: z.string().min(1).default('replywatch-escalation'),
    CONTACT_EVENTS_PARTITIONS: envInt(6, 1),
    SMTP_URL: envUrl('smtp://127.0.0.1:2525', ['smtp', 'smtps']),
    SMTP_FROM: z.string().min(3).default('Replywatch <alerts@replywatch.local>'),
    ALERT_EMAIL_TO: envList('support-leads@replywatch.local').pipe(
      z.array(z.email({ message: 'each recipient must be an e-mail address' })).min(1, {
        message: 'needs at least one recipient',
      }),
    ),
    DASHBOARD_URL: envUrl('http://127.0.0.1:3001/', ['http', 'https']),
    OUTBOX_POLL_MS: envInt(250, 10),
    NOTIFY_MAX_ATTEMPTS: envInt(8, 1),
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
    alertEmailTo: env.ALERT_EMAIL_TO,
    dashboardUrl: env.DASHBOARD_URL,
    outbox: { pollMs: env.OUTBOX_POLL_MS, maxAttempts: env.NOTIFY_MAX_ATTEMPTS },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
  }));

export type EscalationConfig = z.output<typeof escalationEnvSchema>;

export function loadEscalationConfig(env: Env = process.env): EscalationConfig {
  return loadConfig(escalationEnvSchema, env);
}
