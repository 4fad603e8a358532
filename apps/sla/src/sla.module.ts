import { Inject, Injectable, Module } from '@nestjs/common';
import type { DynamicModule, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type Redis from 'ioredis';
import { Topic, topicName } from '@replywatch/contracts';
import { createKafkaClient, kafkaHealthIndicator, KafkaPublisher } from '@replywatch/kafka';
import {
  createServiceRegistry,
  HEALTH_INDICATORS,
  HealthController,
  METRICS_REGISTRY,
  MetricsController,
  SERVICE_NAME,
} from '@replywatch/platform';
import { SlaMetrics } from './sla.metrics';
import { ContactKeys, createRedisConnection, redisHealthIndicator } from '@replywatch/redis';
import { ConsumerWatermark } from './consumer-watermark';
import { ContactEventsHandler } from './contact-events.handler';
import { ContactSlaService } from './contact-sla.service';
import { ContactStateRepository } from './contact-state.repository';
import { PolicyStore } from './policy.store';
import type { SlaConfig } from './sla.config';
import { SlaTimerProcessor } from './sla-timer.processor';
import { SlaTimerScheduler } from './sla-timer.scheduler';
import { SlaSweeper } from './sla-sweeper';
import { PolicySync } from './policy-sync';
import { HeartbeatMonitor } from './heartbeat.monitor';
import { SourceActivityRepository } from './source-activity.repository';

/** Everything the SLA service wires together, built once from validated config. */
export interface SlaRuntime {
  config: SlaConfig;
  kafka: ReturnType<typeof createKafkaClient>;
  publisher: KafkaPublisher;
  stateRedis: Redis;
  bullRedis: Redis;
  scheduler: SlaTimerScheduler;
  processor: SlaTimerProcessor;
  watermark: ConsumerWatermark;
  sweeper: SlaSweeper;
  policies: PolicyStore;
  policySync: PolicySync;
  service: ContactSlaService;
  sourceActivity: SourceActivityRepository;
  heartbeats: HeartbeatMonitor;
  kafkaHealth: ReturnType<typeof kafkaHealthIndicator>;
  metrics: SlaMetrics;
}

export const SLA_RUNTIME = Symbol('SLA_RUNTIME');

export function buildSlaRuntime(config: SlaConfig): SlaRuntime {
  const policies = new PolicyStore(config.policyFile);
  const kafka = createKafkaClient({ brokers: config.kafka.brokers, clientId: 'replywatch-sla' });
  const publisher = new KafkaPublisher(kafka, {
    sendTimeoutMs: 10000,
    lingerMs: 2,
    maxBatchMessages: 1000,
  });
  const keys = new ContactKeys(config.redis.prefix);
  const stateRedis = createRedisConnection(config.redis.url, 'sla-state');
  const bullRedis = createRedisConnection(config.redis.url, 'sla-timers', true);
  const repository = new ContactStateRepository(stateRedis, keys, config.dedupeTtlSeconds);
  const scheduler = new SlaTimerScheduler(bullRedis, keys.bullPrefix(), config.timerHorizonMs);
  // Deadlines wait for the consumer to have read up to them; a group that lost an instance
  // reassigns its partitions within a session timeout, so hold at most twice that.
  const watermark = new ConsumerWatermark(kafka, {
    topic: topicName(Topic.ContactEvents, config.kafka.topicPrefix),
    groupId: config.kafka.groupId,
    pollMs: 500,
    maxHoldMs: Math.max(60000, 2 * config.kafka.sessionTimeoutMs),
  });
  const service = new ContactSlaService(repository, scheduler, publisher, policies, {
    topicPrefix: config.kafka.topicPrefix,
    resolvedTtlSeconds: config.resolvedTtlSeconds,
    idleTtlSeconds: config.answeredTtlSeconds,
    horizon: (nowMs) => watermark.horizon(nowMs),
  });
  const sweeper = new SlaSweeper(service, repository, scheduler, {
    intervalMs: config.sweepIntervalMs,
    batchSize: 500,
    reconcileBatchSize: 5000,
    outboxGraceMs: 5000,
  });
  const processor = new SlaTimerProcessor(
    service,
    bullRedis,
    keys.bullPrefix(),
    config.timerConcurrency,
    watermark,
  );
  const policySync = new PolicySync(
    policies,
    stateRedis,
    createRedisConnection(config.redis.url, 'sla-policy-changes'),
    keys,
  );
  const sourceActivity = new SourceActivityRepository(stateRedis, keys);
  const heartbeats = new HeartbeatMonitor(
    () => policies.heartbeats(),
    sourceActivity,
    publisher,
    config.kafka.topicPrefix,
    config.sweepIntervalMs,
  );
  const kafkaHealth = kafkaHealthIndicator(kafka);
  const metrics = new SlaMetrics(createServiceRegistry('sla'));
  metrics.watchTimers(stateRedis, keys);
  return {
    metrics,
    sourceActivity,
    heartbeats,
    config,
    kafka,
    publisher,
    stateRedis,
    bullRedis,
    scheduler,
    processor,
    watermark,
    sweeper,
    policies,
    policySync,
    service,
    kafkaHealth,
  };
}

/** Starts the timer worker with the app and closes every connection on shutdown, in order. */
@Injectable()
class SlaLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(SLA_RUNTIME) private readonly runtime: SlaRuntime) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runtime.policySync.start();
    this.runtime.watermark.start();
    this.runtime.processor.start();
    this.runtime.sweeper.start();
    this.runtime.heartbeats.start();
    this.runtime.policies.watch();
  }

  async onApplicationShutdown(): Promise<void> {
    const r = this.runtime;
    r.policies.unwatch();
    r.policySync.stop();
    await r.sweeper.stop();
    await r.heartbeats.stop();
    await r.processor.close();
    await r.watermark.stop();
    await r.scheduler.close();
    await r.publisher.close();
    await r.kafkaHealth.close();
    r.stateRedis.disconnect();
    r.bullRedis.disconnect();
  }
}

@Module({})
export class SlaModule {
  static register(runtime: SlaRuntime): DynamicModule {
    return {
      module: SlaModule,
      controllers: [ContactEventsHandler, HealthController, MetricsController],
      providers: [
        { provide: SLA_RUNTIME, useValue: runtime },
        { provide: ContactSlaService, useValue: runtime.service },
        { provide: SourceActivityRepository, useValue: runtime.sourceActivity },
        { provide: SERVICE_NAME, useValue: 'sla' },
        { provide: SlaMetrics, useValue: runtime.metrics },
        { provide: METRICS_REGISTRY, useValue: runtime.metrics.registry },
        {
          provide: HEALTH_INDICATORS,
          useValue: [
            runtime.kafkaHealth,
            redisHealthIndicator(runtime.stateRedis),
            runtime.policySync.healthIndicator(),
          ],
        },
        SlaLifecycle,
      ],
    };
  }
}
