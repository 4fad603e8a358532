import type { QueueCounts } from '../apps/ops/src/queue.repository';
import type { QueueStats } from '../apps/ops/src/stats.service';
import { postEvents } from './support/ingest-client';
import { startStack, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

interface StreamEvent {
  event: string;
  data: unknown;
  receivedAt: number;
}

/** Reads an SSE response as the dashboard does (fetch, not EventSource: the key is a header). */
class StreamReader {
  readonly events: StreamEvent[] = [];
  private readonly controller = new AbortController();
  ended = false;

  async open(url: string, key: string): Promise<Response> {
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${key}` },
      signal: this.controller.signal,
    });
    if (response.ok && response.body) void this.read(response.body);
    return response;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split('\n');
          const event = lines.find((line) => line.startsWith('event: '))?.slice(7);
          const data = lines.find((line) => line.startsWith('data: '))?.slice(6);
          if (event && data) {
            this.events.push({ event, data: JSON.parse(data), receivedAt: Date.now() });
          }
        }
      }
    } catch {
      // aborted by close()
    }
    this.ended = true;
  }

  of<T>(event: string): (StreamEvent & { data: T })[] {
    return this.events.filter((e) => e.event === event) as (StreamEvent & { data: T })[];
  }

  close(): void {
    this.controller.abort();
  }
}

/** `GET /v1/stats` and `GET /v1/stream` on the whole real system. */
describe('ops API: live queue statistics and the change stream', () => {
  let stack: Stack;
  const run = uniqueId('live');
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const opened = (contactId: string, channel: string, occurredAt = new Date().toISOString()) => ({
    eventId: `${contactId}-open`,
    type: 'contact.opened',
    contactId,
    channel,
    occurredAt,
  });
  const get = async <T>(path: string, key: string | null = TEST_OPS_KEY) => {
    const res = await fetch(`${stack.urls.ops}${path}`, {
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    });
    return { status: res.status, body: (await res.json()) as T };
  };

  beforeAll(async () => {
    stack = await startStack(
      {
        policies: [
          {
            id: 'minute',
            targets: { first_response: { within: '1m', warnAt: ['50%'] }, resolution: '8h' },
          },
        ],
      },
      ['ingest', 'sla', 'escalation', 'ops'],
      { OPS_HISTORY_SAMPLE_MS: '1000', OPS_STREAM_POLL_MS: '100' },
    );
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('counts waiting, at-risk, breached, breaches today, attainment and arrivals per channel', async () => {
    const c = (name: string) => `${run}-${name}`;
    const chatOpenedAt = [ago(0), ago(10_000), ago(40_000)];
    const emailOpenedAt = [ago(61_000), ago(30_000)];
    const replied = {
      eventId: `${c('met')}-reply`,
      type: 'agent.replied',
      contactId: c('met'),
      channel: 'email',
      occurredAt: ago(20_000),
    };
    const res = await postEvents(stack.urls.ingest!, [
      opened(c('waiting-1'), 'chat', chatOpenedAt[0]),
      opened(c('waiting-2'), 'chat', chatOpenedAt[1]),
      opened(c('at-risk'), 'chat', chatOpenedAt[2]),
      // Due a second ago: breached on arrival, and the breach is dated today.
      opened(c('breached'), 'email', emailOpenedAt[0]),
      opened(c('met'), 'email', emailOpenedAt[1]),
      replied,
    ]);
    expect(res.status).toBe(202);

    const stats = await waitFor('the stats to count every contact and outcome', async () => {
      const { body } = await get<QueueStats>('/v1/stats');
      const { chat, email } = body.channels;
      return chat.waiting === 3 && email.breachesToday === 1 && email.firstResponse.met === 1
        ? body
        : undefined;
    });
    expect(stats.channels.chat).toMatchObject({ waiting: 3, atRisk: 1, breached: 0, paused: 0 });
    expect(stats.channels.chat.oldestWaitSeconds).toBeGreaterThanOrEqual(40);
    // Arrivals are counted in the UTC hour they opened: near an hour's start some of them fall
    // in the previous one, so the expectation follows the clock the stats were read at.
    const hourOf = (iso: string) => Math.floor(Date.parse(iso) / 3_600_000);
    const thisHour = hourOf(stats.window.to);
    const openedThisHour = (times: string[]) => times.filter((t) => hourOf(t) === thisHour).length;
    const chatHours = stats.channels.chat.openedByHour;
    expect(chatHours.at(-1)?.count).toBe(stats.channels.chat.openedThisHour);
    expect(chatHours.slice(-2).reduce((sum, hour) => sum + hour.count, 0)).toBe(3);
    expect(stats.channels.chat.openedThisHour).toBe(openedThisHour(chatOpenedAt));
    expect(stats.channels.chat.openedByHour).toHaveLength(24);
    expect(stats.channels.email).toMatchObject({ waiting: 1, breached: 1, breachesToday: 1 });
    expect(stats.channels.email.firstResponse).toEqual({
      attainmentPct: 50,
      met: 1,
      breached: 1,
      p50Seconds: 10,
      p90Seconds: 10,
    });
    expect(stats.channels.phone).toMatchObject({ waiting: 0, oldestWaitSeconds: null });
    expect(stats.overall).toMatchObject({ waiting: 4, atRisk: 1, breached: 1, breachesToday: 1 });
    expect(stats.overall.openedThisHour).toBe(openedThisHour([...chatOpenedAt, ...emailOpenedAt]));
    expect(stats.overall.firstResponse.attainmentPct).toBe(50);
    expect(stats.overall.oldestWaitSeconds).toBeGreaterThanOrEqual(61);
    expect(Date.parse(stats.window.from)).toBe(
      Math.floor(Date.parse(stats.window.to) / 86_400_000) * 86_400_000,
    );

    const history = await waitFor('a waiting sample of 4', async () => {
      const { body } = await get<QueueStats>('/v1/stats?window=1h');
      return body.waitingHistory.some((sample) => sample.waiting === 4)
        ? body.waitingHistory
        : undefined;
    });
    const times = history.map((sample) => Date.parse(sample.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('rejects a bad window and a missing key', async () => {
    const bad = await get<{ error: { code: string; details: { path: string }[] } }>(
      '/v1/stats?window=forever',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('OPS.INVALID_QUERY');
    expect(bad.body.error.details[0].path).toBe('window');
    expect((await get('/v1/stats', null)).status).toBe(401);
    expect((await get('/v1/stream', 'not-a-key-at-all')).status).toBe(401);
  });

  it('streams the queue on connect, each change, and new alerts', async () => {
    const stream = new StreamReader();
    const response = await stream.open(`${stack.urls.ops}/v1/stream`, TEST_OPS_KEY);
    try {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const [first] = await waitFor('the first queue event', () =>
        stream.of<{ seq: number; totals: QueueCounts }>('queue').length > 0
          ? stream.of<{ seq: number; totals: QueueCounts }>('queue')
          : undefined,
      );
      const before = first.data.totals.waiting;
      const metrics = await (await fetch(`${stack.urls.ops}/metrics`)).text();
      expect(metrics).toMatch(/^replywatch_ops_stream_clients({[^}]*})? 1$/m);

      const contactId = `${run}-streamed`;
      const posted = Date.now();
      // Due 2 s from now: the breach raises an alert while the stream is open.
      expect(
        (await postEvents(stack.urls.ingest!, opened(contactId, 'phone', ago(58_000)))).status,
      ).toBe(202);
      const change = await waitFor('a queue event counting the new contact', () =>
        stream
          .of<{ seq: number; totals: QueueCounts; channels: Record<string, QueueCounts> }>('queue')
          .find((event) => event.data.totals.waiting === before + 1),
      );
      expect(change.data.channels.phone.waiting).toBeGreaterThanOrEqual(1);
      expect(change.data.seq).toBeGreaterThan(first.data.seq);
      console.warn(`stream: queue change seen ${change.receivedAt - posted} ms after the POST`);

      const alert = await waitFor(
        'an alert event for the contact',
        () =>
          stream
            .of<{ alertId: string; kind: string; contactId: string; channel: string }>('alert')
            .find((event) => event.data.contactId === contactId),
        { timeoutMs: 20_000 },
      );
      expect(alert.data).toMatchObject({ channel: 'phone', contactId });
      expect(alert.data.alertId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      stream.close();
    }
    await waitFor('the client counted off', async () => {
      const metrics = await (await fetch(`${stack.urls.ops}/metrics`)).text();
      return /^replywatch_ops_stream_clients({[^}]*})? 0$/m.test(metrics);
    });
  });
});
