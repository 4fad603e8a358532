import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '@replywatch/platform';

export const OPS_API_KEYS = Symbol('OPS_API_KEYS');
export const OPS_ADMIN_KEYS = Symbol('OPS_ADMIN_KEYS');
export const REQUIRE_ADMIN = 'replywatch:require-admin';

/** Marks a handler that changes configuration: only admin keys may call it. */
export const RequireAdmin = () => SetMetadata(REQUIRE_ADMIN, true);

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Who called, as the audit trail records it: never the key, only a short fingerprint. */
export interface ApiCaller {
  role: 'ops' | 'admin';
  keyFingerprint: string;
}

export type AuthenticatedRequest = Request & { caller?: ApiCaller };

function matches(given: Buffer, known: readonly Buffer[]): boolean {
  let ok = false;
  for (const key of known) ok = timingSafeEqual(given, key) || ok; // no early exit: constant time
  return ok;
}

/**
 * Every /v1 endpoint of the ops API needs `Authorization: Bearer <key>`: an ops or admin key to
 * read, an admin key for handlers marked `@RequireAdmin()`.
 */
@Injectable()
export class OpsApiKeyGuard implements CanActivate {
  private readonly opsDigests: Buffer[];
  private readonly adminDigests: Buffer[];

  constructor(
    @Inject(OPS_API_KEYS) keys: string[],
    @Inject(OPS_ADMIN_KEYS) adminKeys: string[],
    @Inject(Reflector) private readonly reflector: Reflector,
  ) {
    this.opsDigests = keys.map(digest);
    this.adminDigests = adminKeys.map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match) {
      throw new AppError(
        'OPS.UNAUTHENTICATED',
        'missing API key: send "Authorization: Bearer <key>"',
        401,
      );
    }
    const given = digest(match[1]);
    const admin = matches(given, this.adminDigests);
    if (!admin && !matches(given, this.opsDigests)) {
      throw new AppError('OPS.UNAUTHENTICATED', 'unknown API key', 401);
    }
    if (!admin && this.reflector.get<boolean>(REQUIRE_ADMIN, context.getHandler())) {
      throw new AppError('OPS.FORBIDDEN', 'this needs an admin key (OPS_ADMIN_KEYS)', 403);
    }
    (request as AuthenticatedRequest).caller = {
      role: admin ? 'admin' : 'ops',
      keyFingerprint: given.toString('hex').slice(0, 12),
    };
    return true;
  }
}
