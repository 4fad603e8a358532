import { ReplywatchConfigError } from './replywatch-client.errors';

/** What the client needs of `fetch`: the global one fits, and so does any compatible stand-in. */
export type FetchLike = (
  url: string,
  init: {
    method: 'POST';
    headers: Record<string, string>;
    body: Uint8Array;
    signal: AbortSignal;
  },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

interface CommonOptions {
  /** Where ingest listens, e.g. `https://replywatch.example.com` (a path prefix is kept). */
  baseUrl: string;
  /** Events per request, at most the server's `INGEST_MAX_BATCH` (500 by default). */
  batchSize?: number;
  /** How long a queued event waits for others to share its request. */
  flushIntervalMs?: number;
  /** Attempts per batch, the first included. */
  maxAttempts?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Per attempt, until the whole answer is read. */
  timeoutMs?: number;
  fetch?: FetchLike;
  /** Epoch milliseconds; signs timestamps and dates `Retry-After`. */
  now?: () => number;
  /** In [0, 1); spreads backoffs (full jitter). */
  random?: () => number;
}

/** Exactly one of a bearer key or a signing secret; a signed request names its source itself. */
export type ReplywatchClientOptions = CommonOptions &
  (
    | {
        apiKey: string;
        signingSecret?: undefined;
        /** Optional with a key (the key names the source); checked against events if given. */
        source?: string;
      }
    | { signingSecret: string; apiKey?: undefined; source: string }
  );

export type ClientAuth =
  { kind: 'bearer'; apiKey: string } | { kind: 'signed'; signingSecret: string; source: string };

export interface ClientConfig {
  endpoint: string;
  auth: ClientAuth;
  /** The connector's source id when known: events naming another one are refused locally. */
  source: string | undefined;
  batchSize: number;
  flushIntervalMs: number;
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  timeoutMs: number;
  fetch: FetchLike;
  now: () => number;
  random: () => number;
}

// The contract's idSchema(100) for `source`: printable ASCII without spaces.
const SOURCE_FORMAT = /^[\x21-\x7e]{1,100}$/;

/** Defaults applied and every option checked once, listing all problems together. */
export function resolveClientConfig(options: ReplywatchClientOptions): ClientConfig {
  const problems: string[] = [];
  const endpoint = eventsEndpoint(options.baseUrl, problems);
  const auth = resolveAuth(options, problems);
  if (options.source !== undefined && !SOURCE_FORMAT.test(options.source)) {
    problems.push('source must be 1-100 printable ASCII characters without spaces');
  }
  const count = (
    name: keyof CommonOptions,
    value: number | undefined,
    fallback: number,
    min: number,
  ) => {
    const resolved = value ?? fallback;
    if (!Number.isSafeInteger(resolved) || resolved < min) {
      problems.push(`${name} must be a whole number >= ${min}, got ${String(value)}`);
    }
    return resolved;
  };
  const config = {
    batchSize: count('batchSize', options.batchSize, 100, 1),
    flushIntervalMs: count('flushIntervalMs', options.flushIntervalMs, 50, 0),
    maxAttempts: count('maxAttempts', options.maxAttempts, 6, 1),
    initialBackoffMs: count('initialBackoffMs', options.initialBackoffMs, 200, 0),
    maxBackoffMs: count('maxBackoffMs', options.maxBackoffMs, 10_000, 0),
    timeoutMs: count('timeoutMs', options.timeoutMs, 10_000, 1),
  };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') {
    problems.push('fetch is not available: pass one (Node 18+ has a global fetch)');
  }
  if (problems.length > 0 || auth === undefined) throw new ReplywatchConfigError(problems);
  return {
    ...config,
    endpoint,
    auth,
    source: options.source,
    fetch: fetchImpl,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}

function eventsEndpoint(baseUrl: string, problems: string[]): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    problems.push(`baseUrl is not a URL: ${JSON.stringify(baseUrl)}`);
    return '';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problems.push(`baseUrl must be http(s), got ${url.protocol}`);
  }
  if (url.search !== '' || url.hash !== '') problems.push('baseUrl must not hold a query or hash');
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/events`;
  return url.toString();
}

// Checked at run time too: JavaScript callers and casts get past the types.
function resolveAuth(options: ReplywatchClientOptions, problems: string[]): ClientAuth | undefined {
  const { apiKey, signingSecret } = options as { apiKey?: unknown; signingSecret?: unknown };
  if ((apiKey === undefined) === (signingSecret === undefined)) {
    problems.push('pass exactly one of apiKey or signingSecret');
    return undefined;
  }
  if (apiKey !== undefined) {
    if (typeof apiKey !== 'string' || !/^\S+$/.test(apiKey)) {
      problems.push('apiKey must be a non-empty string without spaces');
      return undefined;
    }
    return { kind: 'bearer', apiKey };
  }
  if (typeof signingSecret !== 'string' || signingSecret === '') {
    problems.push('signingSecret must be a non-empty string');
    return undefined;
  }
  if (options.source === undefined) {
    problems.push('source is required with signingSecret: no key names the connector');
    return undefined;
  }
  return { kind: 'signed', signingSecret, source: options.source };
}
