import { REPLYWATCH_SOURCE_HEADER, verifyGenericSignature } from '@replywatch/connectors';
import { AppError } from '@replywatch/platform';

/**
 * Connectors that cannot keep a bearer key secret sign each body instead (`X-Replywatch-Signature`
 * over timestamp + body, like the providers) and name themselves in `X-Replywatch-Source`.
 * A source may have several secrets at once, so a secret can be rotated without downtime.
 */
export class SignedConnectorAuthenticator {
  private readonly secretsBySource = new Map<string, string[]>();

  constructor(
    secrets: readonly { source: string; key: string }[],
    private readonly replayWindowSeconds: number,
  ) {
    for (const { source, key } of secrets) {
      this.secretsBySource.set(source, [...(this.secretsBySource.get(source) ?? []), key]);
    }
  }

  /** The connector's source id, or a 401 naming what was wrong (never the secret). */
  authenticate(
    headers: Record<string, string | undefined>,
    rawBody: Buffer,
    nowMs: number,
  ): string {
    const source = headers[REPLYWATCH_SOURCE_HEADER]?.trim();
    if (source === undefined || source === '') {
      throw new AppError(
        'INGEST.UNAUTHENTICATED',
        'a signed request must name its source in X-Replywatch-Source',
        401,
      );
    }
    const secrets = this.secretsBySource.get(source);
    const check =
      secrets === undefined
        ? { ok: false as const, reason: 'no signing secret for this source' }
        : verifyGenericSignature({ headers, rawBody, nowMs }, secrets, this.replayWindowSeconds);
    if (!check.ok) {
      throw new AppError('INGEST.SIGNATURE_INVALID', `request not authentic: ${check.reason}`, 401);
    }
    return source;
  }
}
