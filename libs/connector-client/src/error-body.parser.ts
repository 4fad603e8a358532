export interface ApiError {
  code: string;
  message: string;
  details: readonly unknown[];
  requestId?: string;
}

const SNIPPET_LENGTH = 200;

/**
 * The API's `{"error":{code,message,details,requestId}}`; anything else (a proxy's HTML page, an
 * empty body) becomes `HTTP.<status>` with the start of the text, so the cause is still visible.
 */
export function parseErrorBody(status: number, text: string): ApiError {
  const error = readErrorObject(text);
  if (error !== undefined && typeof error.code === 'string' && typeof error.message === 'string') {
    return {
      code: error.code,
      message: error.message,
      details: Array.isArray(error.details) ? (error.details as unknown[]) : [],
      requestId: typeof error.requestId === 'string' ? error.requestId : undefined,
    };
  }
  const snippet = text.trim().slice(0, SNIPPET_LENGTH);
  return {
    code: `HTTP.${status}`,
    message: snippet === '' ? `HTTP ${status}` : `HTTP ${status}: ${snippet}`,
    details: [],
  };
}

function readErrorObject(text: string): Record<string, unknown> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.error)) return undefined;
  return parsed.error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
