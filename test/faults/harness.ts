import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { Topic, topicName } from '@replywatch/contracts';
import type { ContactEvent, SlaEvent } from '@replywatch/contracts';
import type { EscalationDocumentInput } from '@replywatch/escalation-rules';
import { ContactKeys } from '@replywatch/redis';
import { ServiceProcess } from '../support/service-process';
import { TEST_ADMIN_KEY, TEST_CONNECTOR_KEY, TEST_OPS_KEY } from '../support/stack';
import { uniqueId } from '../support/unique';
import { waitFor } from '../support/wait-for';
import { EventLog } from './event-log';
import { FaultKafka, FaultPostgres, FaultRedis, infraState } from './infra';
import { LoadGenerator } from './load-generator';
import type { LoadFigures, LoadPlan } from './load-generator';
import { reconcile } from './reconcile';
import type {
  AlertEventRow,
  AlertRow,
  AttemptRow,
  CaseFigures,
  NotificationRow,
} from './reconcile';
import { SlowWebhook } from './slow-webhook';
import { SmtpSink } from './smtp-sink';

export type Service = 'ingest' | 'sla' | 'escalation' | 'ops';

/** The load every case runs under (FAULT_CONTACTS / FAULT_LOAD_MS only to try things locally). */
export const LOAD = {
  contacts: Number(process.env.FAULT_CONTACTS ?? 10000),
  durationMs: Number(process.env.FAULT_LOAD_MS ?? 20000),
  /** first_response target: the first breaches fall due 8 s into the load, the last 8 s after it. */
  targetMs: 8000,
  /** One contact in twenty is never answered and must breach; the others are answered 1–4 s in. */
  unansweredEvery: 20,
  replyAfterMs: [1000, 4000] as const,
  connectors: 8,
};
/** The escalation chains: level 1 at the breach, level 2 this long after it. */
export const LEVEL_WAIT_MS = 3000;
export const WEBHOOK_LEVEL_WAIT_MS = 5000;
/**
 * Both consumer groups' session timeout (the SLA's KAFKA_SESSION_TIMEOUT_MS default; the
 * escalation consumer's fixed value): a member that died, or lost the broker, is replaced only once
 * it has passed, so it bounds how late breaches and alerts come after such a fault.
 */
export const CONSUMER_SESSION_TIMEOUT_MS = 30000;
/** The notifier's defaults (apps/escalation config), which the cases check against. */
export const NOTIFY_TIMEOUT_MS = 5000;
export const NOTIFY_RETRY_BASE_MS = 1000;

const HOOK_SECRET = 'fault-suite-webhook-secret';

function escalationDocument(webhookUrl: string): EscalationDocumentInput {
  return {
    people: [
      { id: 'first', email: 'first@faults.example.com' },
      { id: 'second', email: 'second@faults.example.com' },
      { id: 'hooked', webhook: 'incident-tool' },
    ],
    endpoints: [
      { id: 'incident-tool', type: 'webhook', url: `${webhookUrl}/hook`, secret: HOOK_SECRET },
    ],
    chains: [
      {
        id: 'mail',
        levels: [
          { notify: [{ target: 'person:first' }], wait: `${LEVEL_WAIT_MS / 1000}s` },
          { notify: [{ target: 'person:second' }] },
        ],
      },
      {
        id: 'hook',
        levels: [
          {
            notify: [{ target: 'person:hooked', channels: ['webhook'] }],
            wait: `${WEBHOOK_LEVEL_WAIT_MS / 1000}s`,
          },
          { notify: [{ target: 'person:second' }] },
        ],
      },
    ],
    // Chat contacts page the incident tool's webhook first; everything else e-mails.
    routes: [{ match: { channels: ['chat'] }, chain: 'hook' }],
    defaultChain: 'mail',
    // Every page on its own: a digest would make "one e-mail per alert and level" uncountable.
    fatigue: { email: null, webhook: null },
  };
}

export interface FaultTimeline {
  /** Milliseconds after the load started, per step of the fault ("sla killed": 14012, …). */
  [step: string]: number;
}

export interface FaultCase {
  name: string;
  /** When the fault starts, after the load started. */
  faultAtMs: number;
  /** Break something and repair it; `mark` records each step on the timeline. */
  fault: (harness: FaultHarness, mark: (step: string) => void) => Promise<void>;
  channels?: LoadPlan['channels'];
  /** See ReconcileOptions.allowRedelivery. */
  allowRedelivery?: boolean;
  /** Runs as the load starts (e.g. an ops API client that runs through the case). */
  onStart?: (harness: FaultHarness, prefix: string) => void;
  /** Runs once the load is in and before the case waits for everything to settle. */
  beforeSettle?: (harness: FaultHarness, prefix: string) => Promise<void>;
  settleTimeoutMs?: number;
}

export interface CaseReport {
  name: string;
  prefix: string;
  load: LoadFigures;
  figures: CaseFigures;
  timeline: FaultTimeline;
  problems: string[];
  /** When the load started (epoch ms): the timeline counts from here. */
  loadStartedAt: number;
  tookMs: number;
}

/**
 * The whole system as real processes on the fault suite's own Kafka, Redis (AOF) and PostgreSQL,
 * isolated by a topic prefix, Redis prefix and schema of its own, plus an SMTP server and a
 * webhook receiver that can fail. One harness serves several cases in sequence; each case posts
 * its own contacts (a unique id prefix) and is reconciled on those alone.
 */
export class FaultHarness {
  readonly id = uniqueId('fault');
  readonly kafka: FaultKafka;
  readonly redis: FaultRedis;
  readonly postgres: FaultPostgres;
  readonly smtp = new SmtpSink();
  readonly webhook = new SlowWebhook(NOTIFY_TIMEOUT_MS + 2000);
  readonly services = {} as Record<Service, ServiceProcess>;
  readonly reports: CaseReport[] = [];
  db!: Pool;
  private redisClient!: Redis;
  private contactLog!: EventLog<ContactEvent>;
  private slaLog!: EventLog<SlaEvent>;
  private readonly dir = mkdtempSync(join(tmpdir(), 'replywatch-fault-'));
  private env: Record<string, string> = {};

  constructor() {
    const infra = infraState();
    this.kafka = new FaultKafka(infra.kafka);
    this.redis = new FaultRedis(infra.redis);
    this.postgres = new FaultPostgres(infra.postgres);
  }

  get keys(): ContactKeys {
    return new ContactKeys(this.id);
  }

  async start(): Promise<void> {
    const policyFile = join(this.dir, 'policies.json');
    writeFileSync(
      policyFile,
      JSON.stringify({
        policies: [{ id: 'faults', targets: { first_response: `${LOAD.targetMs / 1000}s` } }],
      }),
    );
    await Promise.all([this.smtp.start(), this.webhook.start()]);
    const escalationFile = join(this.dir, 'escalation.json');
    writeFileSync(escalationFile, JSON.stringify(escalationDocument(this.webhook.url)));
    this.env = {
      KAFKA_BROKERS: this.kafka.brokers,
      KAFKA_TOPIC_PREFIX: `${this.id}.`,
      KAFKA_GROUP_ID_SLA: `${this.id}-sla`,
      KAFKA_GROUP_ID_ESCALATION: `${this.id}-escalation`,
      REDIS_URL: this.redis.url,
      REDIS_PREFIX: this.id,
      DATABASE_URL: this.postgres.url,
      DATABASE_SCHEMA: this.id,
      SMTP_URL: this.smtp.url,
      ALERT_EMAIL_TO: 'lead@faults.example.com',
      POLICY_FILE: policyFile,
      ESCALATION_FILE: escalationFile,
      CONNECTOR_KEYS: `fault-connector=${TEST_CONNECTOR_KEY}`,
      OPS_API_KEYS: TEST_OPS_KEY,
      OPS_ADMIN_KEYS: TEST_ADMIN_KEY,
      OPS_RATE_LIMIT_API_PER_MIN: '6000',
      NOTIFY_TIMEOUT_MS: String(NOTIFY_TIMEOUT_MS),
      NOTIFY_RETRY_BASE_MS: String(NOTIFY_RETRY_BASE_MS),
      LOG_LEVEL: 'warn',
    };
    this.db = new Pool({ connectionString: this.postgres.url, max: 4 });
    this.db.on('error', () => undefined); // a PostgreSQL restart drops idle clients
    this.redisClient = new Redis(this.redis.url, { maxRetriesPerRequest: 3 });
    this.redisClient.on('error', () => undefined);
    for (const service of ['ingest', 'sla', 'escalation', 'ops'] as const) {
      this.services[service] = new ServiceProcess(service, this.env);
    }
    // Escalation and ops both apply the migrations at start, under an advisory lock.
    await Promise.all(Object.values(this.services).map((service) => service.start()));
    this.contactLog = new EventLog(
      topicName(Topic.ContactEvents, `${this.id}.`),
      this.kafka.brokers,
    );
    this.slaLog = new EventLog(topicName(Topic.SlaEvents, `${this.id}.`), this.kafka.brokers);
    for (const log of [this.contactLog, this.slaLog]) {
      await waitFor('the topics the services create', () => log.start().then(() => true), {
        timeoutMs: 60000,
        intervalMs: 500,
      });
    }
    await this.warmUp();
  }

  /** One contact answered and one breached end to end: every consumer has joined. */
  private async warmUp(): Promise<void> {
    const load = new LoadGenerator(
      {
        prefix: `${this.id}-warmup`,
        contacts: 2,
        durationMs: 0,
        channels: ['email'],
        unansweredEvery: 2,
        replyAfterMs: [0, 0],
        batchSize: 10,
        connectors: 1,
      },
      () => this.services.ingest.url,
    );
    await load.run();
    await waitFor(
      'the warm-up contact to be met and its SLA events consumed',
      () => this.slaLog.of(`${this.id}-warmup-`).some((e) => e.type === 'sla.met'),
      { timeoutMs: 60000, intervalMs: 200 },
    );
  }

  /** Run one case: load, fault, settle, reconcile. Returns the report; the caller asserts. */
  async runCase(spec: FaultCase): Promise<CaseReport> {
    const started = Date.now();
    const prefix = uniqueId(
      `${spec.name
        .replace(/[^a-z0-9]+/gi, '')
        .toLowerCase()
        .slice(0, 12)}-`,
    );
    const load = new LoadGenerator(
      {
        prefix,
        contacts: LOAD.contacts,
        durationMs: LOAD.durationMs,
        channels: spec.channels ?? ['email', 'social'],
        unansweredEvery: LOAD.unansweredEvery,
        replyAfterMs: LOAD.replyAfterMs,
        batchSize: 100,
        connectors: LOAD.connectors,
      },
      () => this.services.ingest.url,
    );
    const timeline: FaultTimeline = {};
    spec.onStart?.(this, prefix);
    const loading = load.run();
    const loadStart = Date.now();
    const mark = (step: string) => {
      timeline[step] = Date.now() - loadStart;
    };
    const faulting = (async () => {
      await new Promise((resolve) => setTimeout(resolve, spec.faultAtMs));
      await spec.fault(this, mark);
    })();
    await Promise.all([loading, faulting]);
    mark('load done');
    await spec.beforeSettle?.(this, prefix);
    await this.settle(prefix, load, spec.settleTimeoutMs ?? 120000).catch((error: Error) => {
      timeline[`not settled: ${error.message}`] = Date.now() - loadStart;
    });
    mark('settled');
    const data = await this.collect(prefix, load);
    const { figures, problems } = reconcile(data, {
      allowRedelivery: spec.allowRedelivery ?? false,
      retryBaseMs: NOTIFY_RETRY_BASE_MS,
    });
    const report: CaseReport = {
      name: spec.name,
      prefix,
      load: load.figures(),
      figures,
      timeline,
      problems,
      loadStartedAt: loadStart,
      tookMs: Date.now() - started,
    };
    this.reports.push(report);
    console.warn(
      `fault case "${spec.name}" (${Math.round(report.tookMs / 1000)} s): ${JSON.stringify({ load: report.load, timeline, figures })}` +
        (problems.length > 0 ? `\n  problems:\n  - ${problems.join('\n  - ')}` : ''),
    );
    return report;
  }

  /** Every outcome the case should produce, or the timeout: then the reconciler says what is missing. */
  private async settle(prefix: string, load: LoadGenerator, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const unanswered = new Set(
      load.contacts.filter((c) => c.replyAt === undefined).map((c) => c.contactId),
    );
    const answered = load.contacts.length - unanswered.size;
    await waitFor(
      'every SLA outcome',
      () => {
        const events = this.slaLog.of(`${prefix}-`);
        const breached = new Set(
          events.filter((e) => e.type === 'sla.breached').map((e) => e.contactId),
        );
        const met = new Set(events.filter((e) => e.type === 'sla.met').map((e) => e.contactId));
        return [...unanswered].every((id) => breached.has(id)) && met.size >= answered;
      },
      { timeoutMs: deadline - Date.now(), intervalMs: 500 },
    );
    const breaches = new Set(
      this.slaLog
        .of(`${prefix}-`)
        .filter((e) => e.type === 'sla.breached')
        .map((e) => e.eventId),
    ).size;
    await waitFor(
      'every alert created, stepped to its end and its pages sent',
      async () => {
        const { rows } = await this.db.query<{ alerts: number; stepping: number; pending: number }>(
          `SELECT (SELECT count(*)::int FROM "${this.id}".alert WHERE contact_id LIKE $1) AS alerts,
                  (SELECT count(*)::int FROM "${this.id}".alert
                    WHERE contact_id LIKE $1 AND state = 'open' AND next_step_at IS NOT NULL) AS stepping,
                  (SELECT count(*)::int FROM "${this.id}".notification n
                     JOIN "${this.id}".alert a ON a.id = n.alert_id
                    WHERE a.contact_id LIKE $1 AND n.status = 'pending') AS pending`,
          [`${prefix}-%`],
        );
        const row = rows[0];
        return row.alerts >= breaches && row.stepping === 0 && row.pending === 0;
      },
      { timeoutMs: Math.max(0, deadline - Date.now()), intervalMs: 500 },
    );
  }

  /** Wait until the level-2 steps of this case's alerts have all run (the webhook case). */
  async waitForLevelTwo(prefix: string, timeoutMs = 120000): Promise<void> {
    await waitFor(
      'level 2 of every open alert',
      async () => {
        const { rows } = await this.db.query<{ stepping: number; alerts: number }>(
          `SELECT count(*) FILTER (WHERE state = 'open' AND next_step_at IS NOT NULL)::int AS stepping,
                  count(*)::int AS alerts
             FROM "${this.id}".alert WHERE contact_id LIKE $1`,
          [`${prefix}-%`],
        );
        const expected = Math.floor((LOAD.contacts - 1) / LOAD.unansweredEvery) + 1;
        return rows[0].alerts >= expected && rows[0].stepping === 0;
      },
      { timeoutMs, intervalMs: 500 },
    );
  }

  private async collect(prefix: string, load: LoadGenerator) {
    const like = `${prefix}-%`;
    const schema = `"${this.id}"`;
    const alerts = await this.db.query<AlertRow>(
      `SELECT id, contact_id AS "contactId", sla_event_id AS "slaEventId", state, due_at AS "dueAt",
              created_at AS "createdAt", next_step_at AS "nextStepAt"
         FROM ${schema}.alert WHERE contact_id LIKE $1`,
      [like],
    );
    const ofCase = `SELECT id FROM ${schema}.alert WHERE contact_id LIKE $1`;
    const notifications = await this.db.query<NotificationRow>(
      `SELECT id, alert_id AS "alertId", kind, channel, recipient, level, status, attempts,
              sent_at AS "sentAt"
         FROM ${schema}.notification WHERE alert_id IN (${ofCase})`,
      [like],
    );
    const alertEvents = await this.db.query<AlertEventRow>(
      `SELECT alert_id AS "alertId", kind, at, detail
         FROM ${schema}.alert_event WHERE alert_id IN (${ofCase})`,
      [like],
    );
    const attempts = await this.db.query<AttemptRow>(
      `SELECT notification_id AS "notificationId", attempted_at AS "attemptedAt", outcome,
              duration_ms AS "durationMs"
         FROM ${schema}.notification_attempt
        WHERE notification_id IN (SELECT id FROM ${schema}.notification WHERE alert_id IN (${ofCase}))`,
      [like],
    );
    const acceptedIds = [...load.accepted.keys()];
    const pipeline = this.redisClient.pipeline();
    for (const id of acceptedIds) pipeline.exists(this.keys.processedEvent(id));
    const exists = (await pipeline.exec()) ?? [];
    const applied = new Set(acceptedIds.filter((_, i) => exists[i]?.[1] === 1));
    return {
      contacts: load.contacts,
      accepted: load.accepted,
      stored: new Set(this.contactLog.of(`${prefix}-`).map((e) => e.eventId)),
      applied,
      slaEvents: this.slaLog.of(`${prefix}-`),
      alerts: alerts.rows,
      notifications: notifications.rows,
      alertEvents: alertEvents.rows,
      attempts: attempts.rows,
      mails: this.smtp.mails,
      webhookHits: this.webhook.hits,
    };
  }

  /** Poll a service's /health until the check named reports `up` (false: down). */
  async healthOf(service: Service, check: string, up: boolean, timeoutMs = 60000): Promise<void> {
    await waitFor(
      `${service} /health to report ${check} ${up ? 'up' : 'down'}`,
      async () => {
        const response = await fetch(`${this.services[service].url}/health`);
        const body = (await response.json()) as { checks?: Record<string, { status: string }> };
        return (body.checks?.[check]?.status === 'up') === up;
      },
      { timeoutMs, intervalMs: 200 },
    );
  }

  /** The end state every case must reach: nothing to reconcile, under the full load. */
  expectReconciled(report: CaseReport): void {
    if (report.problems.length > 0) console.error(this.logs());
    expect(report.problems).toEqual([]);
    // The issue asks for a steady load of at least 10,000 contacts, whatever FAULT_CONTACTS says.
    expect(report.figures.contacts).toBeGreaterThanOrEqual(10000);
  }

  /** The last lines each service logged (for a failing case's message). */
  logs(): string {
    return Object.entries(this.services)
      .map(([name, service]) => `--- ${name}\n${service.log.slice(-3000)}`)
      .join('\n');
  }

  async stop(): Promise<void> {
    await Promise.all(Object.values(this.services).map((service) => service.stop()));
    await this.contactLog?.stop();
    await this.slaLog?.stop();
    await this.smtp.stop();
    await this.webhook.stop();
    await this.db?.query(`DROP SCHEMA IF EXISTS "${this.id}" CASCADE`).catch(() => undefined);
    await this.db?.end().catch(() => undefined);
    this.redisClient?.disconnect();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
