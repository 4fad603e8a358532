import { coalesce } from '../coalesce.js';
import type { Alert, QueueStreamEvent, Stats } from '../contracts.js';
import type { SseMessage } from '../sse-parser.js';
import { mergeWaiting } from '../waiting-chart.js';
import type { WaitingPoint } from '../waiting-chart.js';
import { ApiError, OpsApi } from './api-client.js';
import { byId } from './dom.js';
import { DashboardView } from './render.js';
import { StreamReader } from './stream-reader.js';

const KEY_STORAGE = 'replywatch.opsApiKey';
const QUEUE_ROWS = 15;
const ALERT_ROWS = 20;
/** Queue changes come in bursts (a batch of events): one refetch for each burst… */
const REFRESH_DELAY_MS = 300;
/** …and at most one every 2 s (queue and stats) or 1 s (alerts) while the queue keeps changing. */
const QUEUE_REFRESH_GAP_MS = 2000;
const ALERTS_REFRESH_GAP_MS = 1000;
/** Attainment and the history move without queue events: refetch them now and then anyway. */
const FULL_REFRESH_MS = 60000;
const CHART_REDRAW_MS = 30000;

function isQueueEvent(value: unknown): value is QueueStreamEvent {
  const event = value as Partial<QueueStreamEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.totals?.waiting === 'number' &&
    typeof event.channels === 'object'
  );
}

function explain(error: unknown): string {
  return error instanceof ApiError
    ? `${error.message} (${error.code})`
    : error instanceof Error
      ? error.message
      : String(error);
}

/** One signed-in board: its data, its stream and its timers, all gone on sign-out. */
class Session {
  private readonly stream: StreamReader;
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private stats: Stats | undefined;
  private statsAt = 0;
  private streamCounts: { event: QueueStreamEvent; at: number } | undefined;
  private livePoints: WaitingPoint[] = [];
  private alerts: Alert[] = [];
  private readonly alertProblems = new Map<string, string>();
  private readonly acking = new Set<string>();
  private readonly latest = { queue: 0, stats: 0, alerts: 0 };
  private stopped = false;
  private readonly refreshQueue = coalesce(
    () => {
      void this.loadQueue();
      void this.loadStats();
    },
    REFRESH_DELAY_MS,
    QUEUE_REFRESH_GAP_MS,
  );
  private readonly refreshAlerts = coalesce(
    () => void this.loadAlerts(),
    REFRESH_DELAY_MS,
    ALERTS_REFRESH_GAP_MS,
  );

  constructor(
    private readonly api: OpsApi,
    private readonly view: DashboardView,
    private readonly onUnauthorized: (reason: string) => void,
  ) {
    this.stream = new StreamReader(api, {
      onOpen: () => {
        banner(undefined);
        // Alert events sent while we were away are lost: read the alerts again.
        this.refreshAlerts();
      },
      onMessage: (message) => this.onMessage(message),
      onDrop: (reason) =>
        banner(
          `Live updates interrupted: ${reason}. Reconnecting automatically; the figures below may be out of date.`,
        ),
      onUnauthorized: (error) => this.onUnauthorized(error.message),
    });
  }

  start(): void {
    this.view.renderChart([], Date.now());
    void this.loadQueue();
    void this.loadStats();
    void this.loadAlerts();
    this.stream.start();
    this.timers.push(
      setInterval(() => this.view.tick(Date.now()), 1000),
      setInterval(() => this.drawChart(), CHART_REDRAW_MS),
      setInterval(() => {
        void this.loadQueue();
        void this.loadStats();
        void this.loadAlerts();
      }, FULL_REFRESH_MS),
    );
  }

  stop(): void {
    this.stopped = true;
    this.stream.stop();
    for (const timer of this.timers) clearInterval(timer);
    banner(undefined);
    this.view.clear();
  }

  private onMessage(message: SseMessage): void {
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      return;
    }
    if (message.event === 'queue' && isQueueEvent(data)) {
      const now = Date.now();
      this.streamCounts = { event: data, at: now };
      this.livePoints = [...this.livePoints, { at: now, waiting: data.totals.waiting }].slice(-500);
      this.drawTiles();
      this.drawChart();
      this.refreshQueue();
    } else if (message.event === 'alert') {
      this.refreshAlerts();
    }
  }

  /** Runs a load; applies its result only if no later load of the same panel started meanwhile. */
  private async load<T>(
    panel: 'queue' | 'stats' | 'alerts',
    fetcher: () => Promise<T>,
    apply: (value: T) => void,
  ): Promise<void> {
    if (this.stopped) return;
    const ticket = ++this.latest[panel];
    try {
      const value = await fetcher();
      if (this.stopped || ticket !== this.latest[panel]) return;
      apply(value);
      this.view.error(panel, undefined);
      byId('updated', HTMLParagraphElement).textContent =
        `Updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      if (this.stopped || ticket !== this.latest[panel]) return;
      if (error instanceof ApiError && error.status === 401) {
        this.onUnauthorized(error.message);
        return;
      }
      const what = { queue: 'the queue', stats: 'the channel figures', alerts: 'the alerts' };
      this.view.error(panel, `Could not load ${what[panel]}: ${explain(error)}`);
    }
  }

  private loadQueue(): Promise<void> {
    return this.load(
      'queue',
      () => this.api.queue(QUEUE_ROWS),
      (page) => this.view.renderQueue(page.contacts, page.total, Date.now()),
    );
  }

  private loadStats(): Promise<void> {
    return this.load(
      'stats',
      () => this.api.stats(),
      (stats) => {
        this.stats = stats;
        this.statsAt = Date.now();
        this.drawTiles();
        this.drawChart();
      },
    );
  }

  private loadAlerts(): Promise<void> {
    return this.load(
      'alerts',
      async () => {
        const [open, acknowledged] = await Promise.all([
          this.api.alerts('open', ALERT_ROWS),
          this.api.alerts('acknowledged', ALERT_ROWS),
        ]);
        return [...open.items, ...acknowledged.items];
      },
      (alerts) => {
        // Open ones first, newest first within each state.
        this.alerts = alerts.sort(
          (a, b) =>
            Number(a.state !== 'open') - Number(b.state !== 'open') ||
            Date.parse(b.createdAt) - Date.parse(a.createdAt),
        );
        this.drawAlerts();
      },
    );
  }

  private async acknowledge(alert: Alert): Promise<void> {
    this.acking.add(alert.id);
    this.alertProblems.delete(alert.id);
    this.drawAlerts();
    try {
      const result = await this.api.acknowledge(alert.id);
      // A list read before the acknowledgement must not put the button back when it lands.
      this.latest.alerts += 1;
      this.alerts = this.alerts.map((each) =>
        each.id === alert.id
          ? {
              ...each,
              state: 'acknowledged',
              ackedBy: result.acknowledgedBy,
              ackedAt: new Date().toISOString(),
            }
          : each,
      );
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        this.onUnauthorized(error.message);
        return;
      }
      // 403 (this key's role may not acknowledge), 409 (someone was quicker): say why.
      this.alertProblems.set(alert.id, `Not acknowledged: ${explain(error)}`);
    } finally {
      this.acking.delete(alert.id);
    }
    if (this.stopped) return;
    this.drawAlerts();
    this.refreshAlerts();
  }

  private drawTiles(): void {
    const streamIsNewer = this.streamCounts !== undefined && this.streamCounts.at >= this.statsAt;
    this.view.renderTiles(
      {
        counts: streamIsNewer ? this.streamCounts?.event.channels : undefined,
        stats: this.stats,
        statsReceivedAt: this.statsAt,
      },
      Date.now(),
    );
  }

  private drawChart(): void {
    const now = Date.now();
    const history = (this.stats?.waitingHistory ?? []).map((sample) => ({
      at: Date.parse(sample.at),
      waiting: sample.waiting,
    }));
    this.livePoints = mergeWaiting([], this.livePoints, now);
    this.view.renderChart(mergeWaiting(history, this.livePoints, now), now);
  }

  private drawAlerts(): void {
    this.view.renderAlerts(
      this.alerts,
      (alert) => void this.acknowledge(alert),
      this.alertProblems,
      this.acking,
    );
  }
}

/** Shows the stream banner with this text, or hides it. */
function banner(text: string | undefined): void {
  const element = byId('stream-banner', HTMLDivElement);
  if (text === undefined) {
    element.hidden = true;
    element.textContent = '';
  } else if (element.hidden) {
    // Set once per outage: a live region that changed at every retry would keep interrupting.
    element.textContent = text;
    element.hidden = false;
  }
}

function setWallMode(on: boolean): void {
  document.documentElement.classList.toggle('wall', on);
  byId('wall-toggle', HTMLButtonElement).setAttribute('aria-pressed', String(on));
  const url = new URL(window.location.href);
  if (on) url.searchParams.set('wall', '1');
  else url.searchParams.delete('wall');
  window.history.replaceState(null, '', url);
}

function main(): void {
  const view = new DashboardView();
  const form = byId('signin-form', HTMLFormElement);
  const input = byId('api-key', HTMLInputElement);
  const formError = byId('signin-error', HTMLParagraphElement);
  const signOutButton = byId('sign-out', HTMLButtonElement);
  let session: Session | undefined;

  const showSignIn = (reason: string) => {
    session?.stop();
    session = undefined;
    sessionStorage.removeItem(KEY_STORAGE);
    byId('board', HTMLDivElement).hidden = true;
    byId('signin', HTMLElement).hidden = false;
    signOutButton.hidden = true;
    byId('updated', HTMLParagraphElement).textContent = '';
    formError.textContent = reason;
    input.value = '';
    input.focus();
  };

  const showBoard = (key: string) => {
    sessionStorage.setItem(KEY_STORAGE, key);
    byId('signin', HTMLElement).hidden = true;
    byId('board', HTMLDivElement).hidden = false;
    signOutButton.hidden = false;
    formError.textContent = '';
    session = new Session(new OpsApi(key), view, (reason) =>
      showSignIn(`Signed out: the API key was refused (${reason}).`),
    );
    session.start();
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key === '') {
      formError.textContent = 'Enter an API key.';
      return;
    }
    formError.textContent = 'Checking the key…';
    // A cheap authenticated read tells a wrong key from a right one before the board opens.
    new OpsApi(key).queue(1).then(
      () => showBoard(key),
      (error: unknown) => {
        formError.textContent =
          error instanceof ApiError && error.status === 401
            ? `That key was refused: ${error.message}.`
            : error instanceof ApiError && error.status === 403
              ? `That key may not read the queue: ${error.message}.`
              : `Could not sign in: ${explain(error)}.`;
      },
    );
  });

  signOutButton.addEventListener('click', () => showSignIn(''));

  const wallToggle = byId('wall-toggle', HTMLButtonElement);
  wallToggle.addEventListener('click', () =>
    setWallMode(wallToggle.getAttribute('aria-pressed') !== 'true'),
  );
  setWallMode(new URLSearchParams(window.location.search).get('wall') === '1');

  const stored = sessionStorage.getItem(KEY_STORAGE);
  if (stored === null) showSignIn('');
  else showBoard(stored);
}

main();
