/** The shapes of the ops API the dashboard reads (docs/operations.md, GET /v1/queue, /v1/stats, /v1/stream). */

export const CHANNELS = ['phone', 'email', 'chat', 'social'] as const;
export type Channel = (typeof CHANNELS)[number];

export type QueueState = 'waiting' | 'at-risk' | 'breached' | 'paused';

export interface WaitingContact {
  contactId: string;
  channel: Channel;
  priority: string;
  team: string | null;
  assignee: string | null;
  policyId: string;
  state: QueueState;
  targets: string[];
  customerName: string | null;
  waitingSince: string;
  waitingSeconds: number;
  nextDeadlineAt: string | null;
  secondsLeft: number | null;
  atRisk: boolean;
  breached: boolean;
}

export interface QueuePage {
  total: number;
  generatedAt: string;
  nextCursor: string | null;
  contacts: WaitingContact[];
}

export interface ChannelStats {
  waiting: number;
  paused: number;
  atRisk: number;
  breached: number;
  oldestWaitSeconds: number | null;
  breachesToday: number;
  firstResponse: {
    attainmentPct: number | null;
    met: number;
    breached: number;
    p50Seconds: number | null;
    p90Seconds: number | null;
  };
  openedThisHour: number;
}

export interface Stats {
  generatedAt: string;
  window: { from: string; to: string };
  overall: ChannelStats;
  channels: Record<Channel, ChannelStats>;
  waitingHistory: { at: string; waiting: number }[];
}

export interface QueueCounts {
  waiting: number;
  atRisk: number;
  breached: number;
  paused: number;
}

/** `event: queue` of GET /v1/stream. */
export interface QueueStreamEvent {
  seq: number;
  totals: QueueCounts;
  channels: Record<Channel, QueueCounts>;
}

export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  id: string;
  contactId: string;
  channel: string;
  priority: string;
  target: string;
  policyId: string;
  trigger: string;
  team: string | null;
  assignee: string | null;
  state: AlertState;
  createdAt: string;
  dueAt: string;
  ackedAt: string | null;
  ackedBy: string | null;
  resolvedAt: string | null;
}

export interface AlertList {
  items: Alert[];
  nextCursor: string | null;
}

export interface AckResult {
  outcome: 'acknowledged';
  alertId: string;
  acknowledgedBy: string;
  expiresAt: string | null;
}

/** The error body every service answers with: a machine-readable `code` and a sentence. */
export interface ErrorBody {
  error?: { code?: string; message?: string };
}
