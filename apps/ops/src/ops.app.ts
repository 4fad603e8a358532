import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { migrate } from '@replywatch/persistence';
import { configureHttpApp, createLogger, enabledLogLevels } from '@replywatch/platform';
import type { OpsConfig } from './ops.config';
import { buildOpsRuntime, OpsModule } from './ops.module';

export interface OpsApp {
  app: INestApplication;
  url: string;
}

export async function startOpsApp(config: OpsConfig): Promise<OpsApp> {
  // Ops reads tables of its own (API keys): it applies pending migrations as escalation does
  // (advisory-locked, so the two never race), whichever starts first.
  await migrate(config.database);
  const runtime = await buildOpsRuntime(config);
  const app = await NestFactory.create(OpsModule.register(runtime), {
    logger: createLogger('ops', enabledLogLevels(config.log.level), config.log.format),
  });
  configureHttpApp(app);
  await app.listen(config.port, config.host);
  return { app, url: await app.getUrl() };
}
