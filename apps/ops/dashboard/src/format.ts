import type { QueueState } from './contracts.js';

const pad = (value: number) => String(value).padStart(2, '0');

/** A wait for people: `45s`, `4m 05s`, `1h 07m`, `2d 3h` (never negative, rounded down). */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m ${pad(total % 60)}s`;
  if (total < 86400) return `${Math.floor(total / 3600)}h ${pad(Math.floor((total % 3600) / 60))}m`;
  return `${Math.floor(total / 86400)}d ${Math.floor((total % 86400) / 3600)}h`;
}

/** A countdown to a deadline: `in 4:05`, `in 1:02:03`, `due now` once it has passed, `—` if none. */
export function formatCountdown(secondsLeft: number | null): string {
  if (secondsLeft === null) return '—';
  const total = Math.ceil(secondsLeft);
  if (total <= 0) return 'due now';
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0
    ? `in ${hours}:${pad(minutes)}:${pad(seconds)}`
    : `in ${minutes}:${pad(seconds)}`;
}

/** First-response attainment: `97.9%`, `100%`; `—` when nothing was due yet. */
export function formatAttainment(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '—';
  const rounded = Math.round(percent * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(1)}%`;
}

export type ContactStatus = 'ok' | 'at-risk' | 'breached' | 'paused';

/** Colour is never the only signal: each status has an icon and words too. */
export const STATUS_LABELS: Record<ContactStatus, { icon: string; text: string }> = {
  ok: { icon: '✓', text: 'On track' },
  'at-risk': { icon: '▲', text: 'At risk' },
  breached: { icon: '✕', text: 'Breached' },
  paused: { icon: '‖', text: 'Paused' },
};

export function contactStatus(state: QueueState): ContactStatus {
  switch (state) {
    case 'waiting':
      return 'ok';
    case 'at-risk':
      return 'at-risk';
    case 'breached':
      return 'breached';
    case 'paused':
      return 'paused';
  }
}

/** Reconnect delays of the live stream: 1 s, 2 s, 4 s, 8 s, then 10 s for as long as it takes. */
export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempt), 10000);
}
