import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake ingest received it. */
export interface RecordedRequest {
  method: string;
  url: string;
  /** Lower-case names, repeated values joined, as ingest reads them. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  receivedAtMs: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** `hang` never answers (for timeouts); otherwise the reply, possibly later. */
export type Responder = (
  request: RecordedRequest,
  index: number,
) => Reply | 'hang' | Promise<Reply | 'hang'>;

/** What ingest answers for a valid batch: 202 `{accepted, eventIds}`. */
export const acceptAll: Responder = (request) => {
  const events = JSON.parse(request.body.toString('utf8')) as { eventId: string }[];
  return {
    status: 202,
    body: { accepted: events.length, eventIds: events.map((event) => event.eventId) },
  };
};

/** A real HTTP server on an ephemeral port standing in for ingest's `POST /v1/events`. */
export class FakeIngestServer {
  readonly requests: RecordedRequest[] = [];
  respond: Responder = acceptAll;
  private inFlight = 0;
  /** The most requests ever open at once. */
  maxInFlight = 0;

  private readonly server: Server = createServer((req, res) => void this.handle(req, res));

  private constructor() {}

  static async start(): Promise<FakeIngestServer> {
    const fake = new FakeIngestServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The eventIds of each request, in the order they arrived. */
  eventIdsPerRequest(): string[][] {
    return this.requests.map((request) =>
      (JSON.parse(request.body.toString('utf8')) as { eventId: string }[]).map((e) => e.eventId),
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => (this.inFlight -= 1));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request: RecordedRequest = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers,
      body: Buffer.concat(chunks),
      receivedAtMs: Date.now(),
    };
    this.requests.push(request);
    let reply: Reply | 'hang';
    try {
      reply = await this.respond(request, this.requests.length - 1);
    } catch (error) {
      // A responder that throws (a test's own bug) answers 500 rather than leaving the client hanging.
      reply = {
        status: 500,
        body: { error: { code: 'FAKE.RESPONDER_FAILED', message: String(error), details: [] } },
      };
    }
    if (reply === 'hang') return;
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
    res.end(body);
  }
}
