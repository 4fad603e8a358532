import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import {
  createKafkaClient,
  ensureTopicsWithRetry,
  kafkaHealthIndicator,
  KafkaPublisher,
  replywatchTopics,
} from '@replywatch/kafka';
import {
  HEALTH_INDICATORS,
  HealthController,
  METRICS_REGISTRY,
  MetricsController,
  SERVICE_NAME,
  createServiceRegistry,
} from '@replywatch/platform';
import { ApiKeyTableRepository } from './api-key-table.repository';
import { ConnectorKeyAuthenticator } from './connector-key.authenticator';
import { DatabaseKeyCache } from './database-key.cache';
import { EventIntakeService } from './event-intake.service';
import { EventsController } from './events.controller';
import { DEFAULT_CONNECTOR_KEYS } from './ingest.config';
import type { IngestConfig } from './ingest.config';
import { IngestMetrics } from './ingest.metrics';
import { INGEST_LIMITS } from './ingest.tokens';
import { SignedConnectorAuthenticator } from './signed-connector.authenticator';
import { WebhookIntakeService } from './webhooks/webhook-intake.service';
import { WebhooksController } from './webhooks/webhooks.controller';

export interface IngestRuntime {
  config: IngestConfig;
  kafka: ReturnType<typeof createKafkaClient>;
  publisher: KafkaPublisher;
  /** Its own producer, one record per request: see WebhookIntakeService. */
  deadLetterPublisher: KafkaPublisher;
  kafkaHealth: ReturnType<typeof kafkaHealthIndicator>;
  metrics: IngestMetrics;
  keyTable: ApiKeyTableRepository;
  /** Connector keys created with `npm run keys`, loaded from PostgreSQL in the background. */
  storedKeys: DatabaseKeyCache;
}

const INGEST_RUNTIME = Symbol('INGEST_RUNTIME');

export function buildIngestRuntime(config: IngestConfig): IngestRuntime {
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: 'replywatch-ingest' });
  const publisher = new KafkaPublisher(kafka, {
    sendTimeoutMs: config.publishTimeoutMs,
    lingerMs: 2,
    maxBatchMessages: 2000,
  });
  const deadLetterPublisher = new KafkaPublisher(kafka, {
    sendTimeoutMs: config.publishTimeoutMs,
    lingerMs: 0,
    maxBatchMessages: 1,
  });
  const keysLogger = new Logger('connector-keys');
  const keyTable = new ApiKeyTableRepository(config.database, keysLogger);
  return {
    config,
    kafka,
    publisher,
    deadLetterPublisher,
    kafkaHealth: kafkaHealthIndicator(kafka),
    metrics: new IngestMetrics(createServiceRegistry('ingest')),
    keyTable,
    storedKeys: new DatabaseKeyCache(() => keyTable.activeKeys(), {
      refreshMs: config.keyRefreshMs,
      logger: keysLogger,
    }),
  };
}

@Injectable()
class IngestLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ingest');
  private readonly abort = new AbortController();
  private topicsReady: Promise<void> | undefined;

  constructor(@Inject(INGEST_RUNTIME) private readonly runtime: IngestRuntime) {}

  onApplicationBootstrap(): void {
    const { config, kafka, publisher, deadLetterPublisher } = this.runtime;
    if (config.connectorKeys.some((k) => `${k.source}=${k.key}` === DEFAULT_CONNECTOR_KEYS)) {
      this.logger.warn(
        'CONNECTOR_KEYS holds the default local key: set your own before going live',
      );
    }
    // Not awaited: ingest serves CONNECTOR_KEYS (and webhooks) while PostgreSQL is down.
    this.runtime.storedKeys.start();
    const accounts = [...config.webhookAccounts.keys()];
    this.logger.log(
      accounts.length > 0
        ? `provider webhooks at /v1/webhooks/<provider>/<account> for: ${accounts.join(', ')}`
        : 'no provider webhook accounts configured (WEBHOOK_ACCOUNTS_FILE)',
    );
    const topics = replywatchTopics(config.kafka.topicPrefix, config.kafka.contactPartitions);
    this.topicsReady = ensureTopicsWithRetry(kafka, topics, this.abort.signal, (error, attempt) =>
      this.logger.warn(
        `Kafka not ready (attempt ${attempt + 1}): ${error.message}; answering 503 meanwhile`,
      ),
    ).then(async () => {
      await Promise.all([
        publisher.connect().catch(() => undefined),
        deadLetterPublisher.connect().catch(() => undefined),
      ]);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.topicsReady;
    await this.runtime.publisher.close();
    await this.runtime.deadLetterPublisher.close();
    await this.runtime.kafkaHealth.close();
    await this.runtime.storedKeys.stop();
    await this.runtime.keyTable.close();
  }
}

@Module({})
export class IngestModule {
  static register(runtime: IngestRuntime): DynamicModule {
    const { config } = runtime;
    return {
      module: IngestModule,
      controllers: [EventsController, WebhooksController, HealthController, MetricsController],
      providers: [
        { provide: INGEST_RUNTIME, useValue: runtime },
        {
          provide: ConnectorKeyAuthenticator,
          useValue: new ConnectorKeyAuthenticator(config.connectorKeys, runtime.storedKeys),
        },
        {
          provide: SignedConnectorAuthenticator,
          useValue: new SignedConnectorAuthenticator(
            config.connectorSigningSecrets,
            config.replayWindowSeconds,
          ),
        },
        {
          provide: EventIntakeService,
          useValue: new EventIntakeService(
            runtime.publisher,
            config.kafka.topicPrefix,
            config.maxBatch,
            runtime.metrics,
          ),
        },
        {
          provide: WebhookIntakeService,
          useValue: new WebhookIntakeService(
            config.webhookAccounts,
            runtime.publisher,
            config.kafka.topicPrefix,
            runtime.metrics,
            runtime.deadLetterPublisher,
          ),
        },
        { provide: IngestMetrics, useValue: runtime.metrics },
        { provide: METRICS_REGISTRY, useValue: runtime.metrics.registry },
        {
          provide: INGEST_LIMITS,
          useValue: { maxBodyBytes: config.maxBodyBytes, publicUrl: config.publicUrl },
        },
        { provide: SERVICE_NAME, useValue: 'ingest' },
        { provide: HEALTH_INDICATORS, useValue: [runtime.kafkaHealth] },
        IngestLifecycle,
      ],
    };
  }
}
