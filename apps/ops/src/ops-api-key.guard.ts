import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '@replywatch/platform';

export const OPS_API_KEYS = Symbol('OPS_API_KEYS');

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** Every /v1 endpoint of the ops API needs `Authorization: Bearer <ops key>`. */
@Injectable()
export class OpsApiKeyGuard implements CanActivate {
  private readonly digests: Buffer[];

  constructor(@Inject(OPS_API_KEYS) keys: string[]) {
    this.digests = keys.map(digest);
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
    let ok = false;
    for (const known of this.digests) ok = timingSafeEqual(given, known) || ok;
    if (!ok) throw new AppError('OPS.UNAUTHENTICATED', 'unknown API key', 401);
    return true;
  }
}
