import { TEST_CONNECTOR_KEY } from './stack';

/**
 * POST one event or a batch to ingest's connector API, as a connector would. A string body is sent
 * as it is (for malformed-JSON tests); `key: null` sends no Authorization header.
 */
export function postEvents(
  ingestUrl: string,
  body: unknown,
  key: string | null = TEST_CONNECTOR_KEY,
): Promise<Response> {
  return fetch(`${ingestUrl}/v1/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
