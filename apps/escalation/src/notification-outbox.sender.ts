import { Logger } from '@nestjs/common';
import { signAckToken, webhookSignatureHeaders } from '@replywatch/escalation-rules';
import type { AlertRecord, NotificationChannel } from '@replywatch/persistence';
import { backoffMs } from '@replywatch/platform';
import { renderEmail } from './alert-email.template';
import { slackMessage, teamsMessage } from './chat-message.template';
import type { EmailNotifier } from './email.notifier';
import type { EscalationDocumentStore } from './escalation-document.store';
import type { EscalationMetrics } from './escalation.metrics';
import { DeliveryError } from './delivery-error';
import type { HttpNotifier } from './http.notifier';
import type { AlertView, NotificationMessage } from './notification-message';
import type {
  ClaimedNotification,
  NotificationOutboxRepository,
} from './notification-outbox.repository';
import { PollingLoop } from './polling-loop';
import { webhookPayload } from './webhook-payload';

export interface OutboxOptions {
  pollMs: number;
  maxAttempts: number;
  /** First retry after this; each further one waits twice as long (capped at 5 minutes). */
  retryBaseMs: number;
  dashboardUrl: string;
  ack: { secret: string; baseUrl: string; ttlMs: number };
  /** How long a claimed notification is reserved for this sender before another may retry it. */
  leaseMs?: number;
  /** Deliveries in flight at once, per lane. */
  batchSize?: number;
}

/**
 * E-mail and the HTTP receivers (webhooks, Slack, Teams) are claimed and sent apart, each lane
 * with its own slots: a receiver that hangs until NOTIFY_TIMEOUT_MS never holds up the other
 * channel. Found by the fault suite: a webhook timing out under load delayed the level-2 e-mails
 * of every chain behind it (test/faults/notification-outages.fault-spec.ts).
 */
const LANES: readonly (readonly NotificationChannel[])[] = [['email'], ['webhook', 'chat']];

interface Lane {
  channels: readonly NotificationChannel[];
  loop: PollingLoop;
  inFlight: Set<Promise<void>>;
}

export const DELIVERY_ID_HEADER = 'X-Replywatch-Delivery';

/** Delivers the notification outbox: claim, render for the channel, send, record; retry with backoff. */
export class NotificationOutboxSender {
  private readonly logger = new Logger(NotificationOutboxSender.name);
  private readonly lanes: Lane[];

  constructor(
    private readonly outbox: NotificationOutboxRepository,
    private readonly documents: EscalationDocumentStore,
    private readonly email: EmailNotifier,
    private readonly http: HttpNotifier,
    private readonly options: OutboxOptions,
    private readonly metrics?: EscalationMetrics,
    private readonly now: () => number = Date.now,
  ) {
    this.lanes = LANES.map((channels) => {
      const lane = { channels, inFlight: new Set<Promise<void>>() } as Lane;
      lane.loop = new PollingLoop(
        `${NotificationOutboxSender.name}:${channels.join('+')}`,
        () => this.deliverDue(lane),
        options.pollMs,
      );
      return lane;
    });
  }

  start(): void {
    for (const lane of this.lanes) lane.loop.start();
  }

  kick(): void {
    for (const lane of this.lanes) lane.loop.kick();
  }

  async stop(): Promise<void> {
    await Promise.all(this.lanes.map((lane) => lane.loop.stop()));
    await Promise.all(this.lanes.flatMap((lane) => [...lane.inFlight]));
  }

  /** Claim as many due rows as the lane has free slots and start each delivery on its own: the
   * lane claims again as soon as one finishes, never waiting for the slowest of a batch. */
  private async deliverDue(lane: Lane): Promise<number> {
    const room = (this.options.batchSize ?? 20) - lane.inFlight.size;
    if (room <= 0) return 0;
    const due = await this.outbox.claimDue(
      room,
      this.options.leaseMs ?? 60000,
      this.now(),
      lane.channels,
    );
    if (due.length === 0) return 0;
    const alerts = await this.outbox.alerts(
      due.flatMap((n) => (n.alertId === null ? [] : [n.alertId])),
    );
    for (const notification of due) {
      const delivery: Promise<void> = this.deliver(notification, alerts)
        .catch((error: Error) => {
          // Not recorded (PostgreSQL away): the lease runs out and the row is tried again.
          this.logger.warn(`recording ${notification.id} failed: ${error.message}`);
        })
        .finally(() => {
          lane.inFlight.delete(delivery);
          lane.loop.kick();
        });
      lane.inFlight.add(delivery);
    }
    return due.length;
  }

  private view(alert: AlertRecord, notification: ClaimedNotification, withAck: boolean): AlertView {
    const view: AlertView = {
      alertId: alert.id,
      contactId: alert.contactId,
      channel: alert.channel,
      priority: alert.priority,
      target: alert.target,
      policyId: alert.policyId,
      trigger: alert.trigger,
      startedAt: alert.startedAt,
      dueAt: alert.dueAt,
      ...(notification.level === null ? {} : { level: notification.level }),
    };
    if (!withAck) return view;
    const { secret, baseUrl, ttlMs } = this.options.ack;
    const token = signAckToken(
      {
        notificationId: notification.id,
        alertId: alert.id,
        recipient: notification.recipient,
        expiresAtMs: this.now() + ttlMs,
      },
      secret,
    );
    // Relative to the base *path*: `https://host/ops` must give `https://host/ops/ack/…`.
    const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
    return { ...view, ackUrl: new URL(`ack/${token}`, base).toString() };
  }

  /** What to say, or why nothing should be sent any more. */
  private async message(
    notification: ClaimedNotification,
    alerts: Map<string, AlertRecord>,
  ): Promise<{ message: NotificationMessage; alertIds: string[] } | { cancel: string }> {
    const dashboardUrl = this.options.dashboardUrl;
    if (notification.kind === 'digest') {
      const listed = await this.outbox.digestAlerts(notification.id);
      if (listed.length === 0) return { cancel: 'every alert in the digest was handled' };
      return {
        message: {
          kind: 'digest',
          alerts: listed.map((alert) => this.view(alert, notification, true)),
          dashboardUrl,
        },
        alertIds: listed.map((alert) => alert.id),
      };
    }
    const alert = notification.alertId === null ? undefined : alerts.get(notification.alertId);
    if (alert === undefined) return { cancel: 'alert not found' };
    if (notification.kind === 'resolved') {
      return {
        message: {
          kind: 'resolved',
          alert: this.view(alert, notification, false),
          resolvedBy: alert.resolvedBy ?? 'unknown',
          dashboardUrl,
        },
        alertIds: [alert.id],
      };
    }
    if (alert.state !== 'open') return { cancel: `alert ${alert.state}` };
    return {
      message: { kind: 'page', alert: this.view(alert, notification, true), dashboardUrl },
      alertIds: [alert.id],
    };
  }

  private async send(
    notification: ClaimedNotification,
    message: NotificationMessage,
  ): Promise<string> {
    const startedMs = this.now();
    if (notification.channel === 'email') {
      return this.email.send(
        notification.recipient,
        renderEmail(message, startedMs),
        notification.id,
      );
    }
    const { document } = await this.documents.get();
    const endpoint = document.endpoints.find((e) => e.id === notification.recipient);
    if (endpoint === undefined) {
      throw new DeliveryError(`endpoint "${notification.recipient}" is no longer configured`, true);
    }
    if (notification.channel === 'webhook') {
      if (endpoint.type !== 'webhook' || endpoint.secret === undefined) {
        throw new DeliveryError(`endpoint "${endpoint.id}" is not a signed webhook`, true);
      }
      const body = JSON.stringify(webhookPayload(message, notification.id, startedMs));
      return this.http.post(endpoint.url, body, {
        ...webhookSignatureHeaders(body, endpoint.secret, startedMs),
        [DELIVERY_ID_HEADER]: notification.id,
      });
    }
    if (endpoint.type === 'webhook') {
      throw new DeliveryError(`endpoint "${endpoint.id}" is a webhook, not a chat`, true);
    }
    const payload =
      endpoint.type === 'slack'
        ? slackMessage(message, startedMs)
        : teamsMessage(message, startedMs);
    return this.http.post(endpoint.url, JSON.stringify(payload), {});
  }

  private async deliver(
    notification: ClaimedNotification,
    alerts: Map<string, AlertRecord>,
  ): Promise<void> {
    const startedMs = this.now();
    let alertIds: string[] = notification.alertId === null ? [] : [notification.alertId];
    let response: string;
    try {
      const built = await this.message(notification, alerts);
      if ('cancel' in built) {
        await this.outbox.cancel(notification, built.cancel);
        return;
      }
      alertIds = built.alertIds;
      response = await this.send(notification, built.message);
    } catch (error) {
      const attempt = notification.attempts + 1;
      const permanent = error instanceof DeliveryError && error.permanent;
      const retryAt =
        permanent || attempt >= this.options.maxAttempts
          ? undefined
          : this.now() + backoffMs(attempt - 1, this.options.retryBaseMs, 300000);
      const message = (error as Error).message;
      this.logger.warn(
        `${notification.kind} ${notification.channel} ${notification.id} failed (attempt ${attempt}/${this.options.maxAttempts}${retryAt === undefined ? ', giving up' : ''}): ${message}`,
      );
      await this.outbox.recordFailed(
        notification,
        alertIds,
        message,
        startedMs,
        this.now(),
        retryAt,
      );
      this.metrics?.notificationsFailed.inc({
        channel: notification.channel,
        kind: notification.kind,
        final: String(retryAt === undefined),
      });
      return;
    }
    // Sent: if recording that fails, the lease runs out and it is sent again (at-least-once; the
    // stable Message-ID and X-Replywatch-Delivery let receivers drop the copy), never lost.
    await this.outbox.recordSent(notification, alertIds, response, startedMs, this.now());
    this.metrics?.notificationsSent.inc({ channel: notification.channel, kind: notification.kind });
    const alert = notification.alertId === null ? undefined : alerts.get(notification.alertId);
    if (
      notification.kind === 'page' &&
      notification.step === 1 &&
      alert?.trigger !== 'sla.warning'
    ) {
      this.metrics?.alertLatency.observe(
        { channel: notification.channel },
        Math.max(0, (this.now() - (alert?.dueAt.getTime() ?? this.now())) / 1000),
      );
    }
  }
}
