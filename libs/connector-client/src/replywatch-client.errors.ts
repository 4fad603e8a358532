import type { ValidationIssue } from '@replywatch/contracts';

/** Every error the client raises has a stable `code`, as the API's errors do. */
export class ReplywatchError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The client was built with options it cannot run with; `problems` names each one. */
export class ReplywatchConfigError extends ReplywatchError {
  constructor(readonly problems: readonly string[]) {
    super('CLIENT.INVALID_OPTIONS', `invalid ReplywatchClient options: ${problems.join('; ')}`);
  }
}

/** An event failed the contract before it was queued; it was never sent. */
export class ReplywatchInvalidEventError extends ReplywatchError {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      'CLIENT.INVALID_EVENT',
      `the event breaks the contract and was not sent: ${issues
        .map((issue) => `${issue.path}: ${issue.message}`)
        .join('; ')}`,
    );
  }
}

/** `send()` after `close()`. */
export class ReplywatchClosedError extends ReplywatchError {
  constructor() {
    super('CLIENT.CLOSED', 'the client is closed');
  }
}

/** An error answer from the API (`{"error":{code,message,details,requestId}}`), with its status. */
export class ReplywatchHttpError extends ReplywatchError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    readonly details: readonly unknown[] = [],
    readonly requestId?: string,
  ) {
    super(code, message);
  }
}

/**
 * The API refused the batch for good (a 4xx other than 408/429): it is never retried, since the
 * same bytes would be refused again. A batch is all-or-nothing, so every event in it gets this.
 */
export class ReplywatchRejectedError extends ReplywatchHttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    details: readonly unknown[] = [],
    requestId?: string,
    readonly eventIds: readonly string[] = [],
  ) {
    super(status, code, message, details, requestId);
  }
}

/** The API answered neither 2xx nor an error before `timeoutMs`. */
export class ReplywatchTimeoutError extends ReplywatchError {
  constructor(readonly timeoutMs: number) {
    super('CLIENT.TIMEOUT', `no answer within ${timeoutMs} ms`);
  }
}

/**
 * Every attempt failed transiently (network, timeout, 408, 429, 5xx); `cause` is the last failure.
 * The events may or may not have been stored: sending them again is safe (deduplicated by eventId).
 */
export class ReplywatchUnavailableError extends ReplywatchError {
  constructor(
    readonly attempts: number,
    cause: unknown,
    readonly eventIds: readonly string[] = [],
  ) {
    super(
      'CLIENT.UNAVAILABLE',
      `Replywatch did not accept the batch after ${attempts} attempt(s): ${describe(cause)}`,
      { cause },
    );
  }
}

// Duck-typed: errors from fetch may come from another realm (a VM context), where instanceof fails.
function describe(cause: unknown): string {
  if (cause instanceof ReplywatchHttpError)
    return `${cause.status} ${cause.code}: ${cause.message}`;
  const message = messageOf(cause);
  if (message === undefined) return String(cause);
  const inner = messageOf((cause as { cause?: unknown }).cause);
  return inner === undefined ? message : `${message} (${inner})`;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { message } = value as { message?: unknown };
  return typeof message === 'string' ? message : undefined;
}
