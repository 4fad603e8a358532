import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { ALL_TOPICS, topicName } from '@replywatch/contracts';
import type { PolicyFileInput } from '@replywatch/sla-clock';
import { startIngestApp } from '../../apps/ingest/src/ingest.app';
import { loadIngestConfig } from '../../apps/ingest/src/ingest.config';
import { startSlaApp } from '../../apps/sla/src/sla.app';
import { loadSlaConfig } from '../../apps/sla/src/sla.config';
import { startEscalationApp } from '../../apps/escalation/src/escalation.app';
import { loadEscalationConfig } from '../../apps/escalation/src/escalation.config';
import { startOpsApp } from '../../apps/ops/src/ops.app';
import { loadOpsConfig } from '../../apps/ops/src/ops.config';
import { SmtpTestServer } from './smtp-test-server';
import { TEST_KAFKA_BROKERS } from './kafka-tap';
import { uniqueId } from './unique';
import { waitFor } from './wait-for';

export const TEST_CONNECTOR_KEY = 'test-connector-key-0001';
export const TEST_OPS_KEY = 'test-ops-key-0000001';
export const TEST_ADMIN_KEY = 'test-admin-key-000001';
export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

type Service = 'ingest' | 'sla' | 'escalation' | 'ops';

export interface Stack {
  id: string;
  env: Record<string, string>;
  topicPrefix: string;
  smtp: SmtpTestServer;
  urls: Partial<Record<Service, string>>;
  db: Client;
  redis: Redis;
  close(): Promise<void>;
}

/**
 * The whole system in this test process, on the real Kafka, Redis, PostgreSQL and an in-test SMTP
 * server, isolated by a unique topic prefix, Redis prefix, schema and consumer groups. Config goes
 * through the same env loaders as production.
 */
export async function startStack(
  policies: PolicyFileInput,
  services: readonly Service[] = ['ingest', 'sla', 'escalation', 'ops'],
  extraEnv: Record<string, string> = {},
): Promise<Stack> {
  const id = uniqueId('t');
  const dir = mkdtempSync(join(tmpdir(), 'replywatch-'));
  const policyFile = join(dir, 'policies.json');
  writeFileSync(policyFile, JSON.stringify(policies));
  const smtp = new SmtpTestServer();
  const smtpUrl = await smtp.start();
  const env: Record<string, string> = {
    KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
    KAFKA_TOPIC_PREFIX: `${id}.`,
    KAFKA_GROUP_ID_SLA: `${id}-sla`,
    KAFKA_GROUP_ID_ESCALATION: `${id}-escalation`,
    CONTACT_EVENTS_PARTITIONS: '3',
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: id,
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: id,
    SMTP_URL: smtpUrl,
    ALERT_EMAIL_TO: 'lead@example.com',
    POLICY_FILE: policyFile,
    CONNECTOR_KEYS: `test-connector=${TEST_CONNECTOR_KEY}`,
    OPS_API_KEYS: TEST_OPS_KEY,
    OPS_ADMIN_KEYS: TEST_ADMIN_KEY,
    INGEST_PORT: '0',
    SLA_PORT: '0',
    ESCALATION_PORT: '0',
    OPS_PORT: '0',
    OUTBOX_POLL_MS: '100',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  const closers: (() => Promise<void>)[] = [];
  const consumers: { isConsuming: boolean }[] = [];
  const urls: Stack['urls'] = {};
  const db = new Client({ connectionString: TEST_DATABASE_URL });
  await db.connect();
  const redis = new Redis(TEST_REDIS_URL);
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
    await smtp.stop();
    await db.query(`DROP SCHEMA IF EXISTS "${id}" CASCADE`).catch(() => undefined);
    await db.end();
    await deleteKeys(redis, `${id}:*`);
    redis.disconnect();
    await deleteTopics(`${id}.`, env.KAFKA_BROKERS);
  };
  try {
    // Escalation first: it applies the migrations the others read.
    if (services.includes('escalation')) {
      const started = await startEscalationApp(loadEscalationConfig(env));
      closers.push(() => started.app.close());
      consumers.push(started.server);
      urls.escalation = started.url;
    }
    if (services.includes('sla')) {
      const started = await startSlaApp(loadSlaConfig(env));
      closers.push(() => started.app.close());
      consumers.push(started.server);
      urls.sla = started.url;
    }
    if (services.includes('ingest')) {
      const started = await startIngestApp(loadIngestConfig(env));
      closers.push(() => started.app.close());
      urls.ingest = started.url;
    }
    if (services.includes('ops')) {
      const started = await startOpsApp(loadOpsConfig(env));
      closers.push(() => started.app.close());
      urls.ops = started.url;
    }
    // Consumers joined means the topics exist and nothing published from now on is missed.
    await waitFor(
      'the Kafka consumers to join their groups',
      () => consumers.every((c) => c.isConsuming),
      {
        timeoutMs: 60000,
      },
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { id, env, topicPrefix: `${id}.`, smtp, urls, db, redis, close };
}

async function deleteKeys(redis: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function deleteTopics(prefix: string, brokers: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'test-cleanup',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
  }).admin();
  try {
    await admin.connect();
    await admin.deleteTopics({
      topics: ALL_TOPICS.map((topic) => topicName(topic, prefix)),
      timeout: 10000,
    });
  } catch {
    // a topic that was never created is fine
  } finally {
    await admin.disconnect();
  }
}
