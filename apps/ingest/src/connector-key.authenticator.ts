import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@replywatch/platform';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Bearer keys of the generic connector API. Keys are compared as SHA-256 digests with a
 * timing-safe compare, and every configured key is checked, so timing says nothing about which.
 */
export class ConnectorKeyAuthenticator {
  private readonly keys: { source: string; digest: Buffer }[];

  constructor(keys: readonly { source: string; key: string }[]) {
    this.keys = keys.map(({ source, key }) => ({ source, digest: digest(key) }));
  }

  /** The connector's source id, or a 401 naming what was wrong (never the key). */
  authenticate(authorization: string | undefined): string {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) {
      throw new AppError(
        'INGEST.UNAUTHENTICATED',
        'missing connector key: send "Authorization: Bearer <key>"',
        401,
      );
    }
    const given = digest(match[1]);
    let source: string | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(given, key.digest) && source === undefined) source = key.source;
    }
    if (source === undefined) {
      throw new AppError('INGEST.UNAUTHENTICATED', 'unknown connector key', 401);
    }
    return source;
  }
}
