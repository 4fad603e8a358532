import {
  contactLink,
  facts,
  headline,
  isSourceAlert,
  sourceOf,
  waitedFor,
} from './notification-message';
import type { AlertView, NotificationMessage } from './notification-message';

// Slack's mrkdwn treats &, < and > as control characters.
const slackEscape = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const clip = (value: string, max: number) =>
  value.length <= max ? value : `${value.slice(0, max - 1)}…`;

/** Escaped, then cut to Slack's limit without leaving half an entity behind. */
function slackText(value: string, max: number): string {
  const escaped = slackEscape(value);
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, max - 1).replace(/&[a-z]*$/, '')}…`;
}

function summary(message: NotificationMessage, nowMs: number): string {
  switch (message.kind) {
    case 'page':
      return headline(message.alert, nowMs);
    case 'resolved':
      return isSourceAlert(message.alert)
        ? `Resolved: connector ${sourceOf(message.alert)} is sending again`
        : `Resolved: ${message.alert.channel} contact ${message.alert.contactId} is no longer waiting`;
    case 'digest':
      return `${message.alerts.length} contacts need a reply (digest)`;
  }
}

function linksOf(alert: AlertView, dashboardUrl: string): { label: string; url: string }[] {
  return [
    ...(alert.ackUrl ? [{ label: 'Acknowledge', url: alert.ackUrl }] : []),
    {
      label: 'Open in dashboard',
      url: isSourceAlert(alert) ? dashboardUrl : contactLink(dashboardUrl, alert.contactId),
    },
  ];
}

/**
 * A Slack incoming-webhook message: `text` for notifications, blocks for the message. Links are
 * mrkdwn links, not buttons: a URL button in a webhook message shows a warning unless the Slack
 * app has an interactivity endpoint (docs.slack.dev button element).
 */
export function slackMessage(message: NotificationMessage, nowMs: number): Record<string, unknown> {
  const text = summary(message, nowMs);
  const blocks: Record<string, unknown>[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${slackText(text, 2900)}*` } },
  ];
  if (message.kind === 'page') {
    blocks.push({
      type: 'section',
      fields: facts(message.alert, nowMs)
        .slice(0, 10)
        .map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}:*\n${slackText(v, 1900)}` })),
    });
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: linksOf(message.alert, message.dashboardUrl)
          .map((link) => `<${link.url}|${link.label}>`)
          .join('  ·  '),
      },
    });
  } else if (message.kind === 'digest') {
    const lines = message.alerts.map((a) => {
      const ack = a.ackUrl ? ` <${a.ackUrl}|Acknowledge>` : '';
      return `• ${slackEscape(a.contactId)} (${a.channel}, ${a.priority}) waited ${waitedFor(a, nowMs)}${ack}`;
    });
    // Sections hold 3,000 characters: split the list into blocks (Slack allows 50 per message).
    for (let i = 0; i < lines.length && blocks.length < 48;) {
      let chunk = '';
      while (i < lines.length && chunk.length + lines[i].length + 1 < 2900)
        chunk += `${lines[i++]}\n`;
      if (chunk === '') chunk = clip(lines[i++], 2900);
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk } });
    }
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `<${message.dashboardUrl}|Open the dashboard>` },
    });
  }
  return { text, blocks };
}

/**
 * A Microsoft Teams message for a Workflows (or incoming) webhook: an Adaptive Card 1.4 (the
 * version Workflows webhooks render) with the facts and Action.OpenUrl links.
 */
export function teamsMessage(message: NotificationMessage, nowMs: number): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: summary(message, nowMs),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
    },
  ];
  let actions: Record<string, unknown>[] = [];
  if (message.kind === 'page') {
    body.push({
      type: 'FactSet',
      facts: facts(message.alert, nowMs).map(([title, value]) => ({ title, value })),
    });
    actions = linksOf(message.alert, message.dashboardUrl).map((link) => ({
      type: 'Action.OpenUrl',
      title: link.label,
      url: link.url,
    }));
  } else if (message.kind === 'digest') {
    const shown = message.alerts.slice(0, 100);
    body.push({
      type: 'FactSet',
      facts: shown.map((a) => ({
        title: a.contactId,
        value: `${a.channel}, ${a.priority}, waited ${waitedFor(a, nowMs)}${a.ackUrl ? ` · [Acknowledge](${a.ackUrl})` : ''}`,
      })),
    });
    if (message.alerts.length > shown.length) {
      body.push({
        type: 'TextBlock',
        text: `…and ${message.alerts.length - shown.length} more: see the dashboard.`,
        wrap: true,
      });
    }
    actions = [{ type: 'Action.OpenUrl', title: 'Open the dashboard', url: message.dashboardUrl }];
  }
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          ...(actions.length > 0 ? { actions } : {}),
        },
      },
    ],
  };
}
