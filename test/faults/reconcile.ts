import type { SlaEvent } from '@replywatch/contracts';
import type { AcceptedEvent, PlannedContact } from './load-generator';
import type { SinkMail } from './smtp-sink';
import type { WebhookHit } from './slow-webhook';

export interface AlertRow {
  id: string;
  contactId: string;
  slaEventId: string;
  state: 'open' | 'acknowledged' | 'resolved';
  dueAt: Date;
  createdAt: Date;
  nextStepAt: Date | null;
}

export interface NotificationRow {
  id: string;
  alertId: string;
  kind: 'page' | 'resolved' | 'digest';
  channel: 'email' | 'webhook' | 'chat';
  recipient: string;
  level: number | null;
  status: 'pending' | 'sent' | 'failed' | 'cancelled' | 'digested';
  attempts: number;
  sentAt: Date | null;
}

export interface AlertEventRow {
  alertId: string;
  kind: string;
  at: Date;
  detail: { level?: number; nextStepAt?: string | null };
}

export interface AttemptRow {
  notificationId: string;
  attemptedAt: Date;
  outcome: 'sent' | 'failed';
  durationMs: number;
}

/** Everything that went in and came out for one case, gathered once it settled. */
export interface CaseData {
  contacts: readonly PlannedContact[];
  accepted: ReadonlyMap<string, AcceptedEvent>;
  /** Accepted event ids found on contact-events.v1. */
  stored: ReadonlySet<string>;
  /** Accepted event ids the SLA service marked applied (`<prefix>:e:<eventId>` in Redis). */
  applied: ReadonlySet<string>;
  /** This case's SLA events as read from sla-events.v1, redeliveries included. */
  slaEvents: readonly SlaEvent[];
  alerts: readonly AlertRow[];
  notifications: readonly NotificationRow[];
  alertEvents: readonly AlertEventRow[];
  attempts: readonly AttemptRow[];
  /** Every mail the SMTP sink received (of any case: filtered here by notification id). */
  mails: readonly SinkMail[];
  webhookHits: readonly WebhookHit[];
}

export interface ReconcileOptions {
  /**
   * The same notification delivered twice (same Message-ID / delivery id) is allowed only where
   * the documented at-least-once window applies: a sender that died, or could not record a send,
   * after the receiver accepted it.
   */
  allowRedelivery: boolean;
  /** NOTIFY_RETRY_BASE_MS, to check the gaps between webhook tries. */
  retryBaseMs: number;
}

export interface CaseFigures {
  contacts: number;
  events: { sent: number; accepted: number; storedOnKafka: number; applied: number };
  breaches: {
    expected: number;
    distinct: number;
    /** The same breach event read more than once (at-least-once delivery, same event id). */
    redelivered: number;
    /** Answered contacts that breached because their reply was applied after the deadline. */
    afterLateReply: number;
    maxLateMs: number;
  };
  met: number;
  alerts: { total: number; open: number; acknowledged: number; resolved: number };
  pages: { level1: number; level2: number; cancelled: number };
  mails: { pages: number; distinct: number; redelivered: number; resolvedNotes: number };
  latency: {
    /** From a breach's due instant to its alert row. */
    alertMaxMs: number;
    level1MailMaxMs: number;
    level2StepMaxLateMs: number;
    level2MailMaxLateMs: number;
    /** How long one e-mail send took the notifier (median, max). */
    emailSendMedianMs: number;
    emailSendMaxMs: number;
  };
  webhook?: {
    notifications: number;
    attempts: number;
    timedOut: number;
    minAttemptsPerDelivery: number;
    hits: number;
    distinctDeliveries: number;
  };
}

const max = (values: number[]) => values.reduce((a, b) => Math.max(a, b), 0);

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k) ?? [];
    list.push(item);
    groups.set(k, list);
  }
  return groups;
}

/**
 * Reconcile what was sent with what came out. Returns the case's figures and every broken
 * guarantee as a sentence (an empty list is a pass): each accepted event stored and applied, each
 * unanswered contact breached exactly once (never two different breaches, never early), each
 * answered contact met, each breach alerted once, each page sent exactly once per alert and level
 * and mailed once, nothing left pending or failed.
 */
export function reconcile(
  data: CaseData,
  options: ReconcileOptions,
): { figures: CaseFigures; problems: string[] } {
  const problems: string[] = [];
  const problem = (what: string, ids: readonly string[]) => {
    if (ids.length > 0)
      problems.push(`${what}: ${ids.length} (e.g. ${ids.slice(0, 3).join(', ')})`);
  };

  // 1. Events: accepted → on Kafka → applied.
  const acceptedIds = [...data.accepted.keys()];
  const sentIds = data.contacts.flatMap((c) => [
    `${c.contactId}-open`,
    ...(c.replyAt === undefined ? [] : [`${c.contactId}-reply`]),
  ]);
  problem(
    'events sent but never accepted',
    sentIds.filter((id) => !data.accepted.has(id)),
  );
  problem(
    'accepted events missing from contact-events',
    acceptedIds.filter((id) => !data.stored.has(id)),
  );
  problem(
    'accepted events never applied by the SLA service',
    acceptedIds.filter((id) => !data.applied.has(id)),
  );

  // 2. SLA outcomes per contact.
  const firstResponse = data.slaEvents.filter((e) => e.target === 'first_response');
  const breaches = firstResponse.filter((e) => e.type === 'sla.breached');
  const breachById = new Map(breaches.map((e) => [e.eventId, e]));
  const breachIdsByContact = groupBy([...breachById.values()], (e) => e.contactId);
  const metIdsByContact = groupBy(
    [
      ...new Map(
        firstResponse.filter((e) => e.type === 'sla.met').map((e) => [e.eventId, e]),
      ).values(),
    ],
    (e) => e.contactId,
  );
  const unanswered = data.contacts.filter((c) => c.replyAt === undefined);
  const answered = data.contacts.filter((c) => c.replyAt !== undefined);
  problem(
    'unanswered contacts with no breach',
    unanswered.filter((c) => !breachIdsByContact.has(c.contactId)).map((c) => c.contactId),
  );
  problem(
    'contacts with two different breach events (a doubled breach)',
    [...breachIdsByContact].filter(([, list]) => list.length > 1).map(([id]) => id),
  );
  problem(
    'unanswered contacts with an sla.met',
    unanswered.filter((c) => metIdsByContact.has(c.contactId)).map((c) => c.contactId),
  );
  problem(
    'answered contacts whose reply met nothing',
    answered
      .filter((c) => (metIdsByContact.get(c.contactId) ?? []).length !== 1)
      .map((c) => c.contactId),
  );
  problem(
    'breaches emitted before they were due',
    [...breachById.values()]
      .filter((e) => Date.parse(e.emittedAt) < Date.parse(e.dueAt))
      .map((e) => e.eventId),
  );
  const unansweredIds = new Set(unanswered.map((c) => c.contactId));
  const afterLateReply = [...breachById.values()].filter((e) => !unansweredIds.has(e.contactId));
  for (const breach of afterLateReply) {
    // Legitimate only if the reply reached ingest after the deadline (an outage held it back): a
    // deadline is announced only once every event Kafka had by then is applied.
    const reply = data.accepted.get(`${breach.contactId}-reply`);
    if (reply !== undefined && reply.acceptedAt < Date.parse(breach.dueAt)) {
      problems.push(
        `${breach.contactId} breached although its reply was accepted ${Date.parse(breach.dueAt) - reply.acceptedAt} ms before the deadline`,
      );
    }
  }

  // 3. Alerts: one per breach, none without one.
  const alertsByEvent = groupBy(data.alerts, (a) => a.slaEventId);
  problem(
    'breaches without an alert',
    [...breachById.keys()].filter((id) => !alertsByEvent.has(id)),
  );
  problem(
    'alerts without a breach',
    data.alerts.filter((a) => !breachById.has(a.slaEventId)).map((a) => a.id),
  );
  problem(
    'contacts with more than one alert',
    [...groupBy(data.alerts, (a) => a.contactId)].filter(([, l]) => l.length > 1).map(([id]) => id),
  );
  problem(
    'open alerts still waiting for a step',
    data.alerts.filter((a) => a.state === 'open' && a.nextStepAt !== null).map((a) => a.id),
  );

  // 4. Steps and pages: level 1 for every alert; level 2 for every alert still open at the end.
  const stepsByAlert = groupBy(
    data.alertEvents.filter((e) => e.kind === 'step.started'),
    (e) => e.alertId,
  );
  const level = (alertId: string, n: number) =>
    (stepsByAlert.get(alertId) ?? []).filter((e) => e.detail.level === n);
  problem(
    'alerts whose level 1 did not run exactly once',
    data.alerts.filter((a) => level(a.id, 1).length !== 1).map((a) => a.id),
  );
  problem(
    'alerts whose level 2 ran twice',
    data.alerts.filter((a) => level(a.id, 2).length > 1).map((a) => a.id),
  );
  problem(
    'open alerts whose level 2 never ran',
    data.alerts.filter((a) => a.state === 'open' && level(a.id, 2).length !== 1).map((a) => a.id),
  );
  const acked = data.alertEvents.filter((e) => e.kind === 'alert.acknowledged');
  problem(
    'level 2 run after the alert was acknowledged',
    acked
      .filter((ack) => level(ack.alertId, 2).some((step) => step.at > ack.at))
      .map((ack) => ack.alertId),
  );
  const pages = data.notifications.filter((n) => n.kind === 'page');
  problem(
    'pages left pending, failed or digested',
    pages
      .filter((n) => n.status !== 'sent' && n.status !== 'cancelled')
      .map((n) => `${n.id} ${n.status}`),
  );
  problem(
    'pages cancelled on an alert that is still open',
    pages
      .filter((n) => n.status === 'cancelled')
      .filter((n) => data.alerts.find((a) => a.id === n.alertId)?.state === 'open')
      .map((n) => n.id),
  );
  problem(
    'steps that paged a level twice',
    [...groupBy(pages, (n) => `${n.alertId}/${n.level}/${n.channel}/${n.recipient}`)]
      .filter(([, l]) => l.length > 1)
      .map(([k]) => k),
  );
  problem(
    'level-2 steps without their level-2 page',
    data.alerts
      .filter((a) => level(a.id, 2).length === 1)
      .filter((a) => !pages.some((n) => n.alertId === a.id && n.level === 2))
      .map((a) => a.id),
  );

  // 5. Mail: every sent e-mail row arrived, once per Message-ID, for the alert and level it names.
  const byId = new Map(data.notifications.map((n) => [n.id, n]));
  const alertIds = new Set(data.alerts.map((a) => a.id));
  const ourMails = data.mails.filter(
    (m) => byId.has(m.notificationId) || (m.alertId !== undefined && alertIds.has(m.alertId)),
  );
  problem(
    'mails for no notification of this case',
    ourMails
      .filter((m) => !byId.has(m.notificationId))
      .map((m) => m.notificationId || '(no Message-ID)'),
  );
  const mailsByNotification = groupBy(ourMails, (m) => m.notificationId);
  const emailRows = data.notifications.filter((n) => n.channel === 'email');
  problem(
    'sent e-mail notifications that never arrived',
    emailRows.filter((n) => n.status === 'sent' && !mailsByNotification.has(n.id)).map((n) => n.id),
  );
  problem(
    'mails whose alert, level or recipient differ from their notification',
    ourMails.flatMap((m) => {
      const row = byId.get(m.notificationId);
      if (row === undefined) return [];
      const differs =
        m.alertId !== row.alertId ||
        !m.to.includes(row.recipient) ||
        (row.kind === 'page' && (m.kind !== 'page' || m.level !== row.level)) ||
        (row.kind === 'resolved' && m.kind !== 'resolved');
      return differs
        ? [
            `${m.notificationId} (row ${row.kind} level ${row.level} to ${row.recipient} of ${row.alertId}; ` +
              `mail ${m.kind} level ${m.level} to ${m.to.join(' ')} of ${m.alertId}${m.note ? ` after ${m.note}` : ''})`,
          ]
        : [];
    }),
  );
  const redeliveredMails = [...mailsByNotification].filter(([, list]) => list.length > 1);
  if (!options.allowRedelivery) {
    problem(
      'notifications mailed more than once',
      redeliveredMails.map(([id, list]) => `${id} x${list.length}`),
    );
  }
  problem(
    'resolved notes sent twice to one recipient',
    [
      ...groupBy(
        data.notifications.filter((n) => n.kind === 'resolved'),
        (n) => `${n.alertId}/${n.channel}/${n.recipient}`,
      ),
    ]
      .filter(([, l]) => l.length > 1)
      .map(([k]) => k),
  );

  // 6. Webhooks: each try timed out or was answered; retries spaced by the backoff; one success.
  const webhookRows = pages.filter((n) => n.channel === 'webhook');
  let webhook: CaseFigures['webhook'];
  if (webhookRows.length > 0) {
    const attemptsBy = groupBy(data.attempts, (a) => a.notificationId);
    const spacing: string[] = [];
    for (const row of webhookRows) {
      const tries = [...(attemptsBy.get(row.id) ?? [])].sort(
        (a, b) => a.attemptedAt.getTime() - b.attemptedAt.getTime(),
      );
      for (let k = 1; k < tries.length; k += 1) {
        const previous = tries[k - 1];
        if (previous.outcome !== 'failed') continue;
        const waited =
          tries[k].attemptedAt.getTime() - previous.attemptedAt.getTime() - previous.durationMs;
        const backoff = options.retryBaseMs * 2 ** (k - 1);
        if (waited < backoff - 100)
          spacing.push(`${row.id} try ${k + 1} after ${waited} ms < ${backoff}`);
      }
      if (tries.filter((t) => t.outcome === 'sent').length !== 1 && row.status === 'sent') {
        spacing.push(
          `${row.id} recorded sent ${tries.filter((t) => t.outcome === 'sent').length} times`,
        );
      }
    }
    problem('webhook retries sooner than the backoff', spacing);
    const ours = new Set(webhookRows.map((n) => n.id));
    const hits = data.webhookHits.filter((h) => ours.has(h.deliveryId));
    const answered = groupBy(
      hits.filter((h) => h.status !== undefined),
      (h) => h.deliveryId,
    );
    problem(
      'webhook pages never answered in time',
      webhookRows.filter((n) => !answered.has(n.id)).map((n) => n.id),
    );
    if (!options.allowRedelivery) {
      problem(
        'webhook pages delivered (answered) more than once',
        [...answered].filter(([, list]) => list.length > 1).map(([id]) => id),
      );
    }
    const tries = data.attempts.filter((a) => ours.has(a.notificationId));
    webhook = {
      notifications: webhookRows.length,
      attempts: tries.length,
      timedOut: tries.filter((t) => t.outcome === 'failed').length,
      minAttemptsPerDelivery: Math.min(...webhookRows.map((n) => n.attempts)),
      hits: hits.length,
      distinctDeliveries: new Set(hits.map((h) => h.deliveryId)).size,
    };
  }

  // Latency: level 1 from the breach's due instant to its mail; level 2 from the instant the chain
  // said it was due to its step and its mail.
  const alertById = new Map(data.alerts.map((a) => [a.id, a]));
  const firstMail = (id: string) => mailsByNotification.get(id)?.[0]?.receivedAt;
  const level1Mail: number[] = [];
  const level2Step: number[] = [];
  const level2Mail: number[] = [];
  for (const row of pages) {
    const alert = alertById.get(row.alertId);
    const mailed = firstMail(row.id);
    if (alert === undefined) continue;
    if (row.level === 1 && mailed !== undefined) level1Mail.push(mailed - alert.dueAt.getTime());
    if (row.level === 2) {
      const dueAt = level(alert.id, 1)[0]?.detail.nextStepAt;
      const step = level(alert.id, 2)[0];
      if (dueAt && step) {
        level2Step.push(step.at.getTime() - Date.parse(dueAt));
        if (mailed !== undefined) level2Mail.push(mailed - Date.parse(dueAt));
      }
    }
  }

  const emailIds = new Set(emailRows.map((n) => n.id));
  const sendMs = data.attempts
    .filter((a) => emailIds.has(a.notificationId))
    .map((a) => a.durationMs)
    .sort((a, b) => a - b);

  const figures: CaseFigures = {
    contacts: data.contacts.length,
    events: {
      sent: sentIds.length,
      accepted: data.accepted.size,
      storedOnKafka: acceptedIds.filter((id) => data.stored.has(id)).length,
      applied: acceptedIds.filter((id) => data.applied.has(id)).length,
    },
    breaches: {
      expected: unanswered.length,
      distinct: breachById.size,
      redelivered: breaches.length - breachById.size,
      afterLateReply: afterLateReply.length,
      maxLateMs: max(
        [...breachById.values()].map((e) => Date.parse(e.emittedAt) - Date.parse(e.dueAt)),
      ),
    },
    met: [...metIdsByContact.values()].length,
    alerts: {
      total: data.alerts.length,
      open: data.alerts.filter((a) => a.state === 'open').length,
      acknowledged: data.alerts.filter((a) => a.state === 'acknowledged').length,
      resolved: data.alerts.filter((a) => a.state === 'resolved').length,
    },
    pages: {
      level1: pages.filter((n) => n.level === 1 && n.status === 'sent').length,
      level2: pages.filter((n) => n.level === 2 && n.status === 'sent').length,
      cancelled: pages.filter((n) => n.status === 'cancelled').length,
    },
    mails: {
      pages: ourMails.filter((m) => m.kind === 'page').length,
      distinct: mailsByNotification.size,
      redelivered: redeliveredMails.reduce((sum, [, list]) => sum + list.length - 1, 0),
      resolvedNotes: ourMails.filter((m) => m.kind === 'resolved').length,
    },
    latency: {
      alertMaxMs: max(data.alerts.map((a) => a.createdAt.getTime() - a.dueAt.getTime())),
      level1MailMaxMs: max(level1Mail),
      level2StepMaxLateMs: max(level2Step),
      level2MailMaxLateMs: max(level2Mail),
      emailSendMedianMs: sendMs[Math.floor(sendMs.length / 2)] ?? 0,
      emailSendMaxMs: max(sendMs),
    },
    ...(webhook === undefined ? {} : { webhook }),
  };
  return { figures, problems };
}
