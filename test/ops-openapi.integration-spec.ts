import { startStack } from './support/stack';
import type { Stack } from './support/stack';

interface OpenApiDocument {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<
      string,
      {
        security?: Record<string, string[]>[];
        parameters?: {
          name: string;
          in: string;
          required?: boolean;
          schema?: { enum?: string[] };
        }[];
        responses: Record<string, unknown>;
      }
    >
  >;
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
}

/** The OpenAPI document is generated from the controllers: it lists what the code serves. */
describe('ops API: OpenAPI document at /docs', () => {
  let stack: Stack;
  let document: OpenApiDocument;

  beforeAll(async () => {
    stack = await startStack({ policies: [{ id: 'p', targets: { first_response: '1h' } }] }, [
      'ops',
    ]);
    const res = await fetch(`${stack.urls.ops}/docs-json`);
    expect(res.status).toBe(200);
    document = (await res.json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('describes every /v1 endpoint, with the API key scheme and its errors', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toBe('Replywatch ops API');
    expect(document.components.securitySchemes.apiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const expected: [string, string][] = [
      ['/v1/queue', 'get'],
      ['/v1/stats', 'get'],
      ['/v1/stream', 'get'],
      ['/v1/alerts', 'get'],
      ['/v1/alerts/{id}/timeline', 'get'],
      ['/v1/alerts/{id}/ack', 'post'],
      ['/v1/alerts/{id}/resolve', 'post'],
      ['/v1/reports/sla', 'get'],
      ['/v1/policies', 'put'],
      ['/v1/chains', 'put'],
      ['/v1/calendars', 'put'],
    ];
    for (const [path, method] of expected) {
      const operation = document.paths[path]?.[method];
      expect({ path, method, found: operation !== undefined }).toEqual({
        path,
        method,
        found: true,
      });
      expect(operation.security).toEqual([{ apiKey: [] }]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
    expect(document.paths['/ack/{token}'].get.security).toBeUndefined();
  });

  it('lists the queue filters as optional parameters with their allowed values', () => {
    const parameters = document.paths['/v1/queue'].get.parameters ?? [];
    const byName = new Map(parameters.map((parameter) => [parameter.name, parameter]));
    for (const name of [
      'channel',
      'priority',
      'team',
      'policy',
      'state',
      'sort',
      'limit',
      'cursor',
    ]) {
      expect(byName.get(name)).toMatchObject({ in: 'query', required: false });
    }
    expect(byName.get('state')?.schema?.enum).toEqual(['waiting', 'at-risk', 'breached', 'paused']);
    expect(byName.get('sort')?.schema?.enum).toEqual(['wait', 'time-left']);
    expect(Object.keys(document.paths['/v1/queue'].get.responses)).toEqual(
      expect.arrayContaining(['200', '400']),
    );
  });

  it('serves the browsable form at /docs', async () => {
    const res = await fetch(`${stack.urls.ops}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('swagger-ui');
  });
});
