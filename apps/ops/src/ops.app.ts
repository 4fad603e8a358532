import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { migrate } from '@replywatch/persistence';
import { configureHttpApp, createLogger, enabledLogLevels } from '@replywatch/platform';
import type { OpsConfig } from './ops.config';
import { serveDashboard } from './dashboard.static';
import { buildOpsRuntime, OpsModule } from './ops.module';
import { setupOpenApi } from './openapi';
import { applyTrustProxy } from './rate-limit.proxy';

export interface OpsApp {
  app: INestApplication;
  url: string;
}

export async function startOpsApp(config: OpsConfig): Promise<OpsApp> {
  // Ops reads tables of its own (API keys): it applies pending migrations as escalation does
  // (advisory-locked, so the two never race), whichever starts first.
  await migrate(config.database);
  const runtime = await buildOpsRuntime(config);
  const app = await NestFactory.create<NestExpressApplication>(OpsModule.register(runtime), {
    logger: createLogger('ops', enabledLogLevels(config.log.level), config.log.format),
  });
  configureHttpApp(app);
  serveDashboard(app);
  setupOpenApi(app);
  applyTrustProxy(app, config.trustProxy);
  await app.listen(config.port, config.host);
  return { app, url: await app.getUrl() };
}
