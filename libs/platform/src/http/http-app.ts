import { ConsoleLogger, INestApplication, LogLevel } from '@nestjs/common';
import { HttpErrorFilter } from './http-error.filter';

export interface LogOptions {
  LOG_LEVEL: LogLevel;
  LOG_FORMAT: 'text' | 'json';
}

export function createLogger(service: string, levels: LogLevel[], format: 'text' | 'json') {
  return new ConsoleLogger(service, { logLevels: levels, json: format === 'json' });
}

/** What every HTTP service shares: the error shape, shutdown hooks, no framework fingerprint. */
export function configureHttpApp(app: INestApplication): void {
  app.useGlobalFilters(new HttpErrorFilter());
  app.enableShutdownHooks();
  const server = app.getHttpAdapter().getInstance() as { disable?: (name: string) => void };
  server.disable?.('x-powered-by');
}
