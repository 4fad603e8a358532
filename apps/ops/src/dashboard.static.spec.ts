import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DASHBOARD_CSP, serveDashboard } from './dashboard.static';

@Controller('v1/ping')
class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }
}

@Module({ controllers: [PingController] })
class PingModule {}

async function appServing(dirs: string[]): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(PingModule, { logger: false });
  serveDashboard(app, dirs);
  await app.init();
  return app;
}

describe('serveDashboard', () => {
  let app: NestExpressApplication | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('serves the built dashboard at / without a key, under a restrictive CSP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Replywatch</title>');
    writeFileSync(join(dir, 'styles.css'), 'body { margin: 0 }');
    app = await appServing([join(dir, 'missing'), dir]);
    const page = await request(app.getHttpServer()).get('/').expect(200);
    expect(page.text).toContain('<title>Replywatch</title>');
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("default-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const css = await request(app.getHttpServer()).get('/styles.css').expect(200);
    expect(css.headers['content-type']).toContain('text/css');
    // The API behind it is untouched.
    await request(app.getHttpServer()).get('/v1/ping').expect(200, { pong: true });
  });

  it('answers / with 503 and how to build it when dist/dashboard is missing', async () => {
    app = await appServing([join(tmpdir(), 'no-such-dashboard-dir')]);
    const response = await request(app.getHttpServer()).get('/').expect(503);
    expect(response.body).toEqual({
      error: {
        code: 'OPS.DASHBOARD_NOT_BUILT',
        message: 'dashboard not built: run npm run build',
        details: [],
      },
    });
    await request(app.getHttpServer()).get('/v1/ping').expect(200);
  });
});
