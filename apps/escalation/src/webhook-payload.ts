import type { AlertView, NotificationMessage } from './notification-message';

function alertJson(alert: AlertView, nowMs: number) {
  return {
    id: alert.alertId,
    trigger: alert.trigger,
    contactId: alert.contactId,
    channel: alert.channel,
    priority: alert.priority,
    target: alert.target,
    policyId: alert.policyId,
    startedAt: alert.startedAt.toISOString(),
    dueAt: alert.dueAt.toISOString(),
    waitingSeconds: Math.max(0, Math.floor((nowMs - alert.startedAt.getTime()) / 1000)),
    ...(alert.level === undefined ? {} : { level: alert.level }),
    ...(alert.ackUrl === undefined ? {} : { acknowledgeUrl: alert.ackUrl }),
  };
}

/**
 * The JSON body of a signed webhook (docs/escalation.md): `alert.page`, `alert.resolved` or
 * `alert.digest`, with the delivery id receivers deduplicate retries by.
 */
export function webhookPayload(
  message: NotificationMessage,
  deliveryId: string,
  nowMs: number,
): Record<string, unknown> {
  const base = {
    schemaVersion: 1,
    deliveryId,
    sentAt: new Date(nowMs).toISOString(),
    dashboardUrl: message.dashboardUrl,
  };
  switch (message.kind) {
    case 'page':
      return { type: 'alert.page', ...base, alert: alertJson(message.alert, nowMs) };
    case 'resolved':
      return {
        type: 'alert.resolved',
        ...base,
        resolvedBy: message.resolvedBy,
        alert: alertJson(message.alert, nowMs),
      };
    case 'digest':
      return {
        type: 'alert.digest',
        ...base,
        alerts: message.alerts.map((alert) => alertJson(alert, nowMs)),
      };
  }
}
