import { postOnce } from './post.attempt';
import { ReplywatchUnavailableError } from './replywatch-client.errors';
import type { ClientConfig } from './replywatch-client.options';
import { authHeaders } from './request.authenticator';
import { backoffDelayMs, retryAfterMs } from './retry-backoff.policy';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one batch until it is accepted, refused for good, or `maxAttempts` transient failures.
 * The body is built once, so every attempt sends the same bytes and the same eventIds, which
 * ingest and the SLA service deduplicate: a retry after a lost answer stores nothing twice.
 */
export class EventBatchSender {
  constructor(private readonly config: ClientConfig) {}

  async send(eventJson: readonly string[], eventIds: readonly string[]): Promise<void> {
    const { config } = this;
    const body = Buffer.from(`[${eventJson.join(',')}]`, 'utf8');
    let lastCause: unknown;
    for (let attempt = 1; attempt <= config.maxAttempts; attempt += 1) {
      const outcome = await postOnce({
        fetch: config.fetch,
        url: config.endpoint,
        headers: {
          'content-type': 'application/json',
          ...authHeaders(config.auth, body, config.now()),
        },
        body,
        timeoutMs: config.timeoutMs,
        eventIds,
      });
      switch (outcome.kind) {
        case 'accepted':
          return;
        case 'rejected':
          throw outcome.error;
        case 'retry':
          lastCause = outcome.cause;
          if (attempt < config.maxAttempts) {
            await sleep(
              retryAfterMs(outcome.retryAfter, config.now()) ??
                backoffDelayMs(attempt, config, config.random),
            );
          }
      }
    }
    throw new ReplywatchUnavailableError(config.maxAttempts, lastCause, eventIds);
  }
}
