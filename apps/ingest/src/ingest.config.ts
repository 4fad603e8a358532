import { z } from 'zod';
import {
  ConfigError,
  databaseEnvShape,
  envInt,
  envPort,
  httpEnvShape,
  kafkaEnvShape,
  loadConfig,
  logEnvShape,
} from '@replywatch/platform';
import type { Env } from '@replywatch/platform';
import { loadWebhookAccounts } from './webhooks/webhook-accounts.config';
import type { WebhookAccounts } from './webhooks/webhook-accounts.config';

export const DEFAULT_CONNECTOR_KEYS = 'local-dev=dev-connector-key-change-me';

/** A connector's source id: what `CONNECTOR_KEYS` pairs and database connector keys' names must be. */
export const SOURCE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** `source=secret,…` pairs: each connector's source id and its bearer key or signing secret. */
const sourceSecretsSchema = (fallback: string, allowEmpty: boolean) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const keys: { source: string; key: string }[] = [];
      for (const entry of value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)) {
        const separator = entry.indexOf('=');
        const source = entry.slice(0, separator);
        const key = entry.slice(separator + 1);
        if (separator <= 0 || !SOURCE_ID_PATTERN.test(source) || key.length < 16) {
          ctx.addIssue({
            code: 'custom',
            message: `entry "${source || '?'}=…" must be source=key with a lower-case source id and a key of 16+ characters`,
          });
          return z.NEVER;
        }
        keys.push({ source, key });
      }
      if (keys.length === 0 && !allowEmpty) {
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
    ...databaseEnvShape,
    INGEST_PORT: envPort(3000),
    CONNECTOR_KEYS: sourceSecretsSchema(DEFAULT_CONNECTOR_KEYS, false),
    /** Connectors that sign bodies (X-Replywatch-Signature) instead of sending a bearer key. */
    CONNECTOR_SIGNING_SECRETS: sourceSecretsSchema('', true),
    WEBHOOK_ACCOUNTS_FILE: z
      .string()
      .min(1)
      .optional()
      .transform((file, ctx) =>
        file === undefined
          ? undefined
          : accountsOr(ctx, () => loadWebhookAccounts(file, undefined)),
      ),
    WEBHOOK_ACCOUNTS: z
      .string()
      .min(1)
      .optional()
      .transform((json, ctx) =>
        json === undefined
          ? undefined
          : accountsOr(ctx, () => loadWebhookAccounts(undefined, json)),
      ),
    INGEST_PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^/?#\s]+\/?$/, 'a base URL such as https://hooks.example.com')
      .optional(),
    INGEST_REPLAY_WINDOW_SECONDS: envInt(300, 10),
    INGEST_MAX_BODY_BYTES: envInt(1048576, 1024),
    INGEST_MAX_BATCH: envInt(500, 1),
    INGEST_PUBLISH_TIMEOUT_MS: envInt(5000, 100),
    CONTACT_EVENTS_PARTITIONS: envInt(6, 1),
    /** How often connector keys created with `npm run keys` are reloaded from PostgreSQL. */
    INGEST_KEY_REFRESH_MS: envInt(10000, 100),
  })
  .transform((env, ctx) => ({
    port: env.INGEST_PORT,
    host: env.HTTP_HOST,
    connectorKeys: env.CONNECTOR_KEYS,
    connectorSigningSecrets: env.CONNECTOR_SIGNING_SECRETS,
    keyRefreshMs: env.INGEST_KEY_REFRESH_MS,
    replayWindowSeconds: env.INGEST_REPLAY_WINDOW_SECONDS,
    webhookAccounts: onlyOneAccountsSource(env.WEBHOOK_ACCOUNTS_FILE, env.WEBHOOK_ACCOUNTS, ctx),
    publicUrl: env.INGEST_PUBLIC_URL,
    maxBodyBytes: env.INGEST_MAX_BODY_BYTES,
    maxBatch: env.INGEST_MAX_BATCH,
    publishTimeoutMs: env.INGEST_PUBLISH_TIMEOUT_MS,
    kafka: {
      brokers: env.KAFKA_BROKERS,
      topicPrefix: env.KAFKA_TOPIC_PREFIX,
      contactPartitions: env.CONTACT_EVENTS_PARTITIONS,
    },
    database: { url: env.DATABASE_URL, schema: env.DATABASE_SCHEMA },
    log: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
  }));

/** Accounts problems become config issues, so they are listed with every other bad variable. */
function accountsOr(ctx: z.RefinementCtx, load: () => WebhookAccounts): WebhookAccounts {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // The issue's path already names the variable.
    for (const problem of error.problems) {
      ctx.addIssue({
        code: 'custom',
        message: problem.replace(/^WEBHOOK_ACCOUNTS(_FILE)?:? /, ''),
      });
    }
    return new Map();
  }
}

function onlyOneAccountsSource(
  fromFile: WebhookAccounts | undefined,
  inline: WebhookAccounts | undefined,
  ctx: z.RefinementCtx,
): WebhookAccounts {
  if (fromFile !== undefined && inline !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'set WEBHOOK_ACCOUNTS_FILE or WEBHOOK_ACCOUNTS, not both',
    });
  }
  return inline ?? fromFile ?? new Map();
}

export type IngestConfig = z.output<typeof ingestEnvSchema>;

export function loadIngestConfig(env: Env = process.env): IngestConfig {
  return loadConfig(ingestEnvSchema, env);
}
