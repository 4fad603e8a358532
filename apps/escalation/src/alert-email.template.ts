import {
  contactLink,
  facts,
  headline,
  isSourceAlert,
  sourceOf,
  targetLabel,
  waitedFor,
} from './notification-message';
import type { AlertView, NotificationMessage } from './notification-message';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const table = (rows: [string, string][]) =>
  `<table>${rows
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table>`;

const textRows = (rows: [string, string][]) => rows.map(([k, v]) => `${`${k}:`.padEnd(11)}${v}`);

function intro(alert: AlertView, nowMs: number): string {
  const waited = waitedFor(alert, nowMs);
  if (isSourceAlert(alert)) {
    return `No contact event has arrived from ${sourceOf(alert)} (${alert.channel}) for ${waited}, longer than its heartbeat allows. Check the connector or the provider webhook: until it recovers, contacts on it are not tracked.`;
  }
  if (alert.trigger === 'sla.warning') {
    return `A customer on ${alert.channel} has waited ${waited}; their ${targetLabel(alert.target)} is due at ${alert.dueAt.toISOString()}.`;
  }
  return `A customer on ${alert.channel} has had no ${targetLabel(alert.target)} for ${waited}.`;
}

function renderPage(alert: AlertView, dashboardUrl: string, nowMs: number): RenderedEmail {
  const link = isSourceAlert(alert) ? dashboardUrl : contactLink(dashboardUrl, alert.contactId);
  const rows = facts(alert, nowMs);
  const text = [
    intro(alert, nowMs),
    '',
    ...textRows(rows),
    '',
    ...(alert.ackUrl ? [`Acknowledge: ${alert.ackUrl}`] : []),
    `Dashboard: ${link}`,
    '',
    `Alert ${alert.alertId}`,
  ];
  const html =
    `<p>${escapeHtml(intro(alert, nowMs))}</p>${table(rows)}<p>` +
    (alert.ackUrl ? `<a href="${escapeHtml(alert.ackUrl)}"><b>Acknowledge</b></a> &middot; ` : '') +
    `<a href="${escapeHtml(link)}">Open the dashboard</a></p>` +
    `<p style="color:#666">Alert ${escapeHtml(alert.alertId)}</p>`;
  return { subject: `[Replywatch] ${headline(alert, nowMs)}`, text: text.join('\n'), html };
}

function renderResolved(alert: AlertView, resolvedBy: string): RenderedEmail {
  const what = isSourceAlert(alert)
    ? `Connector ${sourceOf(alert)} is sending again`
    : `${alert.channel} contact ${alert.contactId} is no longer waiting`;
  const how = RESOLVED_BY[resolvedBy] ?? `resolved by ${resolvedBy}`;
  return {
    subject: `[Replywatch] Resolved: ${what}`,
    text: `${what} (${how}). Nothing more to do for alert ${alert.alertId}.`,
    html: `<p>${escapeHtml(what)} (${escapeHtml(how)}).</p><p style="color:#666">Nothing more to do for alert ${escapeHtml(alert.alertId)}.</p>`,
  };
}

const RESOLVED_BY: Record<string, string> = {
  'sla.met': 'an agent replied',
  'sla.cancelled': 'the contact was closed or no longer needs a reply',
  'source.recovered': 'events arrive again',
};

function renderDigest(alerts: AlertView[], dashboardUrl: string, nowMs: number): RenderedEmail {
  const channels = [...new Set(alerts.map((a) => a.channel))].join(', ');
  const subject = `[Replywatch] ${alerts.length} ${channels} contacts need a reply (digest)`;
  const line = (a: AlertView) =>
    `- ${a.contactId} (${a.channel}, ${a.priority}): waited ${waitedFor(a, nowMs)}, ${targetLabel(a.target)} due ${a.dueAt.toISOString()}`;
  const text = [
    `You have had many alerts in a short time, so these ${alerts.length} come as one message:`,
    '',
    ...alerts.flatMap((a) => [line(a), ...(a.ackUrl ? [`  Acknowledge: ${a.ackUrl}`] : [])]),
    '',
    `Dashboard: ${dashboardUrl}`,
  ];
  const items = alerts
    .map(
      (a) =>
        `<li>${escapeHtml(line(a).slice(2))}${a.ackUrl ? ` &middot; <a href="${escapeHtml(a.ackUrl)}">Acknowledge</a>` : ''}</li>`,
    )
    .join('');
  const html = `<p>You have had many alerts in a short time, so these ${alerts.length} come as one message:</p><ul>${items}</ul><p><a href="${escapeHtml(dashboardUrl)}">Open the dashboard</a></p>`;
  return { subject, text: text.join('\n'), html };
}

/** The e-mail for a page, a resolved note or a digest. */
export function renderEmail(message: NotificationMessage, nowMs: number): RenderedEmail {
  switch (message.kind) {
    case 'page':
      return renderPage(message.alert, message.dashboardUrl, nowMs);
    case 'resolved':
      return renderResolved(message.alert, message.resolvedBy);
    case 'digest':
      return renderDigest(message.alerts, message.dashboardUrl, nowMs);
  }
}
