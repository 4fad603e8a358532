import { DeliveryError } from './delivery-error';

/** Timeouts, connection errors, 408, 429 and 5xx are worth retrying; other answers are final. */
const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

/** POSTs JSON to webhook and chat endpoints with a timeout; resolves with a short result line. */
export class HttpNotifier {
  constructor(private readonly timeoutMs: number) {}

  async post(url: string, body: string, headers: Record<string, string>): Promise<string> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Replywatch', ...headers },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const cause = (error as Error & { cause?: Error }).cause;
      const reason =
        (error as Error).name === 'TimeoutError'
          ? `no answer within ${this.timeoutMs} ms`
          : (cause?.message ?? (error as Error).message);
      throw new DeliveryError(reason, false);
    }
    // Only the first bytes: an answer is recorded for the audit trail, never stored whole.
    const text = (await response.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ');
    const line = `HTTP ${response.status}${text ? ` ${text}` : ''}`;
    if (response.ok) return line;
    throw new DeliveryError(line, !retryable(response.status));
  }
}
