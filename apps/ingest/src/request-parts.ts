import type { Request } from 'express';

/** Headers as signature checks read them: lower-case names, repeated values joined. */
export function flatHeaders(request: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The query string's first value per name, decoded, exactly as the provider sent it. */
export function flatQuery(request: Request): Record<string, string | undefined> {
  const query: Record<string, string | undefined> = {};
  const url = new URL(request.originalUrl, 'http://placeholder');
  for (const [name, value] of url.searchParams) {
    if (!(name in query)) query[name] = value;
  }
  return query;
}

export function headerValue(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
