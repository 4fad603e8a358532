import { isIP } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { z } from 'zod';

/** Express's `trust proxy`: off, on (trust every hop: only behind a proxy that strips XFF), hops, or addresses. */
export type TrustProxy = boolean | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isProxyAddress(item: string): boolean {
  if (NAMED_RANGES.has(item)) return true;
  const [address, bits, extra] = item.split('/');
  if (extra !== undefined || isIP(address) === 0) return false;
  if (bits === undefined) return true;
  const max = isIP(address) === 4 ? 32 : 128;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/**
 * `OPS_TRUST_PROXY`: `false` (default: `request.ip` is the TCP peer), `true`, a number of proxy
 * hops, or comma-separated addresses/subnets (`loopback`, `10.0.0.0/8`) of the proxies to trust.
 */
export const trustProxyEnv = z
  .string()
  .default('false')
  .transform((value, ctx): TrustProxy => {
    const text = value.trim();
    if (text === '' || text === 'false') return false;
    if (text === 'true') return true;
    if (/^\d+$/.test(text)) return Number(text);
    const items = text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
    const bad = items.filter((item) => !isProxyAddress(item));
    if (bad.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `use true, false, a hop count or addresses/subnets; not ${bad.join(', ')}`,
      });
      return z.NEVER;
    }
    return items;
  });

/** Rate limits count per `request.ip`: behind a proxy that is the proxy unless it is trusted. */
export function applyTrustProxy(app: INestApplication, trustProxy: TrustProxy): void {
  const server = app.getHttpAdapter().getInstance() as {
    set?: (name: string, value: unknown) => void;
  };
  server.set?.('trust proxy', trustProxy);
}
