import { Agent, request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';

export interface RawRequest {
  method: string;
  /** Path and query, already percent-encoded where needed (sent as given). */
  path: string;
  /** In order; a name given twice is sent as two header lines. */
  headers: readonly (readonly [string, string])[];
  body?: Buffer;
  /** Send the body in pieces without Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * An HTTP/1.1 client that sends exactly what a test says: repeated headers, raw bytes that are
 * not UTF-8, chunked uploads. fetch() normalises or refuses those, so it cannot send bad input.
 */
export class RawHttpClient {
  // Idle sockets are closed after 1 s, well before the server's 5 s keep-alive timeout: a socket
  // the server is closing at the moment it is reused would fail a request with "socket hang up".
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 1000 });
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
  }

  send(raw: RawRequest, timeoutMs = 30000): Promise<RawResponse> {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of raw.headers) {
      const existing = headers[name];
      headers[name] =
        existing === undefined
          ? value
          : Array.isArray(existing)
            ? [...existing, value]
            : [existing, value];
    }
    return new Promise<RawResponse>((resolve, reject) => {
      const req = request(
        {
          host: this.host,
          port: this.port,
          method: raw.method,
          path: raw.path,
          headers,
          agent: this.agent,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      const body = raw.body ?? Buffer.alloc(0);
      // Framing is set explicitly: Node would send a DELETE's body unframed (no Content-Length),
      // and the server would read it as the start of the next request on the connection.
      if (raw.chunked === true && body.length > 0) {
        req.setHeader('transfer-encoding', 'chunked');
        const middle = Math.ceil(body.length / 2);
        req.write(body.subarray(0, middle));
        req.end(body.subarray(middle));
      } else {
        if (body.length > 0 || raw.method !== 'GET') req.setHeader('content-length', body.length);
        req.end(body.length > 0 ? body : undefined);
      }
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
