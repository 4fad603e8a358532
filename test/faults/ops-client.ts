import { TEST_OPS_KEY } from '../support/stack';

/** How the ops API looked to its client across the case (a dashboard plus a lead acknowledging). */
export interface OpsClientFigures {
  polls: number;
  failedPolls: number;
  lastFailedPollAt: number;
  firstPollOkAfter: (at: number) => number | undefined;
  streamConnects: number;
  queueEvents: number[];
  /** Alerts acknowledged through POST /v1/alerts/:id/ack, answered 200 (or 409 already). */
  acknowledged: Map<string, { at: number; status: number; attempts: number }>;
  /** Every alert an acknowledgement was sent for, answered or not. */
  attempted: Set<string>;
  ackRetries: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A client of the ops API while a case runs: a dashboard polling `/v1/queue` and `/v1/stats` and
 * following `/v1/stream` (reconnecting as the dashboard does), and a lead acknowledging every
 * `ackEvery`-th alert of the case as soon as it shows up in `/v1/alerts`, retrying a call the
 * crash cut off (200, or 409 "already acknowledged" when the first try had gone through).
 */
export class OpsClient {
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private stream: AbortController | undefined;
  private readonly pollTimes: { at: number; ok: boolean }[] = [];
  private streamConnects = 0;
  private readonly queueEvents: number[] = [];
  private readonly acknowledged = new Map<
    string,
    { at: number; status: number; attempts: number }
  >();
  private readonly tries = new Map<string, number>();
  private ackRetries = 0;

  constructor(
    private readonly url: () => string,
    private readonly prefix: string,
    private readonly ackEvery: number,
  ) {}

  start(): void {
    this.running = true;
    this.loops.push(this.poll(), this.follow(), this.acknowledge());
  }

  async stop(): Promise<OpsClientFigures> {
    this.running = false;
    this.stream?.abort();
    await Promise.all(this.loops);
    const failed = this.pollTimes.filter((p) => !p.ok);
    return {
      polls: this.pollTimes.length,
      failedPolls: failed.length,
      lastFailedPollAt: failed.at(-1)?.at ?? 0,
      firstPollOkAfter: (at) => this.pollTimes.find((p) => p.ok && p.at > at)?.at,
      streamConnects: this.streamConnects,
      queueEvents: this.queueEvents,
      acknowledged: this.acknowledged,
      attempted: new Set(this.tries.keys()),
      ackRetries: this.ackRetries,
    };
  }

  private request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${this.url()}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${TEST_OPS_KEY}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
      signal: init.signal ?? AbortSignal.timeout(5000),
    });
  }

  private async poll(): Promise<void> {
    while (this.running) {
      let ok = false;
      try {
        const [queue, stats] = await Promise.all([
          this.request('/v1/queue?limit=20&sort=time-left'),
          this.request('/v1/stats?window=1h'),
        ]);
        ok = queue.status === 200 && stats.status === 200;
        await Promise.all([queue.arrayBuffer(), stats.arrayBuffer()]);
      } catch {
        ok = false;
      }
      this.pollTimes.push({ at: Date.now(), ok });
      await pause(1000);
    }
  }

  private async follow(): Promise<void> {
    while (this.running) {
      this.stream = new AbortController();
      try {
        const response = await this.request('/v1/stream', { signal: this.stream.signal });
        if (response.status === 200 && response.body) {
          this.streamConnects += 1;
          const decoder = new TextDecoder();
          for await (const chunk of response.body) {
            const text = decoder.decode(chunk as Uint8Array, { stream: true });
            for (const _ of text.matchAll(/^event: queue$/gm)) this.queueEvents.push(Date.now());
          }
        }
      } catch {
        // dropped (ops died) or stopped: reconnect after a second, as the dashboard does
      }
      if (this.running) await pause(1000);
    }
  }

  private async acknowledge(): Promise<void> {
    while (this.running) {
      try {
        const response = await this.request('/v1/alerts?state=open&limit=200');
        if (response.status === 200) {
          const { items } = (await response.json()) as {
            items: { id: string; contactId: string }[];
          };
          for (const alert of items) {
            if (!this.running) break;
            if (this.acknowledged.has(alert.id) || !alert.contactId.startsWith(this.prefix))
              continue;
            const index = Number(alert.contactId.slice(alert.contactId.lastIndexOf('-') + 1));
            if (index % this.ackEvery !== 0) continue;
            await this.ackOne(alert.id);
          }
        } else {
          await response.arrayBuffer();
        }
      } catch {
        // ops is down: the next round retries
      }
      await pause(300);
    }
  }

  private async ackOne(alertId: string): Promise<void> {
    const attempts = (this.tries.get(alertId) ?? 0) + 1;
    this.tries.set(alertId, attempts);
    if (attempts > 1) this.ackRetries += 1;
    try {
      const response = await this.request(`/v1/alerts/${alertId}/ack`, {
        method: 'POST',
        body: JSON.stringify({ by: 'fault-suite lead' }),
      });
      await response.arrayBuffer();
      if (response.status === 200 || response.status === 409) {
        this.acknowledged.set(alertId, { at: Date.now(), status: response.status, attempts });
      }
    } catch {
      // cut off by the crash: retried on the next round (the alert is still listed as open, or
      // the retry answers 409 because the first try went through)
    }
  }
}
