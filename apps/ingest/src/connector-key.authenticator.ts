import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '@replywatch/platform';
import type { KeyLookupSource } from './database-key.cache';
import { SOURCE_ID_PATTERN } from './ingest.config';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Bearer keys of the generic connector API: `CONNECTOR_KEYS` from the environment, then keys
 * created with `npm run keys -- create --role connector --name <source id>` (table `api_key`),
 * whose name is the source id. Environment keys are compared as SHA-256 digests with a
 * timing-safe compare, every one of them, so timing says nothing about which; they never need
 * the database.
 */
export class ConnectorKeyAuthenticator {
  private readonly keys: { source: string; digest: Buffer }[];

  constructor(
    keys: readonly { source: string; key: string }[],
    private readonly stored?: KeyLookupSource,
  ) {
    this.keys = keys.map(({ source, key }) => ({ source, digest: digest(key) }));
  }

  /** The connector's source id, or a 401/403/503 naming what was wrong (never the key). */
  async authenticate(authorization: string | undefined): Promise<string> {
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
    if (source !== undefined) return source;
    const found =
      this.stored === undefined ? { kind: 'unknown' as const } : await this.stored.lookup(given);
    switch (found.kind) {
      case 'unknown':
        throw new AppError('INGEST.UNAUTHENTICATED', 'unknown connector key', 401);
      case 'unavailable':
        throw new AppError(
          'INGEST.AUTH_UNAVAILABLE',
          'cannot check this connector key now (the key database is unreachable); try again',
          503,
        );
      case 'found':
        if (found.role !== 'connector') {
          throw new AppError(
            'INGEST.FORBIDDEN',
            `a key with role ${found.role} cannot send events; create one with --role connector`,
            403,
          );
        }
        if (!SOURCE_ID_PATTERN.test(found.name)) {
          throw new AppError(
            'INGEST.FORBIDDEN',
            `this connector key's name ${JSON.stringify(found.name)} is not a source id (lower-case letters, digits, ".", "_", "-"): create a connector key named after the source id`,
            403,
          );
        }
        return found.name;
    }
  }
}
