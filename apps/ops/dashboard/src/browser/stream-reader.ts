import { backoffMs } from '../format.js';
import { parseSse } from '../sse-parser.js';
import type { SseMessage } from '../sse-parser.js';
import { apiErrorOf } from './api-client.js';
import type { ApiError, OpsApi } from './api-client.js';

export interface StreamHandlers {
  /** Connected (again): the server answered 200 and the stream is being read. */
  onOpen(): void;
  onMessage(message: SseMessage): void;
  /** The stream ended or could not be opened; the next attempt is in `retryInMs`. */
  onDrop(reason: string, retryInMs: number): void;
  /** The key was refused: no more attempts. */
  onUnauthorized(error: ApiError): void;
}

/** The server sends a keepalive every 15 s: this long without a byte means a dead connection. */
const IDLE_TIMEOUT_MS = 40000;

/**
 * Reads GET /v1/stream with fetch() and a ReadableStream, since EventSource cannot send the
 * Authorization header, and reconnects after a drop with backoff (1 s doubling to 10 s).
 */
export class StreamReader {
  private stopped = false;
  private attempt = 0;
  private controller: AbortController | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly api: OpsApi,
    private readonly handlers: StreamHandlers,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
    clearTimeout(this.retryTimer);
    this.wakeUp?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const ended = await this.readOnce();
      if (this.stopped || ended === 'unauthorized') return;
      const delay = backoffMs(this.attempt);
      this.attempt += 1;
      this.handlers.onDrop(ended, delay);
      await new Promise<void>((resolve) => {
        this.wakeUp = resolve;
        this.retryTimer = setTimeout(resolve, delay);
      });
    }
  }

  /** One connection, read until it ends; resolves with why it ended. */
  private async readOnce(): Promise<string> {
    const controller = new AbortController();
    this.controller = controller;
    let idle: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), IDLE_TIMEOUT_MS);
    };
    try {
      touch();
      const response = await fetch(this.api.url('/v1/stream'), {
        headers: this.api.headers('text/event-stream'),
        cache: 'no-store',
        signal: controller.signal,
      });
      if (response.status === 401) {
        this.handlers.onUnauthorized(await apiErrorOf(response));
        return 'unauthorized';
      }
      if (!response.ok || response.body === null) {
        const error = await apiErrorOf(response);
        return `the server answered ${response.status} (${error.message})`;
      }
      this.handlers.onOpen();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let unread = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'the server closed the stream';
        touch();
        const parsed = parseSse(unread + value);
        unread = parsed.rest;
        if (parsed.messages.length > 0) this.attempt = 0;
        for (const message of parsed.messages) this.handlers.onMessage(message);
      }
    } catch {
      return controller.signal.aborted && !this.stopped
        ? 'no data for too long'
        : 'the connection was lost';
    } finally {
      clearTimeout(idle);
    }
  }
}
