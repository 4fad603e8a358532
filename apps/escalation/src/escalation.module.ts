import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createKafkaClient, kafkaHealthIndicator, KafkaPublisher } from '@replywatch/kafka';
import {
  dataSourceOptions,
  postgresHealthIndicator,
  SlaOutcomeRepository,
} from '@replywatch/persistence';
import { HEALTH_INDICATORS, HealthController, SERVICE_NAME } from '@replywatch/platform';
import {
  createServiceRegistry,
  DEFAULT_ACK_LINK_SECRET,
  METRICS_REGISTRY,
  MetricsController,
} from '@replywatch/platform';
import { EscalationMetrics } from './escalation.metrics';
import { AlertRepository } from './alert.repository';
import { AlertService } from './alert.service';
import { EmailNotifier } from './email.notifier';
import type { EscalationConfig } from './escalation.config';
import { EscalationDocumentStore, loadBaseDocument } from './escalation-document.store';
import type { VersionedDocument } from './escalation-document.store';
import { EscalationScheduler } from './escalation.scheduler';
import { HttpNotifier } from './http.notifier';
import { NotificationOutboxRepository } from './notification-outbox.repository';
import { NotificationOutboxSender } from './notification-outbox.sender';
import { SlaEventsHandler } from './sla-events.handler';

export interface EscalationRuntime {
  config: EscalationConfig;
  kafka: ReturnType<typeof createKafkaClient>;
  publisher: KafkaPublisher;
  db: DataSource;
  email: EmailNotifier;
  documents: EscalationDocumentStore;
  sender: NotificationOutboxSender;
  scheduler: EscalationScheduler;
  metrics: EscalationMetrics;
  service: AlertService;
  kafkaHealth: ReturnType<typeof kafkaHealthIndicator>;
}

const ESCALATION_RUNTIME = Symbol('ESCALATION_RUNTIME');

export async function buildEscalationRuntime(
  config: EscalationConfig,
  base: VersionedDocument = loadBaseDocument(config.escalationFile, config.alertEmailTo),
): Promise<EscalationRuntime> {
  if (config.ack.secret === DEFAULT_ACK_LINK_SECRET) {
    new Logger('EscalationConfig').warn(
      'ACK_LINK_SECRET is the development default: set your own before anyone outside can read alerts',
    );
  }
  // Six partitions creating alerts (three lanes each) and the deliveries recording results share
  // the pool; a transaction never waits for a second connection, so waiting here cannot deadlock.
  const db = new DataSource(dataSourceOptions(config.database, 20));
  await db.initialize();
  const kafka = createKafkaClient({
    brokers: config.kafka.brokers,
    clientId: 'replywatch-escalation',
  });
  const publisher = new KafkaPublisher(kafka, {
    sendTimeoutMs: 10000,
    lingerMs: 2,
    maxBatchMessages: 1000,
  });
  const metrics = new EscalationMetrics(createServiceRegistry('escalation'));
  metrics.watchBacklog(db);
  const email = new EmailNotifier(config.smtp);
  const documents = new EscalationDocumentStore(db, base);
  const alerts = new AlertRepository(db);
  const sender = new NotificationOutboxSender(
    new NotificationOutboxRepository(db),
    documents,
    email,
    new HttpNotifier(config.outbox.timeoutMs),
    {
      pollMs: config.outbox.pollMs,
      // Up to 50 deliveries in flight per lane (e-mail, HTTP): a burst of breaches is paged in
      // parallel, not 20 at a time.
      batchSize: 50,
      maxAttempts: config.outbox.maxAttempts,
      retryBaseMs: config.outbox.retryBaseMs,
      dashboardUrl: config.dashboardUrl,
      ack: config.ack,
    },
    metrics,
  );
  const scheduler = new EscalationScheduler(alerts, documents, config.outbox.pollMs, () =>
    sender.kick(),
  );
  const service = new AlertService(
    alerts,
    documents,
    publisher,
    config.kafka.topicPrefix,
    config.ack.leadMs,
    () => sender.kick(),
    new SlaOutcomeRepository(db),
    metrics,
  );
  return {
    config,
    kafka,
    publisher,
    db,
    email,
    documents,
    sender,
    scheduler,
    service,
    metrics,
    kafkaHealth: kafkaHealthIndicator(kafka),
  };
}

@Injectable()
class EscalationLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(ESCALATION_RUNTIME) private readonly runtime: EscalationRuntime) {}

  onApplicationBootstrap(): void {
    this.runtime.scheduler.start();
    this.runtime.sender.start();
  }

  async onApplicationShutdown(): Promise<void> {
    const r = this.runtime;
    await r.scheduler.stop();
    await r.sender.stop();
    await r.publisher.close();
    await r.kafkaHealth.close();
    r.email.close();
    await r.db.destroy();
  }
}

@Module({})
export class EscalationModule {
  static register(runtime: EscalationRuntime): DynamicModule {
    return {
      module: EscalationModule,
      controllers: [SlaEventsHandler, HealthController, MetricsController],
      providers: [
        { provide: ESCALATION_RUNTIME, useValue: runtime },
        { provide: AlertService, useValue: runtime.service },
        { provide: SERVICE_NAME, useValue: 'escalation' },
        { provide: METRICS_REGISTRY, useValue: runtime.metrics.registry },
        {
          provide: HEALTH_INDICATORS,
          useValue: [
            runtime.kafkaHealth,
            postgresHealthIndicator(runtime.db),
            runtime.email.healthIndicator(),
            runtime.documents.healthIndicator(),
          ],
        },
        EscalationLifecycle,
      ],
    };
  }
}
