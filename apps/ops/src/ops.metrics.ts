import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** What ops watch on the ops API itself (rate-limit counters live with the limiter). */
export class OpsMetrics {
  constructor(readonly registry: Registry) {}

  /** Read when scraped: the stream clients connected to this instance. */
  watchStreamClients(clients: { readonly clientCount: number }): void {
    new Gauge({
      name: 'replywatch_ops_stream_clients',
      help: 'Clients connected to the live stream (GET /v1/stream) of this ops instance',
      registers: [this.registry],
      collect() {
        this.set(clients.clientCount);
      },
    });
  }
}
