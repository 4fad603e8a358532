import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import type { ApiKeyRole } from '@replywatch/persistence';
import { AppError } from '@replywatch/platform';
import { ApiKeyDirectory } from './api-key.directory';
import type { ApiCaller } from './api-key.directory';
import { clientAddress, enforceRateLimit } from './rate-limit.guard';
import { RateLimiter } from './rate-limit.limiter';

export type { ApiCaller } from './api-key.directory';
export const REQUIRE_ROLES = 'replywatch:require-roles';

/** Roles that may read the ops API when a handler names none. */
export const READ_ROLES: readonly ApiKeyRole[] = ['ops', 'lead', 'admin'];

/** The roles allowed to call a handler (admin is always allowed). */
export const RequireRoles = (...roles: ApiKeyRole[]) => SetMetadata(REQUIRE_ROLES, roles);

/** Marks a handler that changes configuration: only admin keys may call it. */
export const RequireAdmin = () => RequireRoles('admin');

export type AuthenticatedRequest = Request & { caller?: ApiCaller };

/**
 * Every /v1 endpoint of the ops API needs `Authorization: Bearer <key>`. The key's role must be
 * one the handler allows (`@RequireRoles`; by default ops, lead and admin): 401 for a missing or
 * unknown key, 403 with the roles needed otherwise. Rate limits apply per key
 * (`OPS_RATE_LIMIT_API_PER_MIN`) and per address to requests without a valid key
 * (`OPS_RATE_LIMIT_AUTH_FAILURES_PER_MIN`: past it 429, not 401; a valid key still works).
 */
@Injectable()
export class OpsApiKeyGuard implements CanActivate {
  constructor(
    @Inject(ApiKeyDirectory) private readonly directory: ApiKeyDirectory,
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const caller = match ? await this.directory.caller(match[1]) : undefined;
    if (caller === undefined) {
      const failure = await this.limiter.hit('authFailures', clientAddress(request));
      enforceRateLimit(response, 'authFailures', failure);
      throw new AppError(
        'OPS.UNAUTHENTICATED',
        match
          ? 'unknown or revoked API key'
          : 'missing API key: send "Authorization: Bearer <key>"',
        401,
      );
    }
    // By fingerprint: the key itself never reaches Redis.
    enforceRateLimit(response, 'api', await this.limiter.hit('api', caller.keyFingerprint));
    const allowed =
      this.reflector.get<ApiKeyRole[] | undefined>(REQUIRE_ROLES, context.getHandler()) ??
      READ_ROLES;
    if (caller.role !== 'admin' && !allowed.includes(caller.role)) {
      throw new AppError(
        'OPS.FORBIDDEN',
        `a ${caller.role} key cannot do this; it needs a key with role ${[...new Set([...allowed, 'admin'])].join(' or ')}`,
        403,
      );
    }
    (request as AuthenticatedRequest).caller = caller;
    return true;
  }
}
