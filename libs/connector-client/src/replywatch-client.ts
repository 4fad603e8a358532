import { prepareEvent } from './connector-event.preparer';
import type { ConnectorEvent } from './connector-event.preparer';
import { EventBatchSender } from './event-batch.sender';
import {
  ReplywatchClosedError,
  ReplywatchError,
  ReplywatchInvalidEventError,
} from './replywatch-client.errors';
import { resolveClientConfig } from './replywatch-client.options';
import type { ClientConfig, ReplywatchClientOptions } from './replywatch-client.options';

interface QueuedEvent {
  seq: number;
  eventId: string;
  json: string;
  resolve: () => void;
  reject: (error: Error) => void;
  /** Settles with the event, never rejects: what `flush()` waits for. */
  settled: Promise<void>;
}

/**
 * Sends contact events to Replywatch's generic connector API (`POST /v1/events`) in batches, with
 * retries. One request is in flight at a time, so events reach ingest (and a contact's Kafka
 * partition) in the order they were sent, and a batch formed while another is retried fills up.
 */
export class ReplywatchClient {
  private readonly config: ClientConfig;
  private readonly sender: EventBatchSender;
  private readonly pending: QueuedEvent[] = [];
  private readonly unsettled = new Set<Promise<void>>();
  private seq = 0;
  /** Events up to this sequence number go out without waiting for a full batch. */
  private dueThrough = 0;
  private sending = false;
  private closed = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ReplywatchClientOptions) {
    this.config = resolveClientConfig(options);
    this.sender = new EventBatchSender(this.config);
  }

  /**
   * Queue one event. Resolves once ingest accepted the request holding it (stored on Kafka).
   * Rejects with ReplywatchInvalidEventError at once if it breaks the contract,
   * ReplywatchRejectedError if the API refused it, ReplywatchUnavailableError after the retries.
   */
  send(event: ConnectorEvent): Promise<void> {
    if (this.closed) return Promise.reject(new ReplywatchClosedError());
    const prepared = prepareEvent(event, this.config.source);
    if (!prepared.ok) return Promise.reject(new ReplywatchInvalidEventError(prepared.issues));
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const result = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const settled = result.then(
      () => undefined,
      () => undefined,
    );
    this.unsettled.add(settled);
    void settled.then(() => this.unsettled.delete(settled));
    this.seq += 1;
    this.pending.push({ seq: this.seq, ...prepared.event, resolve, reject, settled });
    this.schedule();
    return result;
  }

  /**
   * Send everything queued now without waiting for a full batch; resolves when each of those
   * events is settled. Failures reach each event's own `send()` promise, not this one.
   */
  async flush(): Promise<void> {
    this.dueThrough = this.seq;
    this.schedule();
    await Promise.all([...this.unsettled]);
  }

  /** Refuse new events, deliver the queued ones, stop the timer. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.clearTimer();
  }

  private schedule(): void {
    if (this.sending || this.pending.length === 0) return;
    if (this.pending.length >= this.config.batchSize || this.pending[0].seq <= this.dueThrough) {
      this.clearTimer();
      void this.sendNext();
      return;
    }
    // Armed only while events wait, so an idle client holds no timer and never keeps Node alive.
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.dueThrough = this.seq;
      this.schedule();
    }, this.config.flushIntervalMs);
  }

  private async sendNext(): Promise<void> {
    this.sending = true;
    const batch = this.pending.splice(0, this.config.batchSize);
    try {
      await this.sender.send(
        batch.map((event) => event.json),
        batch.map((event) => event.eventId),
      );
      batch.forEach((event) => event.resolve());
    } catch (error) {
      const failure =
        error instanceof Error
          ? error
          : new ReplywatchError('CLIENT.UNEXPECTED', `unexpected failure: ${String(error)}`);
      batch.forEach((event) => event.reject(failure));
    } finally {
      this.sending = false;
      this.schedule();
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
