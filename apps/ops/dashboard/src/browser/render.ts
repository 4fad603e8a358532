import { CHANNELS } from '../contracts.js';
import type { Alert, Channel, QueueCounts, Stats, WaitingContact } from '../contracts.js';
import {
  contactStatus,
  formatAttainment,
  formatCountdown,
  formatDuration,
  STATUS_LABELS,
} from '../format.js';
import { waitingChart } from '../waiting-chart.js';
import type { WaitingPoint } from '../waiting-chart.js';
import { byId, h, svg } from './dom.js';

const CHANNEL_NAMES: Record<Channel, string> = {
  phone: 'Phone',
  email: 'E-mail',
  chat: 'Chat',
  social: 'Social',
};

const channelName = (channel: string) =>
  (CHANNEL_NAMES as Record<string, string | undefined>)[channel] ?? channel;

const clock = (at: number | string) =>
  new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

function statusBadge(contact: WaitingContact): HTMLElement {
  const status = contactStatus(contact.state);
  const label = STATUS_LABELS[status];
  return h(
    'span',
    { class: `status status-${status}` },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, label.icon),
    ` ${label.text}`,
  );
}

interface TileCells {
  tile: HTMLElement;
  waiting: HTMLElement;
  oldest: HTMLElement;
  atRisk: HTMLElement;
  breached: HTMLElement;
  attainment: HTMLElement;
}

interface RowTimer {
  waiting: HTMLElement;
  countdown: HTMLElement;
  waitingSeconds: number;
  secondsLeft: number | null;
  receivedAt: number;
}

/** The counts a tile shows: the stream's or the stats', whichever is newer. */
export interface TileData {
  counts: Record<Channel, QueueCounts> | undefined;
  stats: Stats | undefined;
  statsReceivedAt: number;
}

/**
 * Draws the board. Everything that changes every second (waits, countdowns) is plain text
 * outside any live region, so screen readers are not interrupted; only the stream banner and the
 * alerts panel are live.
 */
export class DashboardView {
  private readonly tiles = new Map<Channel, TileCells>();
  private rows: RowTimer[] = [];
  private oldest = new Map<Channel, { seconds: number | null; receivedAt: number }>();
  private readonly alertItems = new Map<string, HTMLLIElement>();

  constructor() {
    const container = byId('tiles', HTMLDivElement);
    for (const channel of CHANNELS) {
      const metric = (name: string, label: string, extra = '') => {
        const value = h('dd', { 'data-metric': name }, '—');
        return [h('div', { class: `metric ${extra}`.trim() }, h('dt', {}, label), value), value];
      };
      const [waitingRow, waiting] = metric('waiting', 'Waiting', 'metric-main');
      const [oldestRow, oldest] = metric('oldest-wait', 'Oldest wait');
      const [atRiskRow, atRisk] = metric('at-risk', 'At risk', 'metric-at-risk');
      const [breachedRow, breached] = metric('breached', 'Breached', 'metric-breached');
      const [attainmentRow, attainment] = metric('attainment', 'Attainment today');
      const tile = h(
        'article',
        { class: 'tile', 'data-channel': channel, 'aria-labelledby': `tile-${channel}` },
        h('h3', { id: `tile-${channel}` }, CHANNEL_NAMES[channel]),
        h('dl', {}, waitingRow, oldestRow, atRiskRow, breachedRow, attainmentRow),
      );
      container.append(tile);
      this.tiles.set(channel, { tile, waiting, oldest, atRisk, breached, attainment });
    }
  }

  renderTiles(data: TileData, now: number): void {
    for (const channel of CHANNELS) {
      const cells = this.tiles.get(channel);
      if (cells === undefined) continue;
      const stats = data.stats?.channels[channel];
      const counts: QueueCounts | undefined = data.counts?.[channel] ?? stats;
      cells.waiting.textContent = counts === undefined ? '—' : String(counts.waiting);
      cells.atRisk.textContent = counts === undefined ? '—' : String(counts.atRisk);
      cells.breached.textContent = counts === undefined ? '—' : String(counts.breached);
      cells.tile.classList.toggle('has-at-risk', (counts?.atRisk ?? 0) > 0);
      cells.tile.classList.toggle('has-breached', (counts?.breached ?? 0) > 0);
      cells.attainment.textContent = formatAttainment(stats?.firstResponse.attainmentPct ?? null);
      this.oldest.set(channel, {
        seconds: counts?.waiting === 0 ? null : (stats?.oldestWaitSeconds ?? null),
        receivedAt: data.statsReceivedAt,
      });
    }
    this.tick(now);
  }

  renderQueue(contacts: readonly WaitingContact[], total: number, receivedAt: number): void {
    const body = byId('queue-rows', HTMLTableSectionElement);
    this.rows = [];
    body.replaceChildren(
      ...contacts.map((contact) => {
        const waiting = h('td', { class: 'num' });
        const countdown = h('td', { class: 'num' });
        this.rows.push({
          waiting,
          countdown,
          waitingSeconds: contact.waitingSeconds,
          secondsLeft: contact.secondsLeft,
          receivedAt,
        });
        return h(
          'tr',
          {
            class: `row-${contactStatus(contact.state)}`,
            'data-contact-id': contact.contactId,
          },
          h(
            'td',
            {},
            h('span', { class: 'customer' }, contact.customerName ?? contact.contactId),
            contact.customerName === null
              ? null
              : h('span', { class: 'contact-id' }, contact.contactId),
          ),
          h('td', {}, channelName(contact.channel)),
          waiting,
          countdown,
          h('td', {}, statusBadge(contact)),
        );
      }),
    );
    if (contacts.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, 'Nobody is waiting.')));
    }
    byId('queue-summary', HTMLParagraphElement).textContent =
      total > contacts.length
        ? `The ${contacts.length} longest waiting of ${total}.`
        : `${total} waiting.`;
    this.tick(receivedAt);
  }

  /** Once a second: the waits and countdowns move on between updates from the server. */
  tick(now: number): void {
    for (const row of this.rows) {
      const elapsed = (now - row.receivedAt) / 1000;
      row.waiting.textContent = formatDuration(row.waitingSeconds + elapsed);
      row.countdown.textContent = formatCountdown(
        row.secondsLeft === null ? null : row.secondsLeft - elapsed,
      );
    }
    for (const [channel, oldest] of this.oldest) {
      const cells = this.tiles.get(channel);
      if (cells === undefined) continue;
      cells.oldest.textContent =
        oldest.seconds === null
          ? '—'
          : formatDuration(oldest.seconds + (now - oldest.receivedAt) / 1000);
    }
  }

  /**
   * The alerts, updated in place (keyed by id) so the live region announces what changed rather
   * than the whole list again.
   */
  renderAlerts(
    alerts: readonly Alert[],
    onAcknowledge: (alert: Alert) => void,
    problems: ReadonlyMap<string, string>,
    pending: ReadonlySet<string>,
  ): void {
    const list = byId('alert-list', HTMLUListElement);
    const wanted = new Set(alerts.map((alert) => alert.id));
    for (const [id, item] of this.alertItems) {
      if (!wanted.has(id)) {
        item.remove();
        this.alertItems.delete(id);
      }
    }
    alerts.forEach((alert, index) => {
      const item = this.alertItem(alert, onAcknowledge, problems.get(alert.id), pending);
      const existing = this.alertItems.get(alert.id);
      if (existing === undefined || existing.dataset.version !== item.dataset.version) {
        const hadFocus = existing?.contains(document.activeElement) ?? false;
        if (existing === undefined) list.append(item);
        else existing.replaceWith(item);
        this.alertItems.set(alert.id, item);
        // The button someone just pressed is gone: keep their place in the page.
        if (hadFocus) item.querySelector<HTMLElement>('button, .alert-acked, .error')?.focus();
      }
      const current = this.alertItems.get(alert.id);
      if (current !== undefined && list.children[index] !== current) {
        list.insertBefore(current, list.children[index] ?? null);
      }
    });
    byId('alerts-empty', HTMLParagraphElement).hidden = alerts.length > 0;
  }

  private alertItem(
    alert: Alert,
    onAcknowledge: (alert: Alert) => void,
    problem: string | undefined,
    pending: ReadonlySet<string>,
  ): HTMLLIElement {
    const kind =
      alert.trigger === 'sla.breached'
        ? { status: 'breached' as const, text: 'Breached' }
        : alert.trigger === 'sla.warning'
          ? { status: 'at-risk' as const, text: 'At risk' }
          : { status: 'at-risk' as const, text: 'Source silent' };
    const titleId = `alert-${alert.id}-title`;
    const acknowledged = alert.state === 'acknowledged';
    const busy = pending.has(alert.id);
    const item = h(
      'li',
      {
        class: `alert alert-${alert.state} alert-${kind.status}`,
        'data-alert-id': alert.id,
        'data-state': alert.state,
      },
      h(
        'p',
        { class: 'alert-title', id: titleId },
        h(
          'span',
          { class: `status status-${kind.status}` },
          h('span', { class: 'icon', 'aria-hidden': 'true' }, STATUS_LABELS[kind.status].icon),
          ` ${kind.text}`,
        ),
        ` ${alert.target.replace(/_/g, ' ')} · ${channelName(alert.channel)} · `,
        h('span', { class: 'contact-id' }, alert.contactId),
      ),
      h(
        'p',
        { class: 'alert-meta' },
        `Raised ${clock(alert.createdAt)}, due ${clock(alert.dueAt)}`,
      ),
      acknowledged
        ? h(
            'p',
            { class: 'alert-acked', tabindex: -1 },
            h('span', { 'aria-hidden': 'true' }, '✓ '),
            `Acknowledged${alert.ackedBy === null ? '' : ` by ${alert.ackedBy}`}${
              alert.ackedAt === null ? '' : ` at ${clock(alert.ackedAt)}`
            }`,
          )
        : h(
            'button',
            // aria-disabled, not disabled: a disabled button drops the keyboard focus.
            {
              type: 'button',
              'aria-describedby': titleId,
              'aria-disabled': busy ? 'true' : undefined,
            },
            busy ? 'Acknowledging…' : 'Acknowledge',
          ),
      problem === undefined ? null : h('p', { class: 'error', tabindex: -1 }, problem),
    );
    item.dataset.version = [
      alert.state,
      alert.ackedBy ?? '',
      alert.ackedAt === null ? '' : clock(alert.ackedAt),
      problem ?? '',
      busy,
    ].join('|');
    item.querySelector('button')?.addEventListener('click', () => {
      if (!busy) onAcknowledge(alert);
    });
    return item;
  }

  renderChart(points: readonly WaitingPoint[], now: number): void {
    // A small viewBox, so the axis labels stay readable when the panel is narrow.
    const width = 360;
    const height = 120;
    const chart = waitingChart(points, now, width, height);
    const gridLines = [0, 0.5, 1].map((fraction) =>
      svg('line', {
        x1: 0,
        x2: width,
        y1: height * fraction,
        y2: height * fraction,
        class: 'grid',
      }),
    );
    byId('chart', HTMLDivElement).replaceChildren(
      svg(
        'svg',
        {
          viewBox: `-30 -10 ${width + 40} ${height + 40}`,
          role: 'img',
          'aria-labelledby': 'chart-svg-title',
          class: 'chart-svg',
          preserveAspectRatio: 'xMidYMid meet',
        },
        svg(
          'title',
          { id: 'chart-svg-title' },
          chart.latest === null
            ? 'No waiting counts in the last hour yet.'
            : `Contacts waiting over the last hour: ${chart.latest} now, at most ${chart.peak}.`,
        ),
        ...gridLines,
        svg('path', { d: chart.area, class: 'area' }),
        svg('path', { d: chart.line, class: 'line' }),
        svg('text', { x: -8, y: 5, class: 'axis', 'text-anchor': 'end' }, String(chart.top)),
        svg(
          'text',
          { x: -8, y: height / 2 + 5, class: 'axis', 'text-anchor': 'end' },
          String(chart.top / 2),
        ),
        svg('text', { x: -8, y: height + 5, class: 'axis', 'text-anchor': 'end' }, '0'),
        svg('text', { x: 0, y: height + 20, class: 'axis' }, '60 min ago'),
        svg('text', { x: width, y: height + 20, class: 'axis', 'text-anchor': 'end' }, 'now'),
      ),
    );
    byId('chart-summary', HTMLParagraphElement).textContent =
      chart.latest === null ? '' : `Now ${chart.latest} waiting; peak ${chart.peak} this hour.`;
  }

  error(panel: 'queue' | 'stats' | 'alerts', message: string | undefined): void {
    byId(`${panel}-error`, HTMLParagraphElement).textContent = message ?? '';
  }

  clear(): void {
    this.rows = [];
    this.oldest.clear();
    for (const item of this.alertItems.values()) item.remove();
    this.alertItems.clear();
    byId('queue-rows', HTMLTableSectionElement).replaceChildren();
  }
}
