import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from '@replywatch/platform';

/** The dashboard's own files only, no inline code, and no framing (it has acknowledge buttons). */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * dist/dashboard (built by `npm run build`), found from the compiled file (dist/apps/ops/src) or,
 * when the service runs from its sources as in the tests, from apps/ops/src.
 */
export const DASHBOARD_DIRS = [
  join(__dirname, '../../../dashboard'),
  join(__dirname, '../../../dist/dashboard'),
];

/**
 * Serves the live dashboard at `/`. Its files need no API key (the page asks for one and sends it
 * with each API call). Without a build, `/` says how to make one instead of a bare 404.
 */
export function serveDashboard(app: NestExpressApplication, dirs = DASHBOARD_DIRS): void {
  const dir = dirs.find((candidate) => existsSync(join(candidate, 'index.html')));
  if (dir === undefined) {
    app.use((request: Request, response: Response, next: NextFunction) => {
      if (request.path !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) {
        next();
        return;
      }
      response
        .status(503)
        .json(errorBody('OPS.DASHBOARD_NOT_BUILT', 'dashboard not built: run npm run build'));
    });
    return;
  }
  app.useStaticAssets(dir, {
    index: 'index.html',
    redirect: false,
    setHeaders: (response: Response) => {
      response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
      response.setHeader('X-Content-Type-Options', 'nosniff');
      response.setHeader('Referrer-Policy', 'no-referrer');
      // Always revalidate (ETag): a new build shows up on the next reload.
      response.setHeader('Cache-Control', 'no-cache');
    },
  });
}
