import { z } from 'zod';
import {
  envInt,
  envPort,
  httpEnvShape,
  kafkaEnvShape,
  loadConfig,
  logEnvShape,
} from '@replywatch/platform';
import type { Env } from '@replywatch/platform';

export const DEFAULT_CONNECTOR_KEYS = 'local-dev=dev-connector-key-change-me';

/** `CONNECTOR_KEYS=phone-pbx=<key>,crm=<key>`: each connector's source id and its bearer key. */
const connectorKeysSchema = z
  .string()
  .default(DEFAULT_CONNECTOR_KEYS)
  .transform((value, ctx) => {
    const keys: { source: string; key: string }[] = [];
    for (const entry of value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean)) {
      const separator = entry.indexOf('=');
      const source = entry.slice(0, separator);
      const key = entry.slice(separator + 1);
      if (separator <= 0 || !/^[a-z0-9][a-z0-9._-]{0,99}$/.test(source) || key.length < 16) {
        ctx.addIssue({
          code: 'custom',
          message: `entry "${source || '?'}=…" must be source=key with a lower-case source id and a key of 16+ characters`,
        });
        return z.NEVER;
      }
      keys.push({ source, key });
    }
    if (keys.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'needs at least one source=key entry' });
      return z.NEVER;
    }
    return keys;
  });

export const ingestEnvSchema = z
  .object({
    ...kafkaEnvShape,
    ...logEnvShape,
    ...httpEnvShape,
    INGEST_PORT: envPort(3000),
    CONNECTOR_KEYS: connectorKeysSchema,
    INGEST_MAX_BODY_BYTES: envInt(1048576, 1024),
    INGEST_MAX_BATCH: envInt(500, 1),
    INGEST_PUBLISH_TIMEOUT_MS: envInt(5000, 100),
    CONTACT_EVENTS_PARTITIONS: envInt(6, 1),
  })
  .transform((env) => ({
    port: env.INGEST_PORT,
    host: env.HTTP_HOST,
    connectorKeys: env.CONNECTOR_KEYS,
    maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
    maxBatch: env.INGEST_MAX_BATCH,
    publishTimeoutMs: env.INGEST_PUBLISH_TIMEOUT_MS,
    kafka: {
      brokers: env.KAFKA_BROKERS,
      topicPrefix: env.KAFKA_TOPIC_PREFIX,
      contactPartitions: env.CONTACT_EVENTS_PARTITIONS,
    },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
  }));

export type IngestConfig = z.output<typeof ingestEnvSchema>;

export function loadIngestConfig(env: Env = process.env): IngestConfig {
  return loadConfig(ingestEnvSchema, env);
}
