import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { configureHttpApp, createLogger, enabledLogLevels } from '@replywatch/platform';
import type { IngestConfig } from './ingest.config';
import { buildIngestRuntime, IngestModule } from './ingest.module';

export interface IngestApp {
  app: INestApplication;
  url: string;
}

export async function startIngestApp(config: IngestConfig): Promise<IngestApp> {
  const runtime = buildIngestRuntime(config);
  // Bodies are read raw by the controllers (signatures are computed over the exact bytes).
  const app = await NestFactory.create(IngestModule.register(runtime), {
    bodyParser: false,
    logger: createLogger('ingest', enabledLogLevels(config.log.level), config.log.format),
  });
  configureHttpApp(app);
  await app.listen(config.port, config.host);
  return { app, url: await app.getUrl() };
}
