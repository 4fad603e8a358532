import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type {
  BeforeApplicationShutdown,
  DynamicModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { createKafkaClient, kafkaHealthIndicator } from '@replywatch/kafka';
import {
  ApiKeyRepository,
  dataSourceOptions,
  postgresHealthIndicator,
  SlaOutcomeRepository,
} from '@replywatch/persistence';
import type { Registry } from 'prom-client';
import {
  createServiceRegistry,
  DEFAULT_ACK_LINK_SECRET,
  HEALTH_INDICATORS,
  HealthController,
  METRICS_REGISTRY,
  MetricsController,
  SERVICE_NAME,
} from '@replywatch/platform';
import { ContactKeys, createRedisConnection, redisHealthIndicator } from '@replywatch/redis';
import type { OpsConfig } from './ops.config';
import { AckLinkController } from './ack-link.controller';
import { ACK_SETTINGS, AlertsController, OPS_DATA_SOURCE } from './alerts.controller';
import { ApiKeyDirectory } from './api-key.directory';
import { OpsApiKeyGuard } from './ops-api-key.guard';
import { PoliciesController } from './policies.controller';
import { ChainsController } from './chains.controller';
import { CalendarsController } from './calendars.controller';
import { EscalationDocumentRepository } from './escalation-document.repository';
import { PolicyRepository } from './policy.repository';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiter } from './rate-limit.limiter';
import { QueueController } from './queue.controller';
import { LiveUpdates } from './live-updates';
import { OpsMetrics } from './ops.metrics';
import { QueueStatsRepository } from './queue-stats.repository';
import { StatsController } from './stats.controller';
import { StatsService } from './stats.service';
import { StreamController } from './stream.controller';
import { ReportsController } from './reports.controller';
import { QueueRepository } from './queue.repository';

export interface OpsRuntime {
  config: OpsConfig;
  redis: Redis;
  db: DataSource;
  queue: QueueRepository;
  stats: StatsService;
  live: LiveUpdates;
  kafkaHealth: ReturnType<typeof kafkaHealthIndicator>;
  metrics: Registry;
}

const OPS_RUNTIME = Symbol('OPS_RUNTIME');

export async function buildOpsRuntime(config: OpsConfig): Promise<OpsRuntime> {
  if (config.ack.secret === DEFAULT_ACK_LINK_SECRET) {
    new Logger('OpsConfig').warn(
      'ACK_LINK_SECRET is the development default: anyone could forge acknowledge links; set your own',
    );
  }
  const db = new DataSource(dataSourceOptions(config.database, 5));
  await db.initialize();
  const redis = createRedisConnection(config.redis.url, 'ops');
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: 'replywatch-ops' });
  const keys = new ContactKeys(config.redis.prefix);
  const queue = new QueueRepository(redis, keys);
  const series = new QueueStatsRepository(redis, keys);
  const live = new LiveUpdates(queue, series, db, config.live);
  const metrics = createServiceRegistry('ops');
  new OpsMetrics(metrics).watchStreamClients(live);
  return {
    config,
    redis,
    db,
    queue,
    stats: new StatsService(queue, series, new SlaOutcomeRepository(db)),
    live,
    kafkaHealth: kafkaHealthIndicator(kafka),
    metrics,
  };
}

@Injectable()
class OpsLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(@Inject(OPS_RUNTIME) private readonly runtime: OpsRuntime) {}

  onApplicationBootstrap(): void {
    this.runtime.live.start();
  }

  /** Before the HTTP server closes: open streams would otherwise keep it from closing. */
  beforeApplicationShutdown(): void {
    this.runtime.live.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime.kafkaHealth.close();
    this.runtime.redis.disconnect();
    await this.runtime.db.destroy();
  }
}

@Module({})
export class OpsModule {
  static register(runtime: OpsRuntime): DynamicModule {
    return {
      module: OpsModule,
      controllers: [
        QueueController,
        PoliciesController,
        ChainsController,
        CalendarsController,
        AlertsController,
        AckLinkController,
        ReportsController,
        StatsController,
        StreamController,
        HealthController,
        MetricsController,
      ],
      providers: [
        { provide: OPS_RUNTIME, useValue: runtime },
        {
          provide: ApiKeyDirectory,
          useValue: new ApiKeyDirectory(
            runtime.config.apiKeys,
            runtime.config.adminKeys,
            new ApiKeyRepository(runtime.db),
          ),
        },
        { provide: OPS_DATA_SOURCE, useValue: runtime.db },
        {
          provide: ACK_SETTINGS,
          useValue: { ...runtime.config.ack, dashboardUrl: '/' },
        },
        {
          provide: PolicyRepository,
          useValue: new PolicyRepository(
            runtime.redis,
            new ContactKeys(runtime.config.redis.prefix),
            runtime.config.policyFile,
          ),
        },
        {
          provide: EscalationDocumentRepository,
          useValue: new EscalationDocumentRepository(
            runtime.db,
            runtime.config.escalation.file,
            runtime.config.escalation.alertEmailTo,
          ),
        },
        {
          provide: RateLimiter,
          useValue: new RateLimiter(
            runtime.redis,
            runtime.config.redis.prefix,
            runtime.config.rateLimits,
            runtime.metrics,
          ),
        },
        RateLimitGuard,
        OpsApiKeyGuard,
        { provide: QueueRepository, useValue: runtime.queue },
        { provide: StatsService, useValue: runtime.stats },
        { provide: LiveUpdates, useValue: runtime.live },
        { provide: SERVICE_NAME, useValue: 'ops' },
        { provide: METRICS_REGISTRY, useValue: runtime.metrics },
        {
          provide: HEALTH_INDICATORS,
          useValue: [
            runtime.kafkaHealth,
            redisHealthIndicator(runtime.redis),
            postgresHealthIndicator(runtime.db),
          ],
        },
        OpsLifecycle,
      ],
    };
  }
}
