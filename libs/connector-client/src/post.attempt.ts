import { parseErrorBody } from './error-body.parser';
import {
  ReplywatchHttpError,
  ReplywatchRejectedError,
  ReplywatchTimeoutError,
} from './replywatch-client.errors';
import type { FetchLike } from './replywatch-client.options';

export type AttemptOutcome =
  | { kind: 'accepted' }
  | { kind: 'rejected'; error: ReplywatchRejectedError }
  | { kind: 'retry'; cause: unknown; retryAfter: string | null };

export interface AttemptRequest {
  fetch: FetchLike;
  url: string;
  headers: Record<string, string>;
  body: Buffer;
  timeoutMs: number;
  eventIds: readonly string[];
}

/** One POST, bounded by a timeout that covers reading the answer, classified for the retry loop. */
export async function postOnce(request: AttemptRequest): Promise<AttemptOutcome> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await request.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    const text = await response.text();
    return classify(response.status, text, response.headers.get('retry-after'), request.eventIds);
  } catch (error) {
    const cause = controller.signal.aborted ? new ReplywatchTimeoutError(request.timeoutMs) : error;
    return { kind: 'retry', cause, retryAfter: null };
  } finally {
    clearTimeout(timer);
  }
}

function classify(
  status: number,
  text: string,
  retryAfter: string | null,
  eventIds: readonly string[],
): AttemptOutcome {
  if (status >= 200 && status < 300) return acceptedOrUnexpected(status, text, eventIds);
  const error = parseErrorBody(status, text);
  // 408/429/5xx are about the moment (Kafka down, too busy): the same bytes may pass later.
  if (status === 408 || status === 429 || status >= 500) {
    const cause = new ReplywatchHttpError(
      status,
      error.code,
      error.message,
      error.details,
      error.requestId,
    );
    return { kind: 'retry', cause, retryAfter };
  }
  return {
    kind: 'rejected',
    error: new ReplywatchRejectedError(
      status,
      error.code,
      error.message,
      error.details,
      error.requestId,
      eventIds,
    ),
  };
}

/**
 * Ingest answers `{accepted: n}` for the n events sent; a 2xx without it came from something else
 * (a wrong baseUrl, a proxy) and the events are not known to be stored.
 */
function acceptedOrUnexpected(
  status: number,
  text: string,
  eventIds: readonly string[],
): AttemptOutcome {
  let accepted: unknown;
  try {
    accepted = (JSON.parse(text) as { accepted?: unknown } | null)?.accepted;
  } catch {
    accepted = undefined;
  }
  if (accepted === eventIds.length) return { kind: 'accepted' };
  return {
    kind: 'rejected',
    error: new ReplywatchRejectedError(
      status,
      'CLIENT.UNEXPECTED_RESPONSE',
      `answer ${status} is not ingest's {"accepted": ${eventIds.length}}: is baseUrl right?`,
      [],
      undefined,
      eventIds,
    ),
  };
}
