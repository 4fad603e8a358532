import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { Topic, topicName } from '@replywatch/contracts';
import { consumerLagGauge, KafkaBatchServer, replywatchTopics } from '@replywatch/kafka';
import { migrate } from '@replywatch/persistence';
import { configureHttpApp, createLogger, enabledLogLevels } from '@replywatch/platform';
import type { EscalationConfig } from './escalation.config';
import { loadBaseDocument } from './escalation-document.store';
import { buildEscalationRuntime, EscalationModule } from './escalation.module';

export interface EscalationApp {
  app: INestApplication;
  server: KafkaBatchServer;
  url: string;
}

/** Apply migrations, then consume sla-events and source-events and deliver the outbox; HTTP for /health. */
export async function startEscalationApp(config: EscalationConfig): Promise<EscalationApp> {
  // An invalid escalation file stops the start with every problem listed, before any connection.
  const base = loadBaseDocument(config.escalationFile, config.alertEmailTo);
  await migrate(config.database);
  const runtime = await buildEscalationRuntime(config, base);
  const app = await NestFactory.create(EscalationModule.register(runtime), {
    logger: createLogger('escalation', enabledLogLevels(config.log.level), config.log.format),
  });
  configureHttpApp(app);
  const prefix = config.kafka.topicPrefix;
  const server = new KafkaBatchServer({
    kafka: runtime.kafka,
    groupId: config.kafka.groupId,
    subscriptions: {
      [Topic.SlaEvents]: topicName(Topic.SlaEvents, prefix),
      [Topic.SourceEvents]: topicName(Topic.SourceEvents, prefix),
    },
    topics: replywatchTopics(prefix, config.kafka.contactPartitions),
    maxBatchSize: 200,
    // Partitions run side by side; within a chunk, alerts are created in a few lanes by contact,
    // each contact's events in order (AlertService).
    partitionsConsumedConcurrently: config.kafka.contactPartitions,
    onLag: consumerLagGauge(runtime.metrics.registry),
  });
  app.connectMicroservice({ strategy: server }, { inheritAppConfig: true });
  await app.startAllMicroservices();
  await app.listen(config.port, config.host);
  return { app, server, url: await app.getUrl() };
}
