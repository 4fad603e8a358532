import type {
  AckResult,
  AlertList,
  AlertState,
  ErrorBody,
  QueuePage,
  Stats,
} from '../contracts.js';

/** A refused or failed request, with the API's machine-readable code and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function apiErrorOf(response: Response): Promise<ApiError> {
  let body: ErrorBody = {};
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    // Not JSON (a proxy's page, an empty body): the status says enough.
  }
  const code = body.error?.code ?? `HTTP.${response.status}`;
  const message = body.error?.message ?? `HTTP ${response.status} ${response.statusText}`.trim();
  return new ApiError(response.status, code, message);
}

/** The ops API with one key: every call sends `Authorization: Bearer <key>`. */
export class OpsApi {
  constructor(
    readonly key: string,
    private readonly base = '',
  ) {}

  queue(limit: number): Promise<QueuePage> {
    return this.request(`/v1/queue?sort=wait&limit=${limit}`);
  }

  stats(): Promise<Stats> {
    return this.request('/v1/stats?window=today');
  }

  alerts(state: AlertState, limit: number): Promise<AlertList> {
    return this.request(`/v1/alerts?state=${state}&limit=${limit}`);
  }

  acknowledge(alertId: string): Promise<AckResult> {
    return this.request(`/v1/alerts/${encodeURIComponent(alertId)}/ack`, {
      method: 'POST',
      body: '{}',
    });
  }

  /** The headers of an authenticated request, for the stream reader. */
  headers(accept: string): Record<string, string> {
    return { authorization: `Bearer ${this.key}`, accept };
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  private async request<T>(
    path: string,
    init: { method?: string; body?: string } = {},
  ): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.url(path), {
        method: init.method ?? 'GET',
        headers: {
          ...this.headers('application/json'),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: init.body,
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'NETWORK', 'the ops service cannot be reached');
    }
    if (!response.ok) throw await apiErrorOf(response);
    return (await response.json()) as T;
  }
}
