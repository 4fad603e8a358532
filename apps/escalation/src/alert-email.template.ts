import { formatDuration } from '@replywatch/sla-clock';

export interface AlertEmailInput {
  alertId: string;
  contactId: string;
  channel: string;
  priority: string;
  target: string;
  policyId: string;
  startedAt: Date;
  dueAt: Date;
  dashboardUrl: string;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const TARGET_LABEL: Record<string, string> = {
  first_response: 'first response',
  next_response: 'next response',
  resolution: 'resolution',
  callback: 'callback',
};

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The target of a connector heartbeat alert (no customer: a source stopped sending). */
export const SOURCE_SILENT_TARGET = 'source_silent';
export const SOURCE_CONTACT_PREFIX = 'source:';

/** The alert e-mail: who is waiting, on which channel, for how long, and where to look. */
export function renderAlertEmail(input: AlertEmailInput, nowMs: number): RenderedEmail {
  if (input.target === SOURCE_SILENT_TARGET) return renderSourceSilentEmail(input, nowMs);
  const waited = formatDuration((nowMs - input.startedAt.getTime()) / 1000);
  const target = TARGET_LABEL[input.target] ?? input.target;
  const link = new URL(input.dashboardUrl);
  link.searchParams.set('contact', input.contactId);
  const subject = `[Replywatch] No reply: ${input.channel} contact ${input.contactId} has waited ${waited}`;
  const lines = [
    `A customer on ${input.channel} has had no ${target} for ${waited}.`,
    '',
    `Contact:   ${input.contactId}`,
    `Channel:   ${input.channel}`,
    `Priority:  ${input.priority}`,
    `Waiting:   ${waited} (since ${input.startedAt.toISOString()})`,
    `Due:       ${input.dueAt.toISOString()} (${target}, policy ${input.policyId})`,
    '',
    `Dashboard: ${link.toString()}`,
    '',
    `Alert ${input.alertId}`,
  ];
  const rows = [
    ['Contact', input.contactId],
    ['Channel', input.channel],
    ['Priority', input.priority],
    ['Waiting', `${waited} (since ${input.startedAt.toISOString()})`],
    ['Due', `${input.dueAt.toISOString()} (${target}, policy ${input.policyId})`],
  ]
    .map(([k, v]) => `<tr><th align="left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('');
  const html = `<p>A customer on <b>${escapeHtml(input.channel)}</b> has had no ${escapeHtml(target)} for <b>${escapeHtml(waited)}</b>.</p><table>${rows}</table><p><a href="${escapeHtml(link.toString())}">Open the dashboard</a></p><p style="color:#666">Alert ${escapeHtml(input.alertId)}</p>`;
  return { subject, text: lines.join('\n'), html };
}

/**
 * A silent connector: contacts may be arriving at the provider and never reaching Replywatch, so
 * the e-mail says where to look (the connector), not which customer waits.
 */
function renderSourceSilentEmail(input: AlertEmailInput, nowMs: number): RenderedEmail {
  const source = input.contactId.slice(SOURCE_CONTACT_PREFIX.length);
  const silent = formatDuration((nowMs - input.startedAt.getTime()) / 1000);
  const link = new URL(input.dashboardUrl);
  const subject = `[Replywatch] Connector ${source} silent for ${silent}: contacts may be going unseen`;
  const lines = [
    `No contact event has arrived from ${source} (${input.channel}) for ${silent}, longer than its heartbeat allows.`,
    'Check the connector or the provider webhook: until it recovers, contacts on it are not tracked.',
    '',
    `Source:    ${source}`,
    `Channel:   ${input.channel}`,
    `Last seen: ${input.startedAt.toISOString()}`,
    `Silent at: ${input.dueAt.toISOString()}`,
    '',
    `Dashboard: ${link.toString()}`,
    '',
    `Alert ${input.alertId}`,
  ];
  const html = `<p>No contact event has arrived from <b>${escapeHtml(source)}</b> (${escapeHtml(input.channel)}) for <b>${escapeHtml(silent)}</b>, longer than its heartbeat allows.</p><p>Check the connector or the provider webhook: until it recovers, contacts on it are not tracked.</p><table><tr><th align="left">Last seen</th><td>${escapeHtml(input.startedAt.toISOString())}</td></tr><tr><th align="left">Silent at</th><td>${escapeHtml(input.dueAt.toISOString())}</td></tr></table><p><a href="${escapeHtml(link.toString())}">Open the dashboard</a></p><p style="color:#666">Alert ${escapeHtml(input.alertId)}</p>`;
  return { subject, text: lines.join('\n'), html };
}
