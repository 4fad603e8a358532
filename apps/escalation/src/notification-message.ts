import { formatDuration } from '@replywatch/sla-clock';

/** The target of a connector heartbeat alert (no customer: a source stopped sending). */
export const SOURCE_SILENT_TARGET = 'source_silent';
export const SOURCE_CONTACT_PREFIX = 'source:';

/** What every notifier says about one alert. No message bodies: ids, channel, times, policy. */
export interface AlertView {
  alertId: string;
  contactId: string;
  channel: string;
  priority: string;
  target: string;
  policyId: string;
  trigger: 'sla.warning' | 'sla.breached' | 'source.silent';
  startedAt: Date;
  dueAt: Date;
  /** The chain level that paged (1-based), when it was a chain step. */
  level?: number;
  /** Signed, expiring, single-use; absent on a resolved note. */
  ackUrl?: string;
}

export type NotificationMessage =
  | { kind: 'page'; alert: AlertView; dashboardUrl: string }
  | { kind: 'resolved'; alert: AlertView; resolvedBy: string; dashboardUrl: string }
  | { kind: 'digest'; alerts: AlertView[]; dashboardUrl: string };

const TARGET_LABEL: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
  callback: 'callback',
};

export const targetLabel = (target: string) => TARGET_LABEL[target] ?? target;

export const waitedFor = (alert: AlertView, nowMs: number) =>
  formatDuration((nowMs - alert.startedAt.getTime()) / 1000);

export function contactLink(dashboardUrl: string, contactId: string): string {
  const link = new URL(dashboardUrl);
  link.searchParams.set('contact', contactId);
  return link.toString();
}

export const isSourceAlert = (alert: AlertView) => alert.target === SOURCE_SILENT_TARGET;
export const sourceOf = (alert: AlertView) => alert.contactId.slice(SOURCE_CONTACT_PREFIX.length);

/** One line a person reads first: what is wrong, where, for how long. */
export function headline(alert: AlertView, nowMs: number): string {
  const waited = waitedFor(alert, nowMs);
  if (isSourceAlert(alert)) {
    return `Connector ${sourceOf(alert)} silent for ${waited}: contacts may be going unseen`;
  }
  if (alert.trigger === 'sla.warning') {
    const left = formatDuration((alert.dueAt.getTime() - nowMs) / 1000);
    return `About to breach: ${alert.channel} contact ${alert.contactId} has waited ${waited}, ${targetLabel(alert.target)} due in ${left}`;
  }
  return `No reply: ${alert.channel} contact ${alert.contactId} has waited ${waited}`;
}

/** Label/value pairs shown in every format (e-mail table, Slack fields, Teams facts, webhook). */
export function facts(alert: AlertView, nowMs: number): [string, string][] {
  if (isSourceAlert(alert)) {
    return [
      ['Source', sourceOf(alert)],
      ['Channel', alert.channel],
      ['Last seen', alert.startedAt.toISOString()],
      ['Silent at', alert.dueAt.toISOString()],
    ];
  }
  return [
    ['Contact', alert.contactId],
    ['Channel', alert.channel],
    ['Priority', alert.priority],
    ['Waiting', `${waitedFor(alert, nowMs)} (since ${alert.startedAt.toISOString()})`],
    [
      'Due',
      `${alert.dueAt.toISOString()} (${targetLabel(alert.target)}, policy ${alert.policyId})`,
    ],
    ...(alert.level === undefined ? [] : [['Level', String(alert.level)] as [string, string]]),
  ];
}
