import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { ApiKeyRole } from '@replywatch/persistence';
import { AppError } from '@replywatch/platform';
import { ApiKeyDirectory } from './api-key.directory';
import type { ApiCaller } from './api-key.directory';

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
 * unknown key, 403 with the roles needed otherwise.
 */
@Injectable()
export class OpsApiKeyGuard implements CanActivate {
  constructor(
    @Inject(ApiKeyDirectory) private readonly directory: ApiKeyDirectory,
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new AppError(
        'OPS.UNAUTHENTICATED',
        'missing API key: send "Authorization: Bearer <key>"',
        401,
      );
    }
    const caller = await this.directory.caller(match[1]);
    if (caller === undefined) {
      throw new AppError('OPS.UNAUTHENTICATED', 'unknown or revoked API key', 401);
    }
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
