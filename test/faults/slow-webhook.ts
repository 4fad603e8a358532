import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook request as it arrived (ids and times only). */
export interface WebhookHit {
  deliveryId: string;
  alertId: string | undefined;
  level: number | undefined;
  type: string | undefined;
  at: number;
  /** The status it was answered with; undefined when the answer came too late for the sender. */
  status: number | undefined;
}

/**
 * A webhook receiver that can stall: while `slow`, it answers only after `delayMs` (longer than
 * the notifier's timeout, so every try times out on the sender's side); otherwise it answers 204
 * at once, as a receiver that recovered would.
 */
export class SlowWebhook {
  readonly hits: WebhookHit[] = [];
  slow = false;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  url = '';

  constructor(private readonly delayMs: number) {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        let body: { type?: string; alert?: { id?: string; level?: number } } = {};
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
        } catch {
          // recorded with what the headers say
        }
        const header = request.headers['x-replywatch-delivery'];
        const hit: WebhookHit = {
          deliveryId: typeof header === 'string' ? header : '',
          alertId: body.alert?.id,
          level: body.alert?.level,
          type: body.type,
          at: Date.now(),
          status: undefined,
        };
        this.hits.push(hit);
        const answer = () => {
          if (response.destroyed) return; // the sender gave up and closed the connection
          response.writeHead(204).end();
        };
        if (!this.slow) {
          hit.status = 204;
          answer();
          return;
        }
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          answer();
        }, this.delayMs);
        this.timers.add(timer);
      });
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
