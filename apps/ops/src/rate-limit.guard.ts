import {
  applyDecorators,
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { AppError } from '@replywatch/platform';
import { RATE_LIMIT_BUCKET_NAMES, RateLimiter } from './rate-limit.limiter';
import type { RateLimitBucket } from './rate-limit.limiter';
import { rateLimitHeaders } from './rate-limit.policy';
import type { RateLimitDecision } from './rate-limit.policy';

export const RATE_LIMIT_BUCKET = 'replywatch:rate-limit-bucket';

const REFUSED: Record<RateLimitBucket, string> = {
  ack: 'too many acknowledge-link requests from this address',
  authFailures: 'too many requests without a valid API key from this address',
  api: 'too many requests with this API key',
};

/** The caller's address: the TCP peer, or the client a trusted proxy names (`OPS_TRUST_PROXY`). */
export function clientAddress(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}

/**
 * Puts the `RateLimit-*` headers of a counted hit on the response, and refuses it with 429
 * `OPS.RATE_LIMITED` (and `Retry-After`) when it is over the limit. No decision: no limit.
 */
export function enforceRateLimit(
  response: Response,
  bucket: RateLimitBucket,
  decision: RateLimitDecision | undefined,
): void {
  if (decision === undefined) return;
  for (const [name, value] of Object.entries(rateLimitHeaders(decision))) {
    response.setHeader(name, value);
  }
  if (decision.allowed) return;
  throw new AppError(
    'OPS.RATE_LIMITED',
    `${REFUSED[bucket]}: retry in ${decision.resetSeconds} s`,
    429,
    [
      {
        bucket: RATE_LIMIT_BUCKET_NAMES[bucket],
        limit: decision.limit,
        retryAfterSeconds: decision.resetSeconds,
      },
    ],
  );
}

/** Limits a controller's (or handler's) requests per client address in `bucket`. */
export const RateLimitPerAddress = (bucket: RateLimitBucket) =>
  applyDecorators(SetMetadata(RATE_LIMIT_BUCKET, bucket), UseGuards(RateLimitGuard));

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.getAllAndOverride<RateLimitBucket | undefined>(
      RATE_LIMIT_BUCKET,
      [context.getHandler(), context.getClass()],
    );
    if (bucket === undefined) return true;
    const http = context.switchToHttp();
    const decision = await this.limiter.hit(bucket, clientAddress(http.getRequest<Request>()));
    enforceRateLimit(http.getResponse<Response>(), bucket, decision);
    return true;
  }
}
