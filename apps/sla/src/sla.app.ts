import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { Topic, topicName } from '@replywatch/contracts';
import { consumerLagGauge, KafkaBatchServer, replywatchTopics } from '@replywatch/kafka';
import { configureHttpApp, createLogger, enabledLogLevels } from '@replywatch/platform';
import type { SlaConfig } from './sla.config';
import { buildSlaRuntime, SlaModule } from './sla.module';

export interface SlaApp {
  app: INestApplication;
  server: KafkaBatchServer;
  url: string;
}

/** Build and start the SLA service: Kafka consumer, timer worker and a small HTTP port for /health. */
export async function startSlaApp(config: SlaConfig): Promise<SlaApp> {
  const runtime = buildSlaRuntime(config);
  const app = await NestFactory.create(SlaModule.register(runtime), {
    logger: createLogger('sla', enabledLogLevels(config.log.level), config.log.format),
  });
  configureHttpApp(app);
  const prefix = config.kafka.topicPrefix;
  const server = new KafkaBatchServer({
    kafka: runtime.kafka,
    groupId: config.kafka.groupId,
    subscriptions: { [Topic.ContactEvents]: topicName(Topic.ContactEvents, prefix) },
    topics: replywatchTopics(prefix, config.kafka.contactPartitions),
    maxBatchSize: 1000,
    partitionsConsumedConcurrently: config.kafka.contactPartitions,
    sessionTimeoutMs: config.kafka.sessionTimeoutMs,
    onLag: consumerLagGauge(runtime.metrics.registry),
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.port, config.host);
  return { app, server, url: await app.getUrl() };
}
