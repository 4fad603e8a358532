import { TEST_CONNECTOR_KEY } from '../support/stack';

type Channel = 'email' | 'chat' | 'social' | 'phone';

/** What one case posts: `contacts` contacts opened evenly over `durationMs`, most answered in time. */
export interface LoadPlan {
  prefix: string;
  contacts: number;
  durationMs: number;
  channels: readonly Channel[];
  /** Every n-th contact gets no reply: its first response must breach. */
  unansweredEvery: number;
  /** Replies come this long after the contact opened, spread evenly over the range. */
  replyAfterMs: readonly [number, number];
  /** Events per request (ingest accepts up to INGEST_MAX_BATCH, 500). */
  batchSize: number;
  /** Connectors posting side by side; each contact belongs to one (index modulo this). */
  connectors: number;
}

export interface PlannedContact {
  contactId: string;
  channel: Channel;
  openAt: number;
  /** undefined: never answered. */
  replyAt: number | undefined;
}

export interface AcceptedEvent {
  contactId: string;
  type: 'contact.opened' | 'agent.replied';
  occurredAt: number;
  acceptedAt: number;
  /** Requests it took (more than 1: ingest was down, or answered 503, and the batch was retried). */
  attempts: number;
}

interface ContactEventBody {
  eventId: string;
  type: AcceptedEvent['type'];
  contactId: string;
  channel: Channel;
  occurredAt: string;
  data?: { agentId: string };
}

export interface LoadFigures {
  contacts: number;
  unanswered: number;
  eventsSent: number;
  eventsAccepted: number;
  requests: number;
  /** Answers other than 202 (503 KAFKA.UNAVAILABLE while Kafka is away) and connections refused. */
  retriedRequests: number;
  status503: number;
  connectionErrors: number;
  durationMs: number;
}

const TICK_MS = 50;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GIVE_UP_MS = 180000;

/**
 * A connector fleet in one object: posts the plan's events through ingest's POST /v1/events as
 * they fall due, in batches, each batch retried with backoff on 503 or a refused connection (as
 * libs/connector-client does) until ingest answers 202. Only 202 answers count as accepted.
 */
export class LoadGenerator {
  readonly contacts: PlannedContact[];
  readonly accepted = new Map<string, AcceptedEvent>();
  private readonly sent = new Set<string>();
  private requests = 0;
  private retriedRequests = 0;
  private status503 = 0;
  private connectionErrors = 0;
  private startedAt = 0;
  private finishedAt = 0;

  constructor(
    private readonly plan: LoadPlan,
    private readonly ingestUrl: () => string,
  ) {
    this.contacts = Array.from({ length: plan.contacts }, (_, i) => {
      const [minReply, maxReply] = plan.replyAfterMs;
      const answered = i % plan.unansweredEvery !== 0;
      const spread = plan.contacts > 1 ? ((i * 7919) % plan.contacts) / (plan.contacts - 1) : 0;
      return {
        contactId: `${plan.prefix}-${i}`,
        channel: plan.channels[i % plan.channels.length],
        openAt: Math.floor((i * plan.durationMs) / plan.contacts),
        replyAt: answered ? Math.round(minReply + spread * (maxReply - minReply)) : undefined,
      };
    });
    for (const contact of this.contacts) {
      if (contact.replyAt !== undefined) contact.replyAt += contact.openAt;
    }
  }

  /** Post everything; resolves when every event was accepted (or rejects after GIVE_UP_MS). */
  async run(): Promise<void> {
    this.startedAt = Date.now();
    const due: { at: number; connector: number; body: ContactEventBody }[] = [];
    this.contacts.forEach((contact, index) => {
      const connector = index % this.plan.connectors;
      due.push({
        at: contact.openAt,
        connector,
        body: this.body(contact, 'contact.opened', contact.openAt),
      });
      if (contact.replyAt !== undefined) {
        due.push({
          at: contact.replyAt,
          connector,
          body: this.body(contact, 'agent.replied', contact.replyAt),
        });
      }
    });
    due.sort((a, b) => a.at - b.at);
    const queues: ContactEventBody[][] = Array.from({ length: this.plan.connectors }, () => []);
    let producing = true;
    const senders = queues.map((queue) => this.drain(queue, () => producing));
    try {
      for (let next = 0; next < due.length;) {
        const elapsed = Date.now() - this.startedAt;
        while (next < due.length && due[next].at <= elapsed) {
          queues[due[next].connector].push(due[next].body);
          next += 1;
        }
        if (next < due.length) await pause(TICK_MS);
      }
    } finally {
      producing = false;
    }
    await Promise.all(senders);
    this.finishedAt = Date.now();
  }

  /**
   * One connector: one request in flight, retried until accepted before the next goes, so its
   * events reach ingest (and each contact's partition) in the order they happened, as with
   * libs/connector-client.
   */
  private async drain(queue: ContactEventBody[], producing: () => boolean): Promise<void> {
    while (queue.length > 0 || producing()) {
      if (queue.length === 0) {
        await pause(20);
        continue;
      }
      await this.post(queue.splice(0, this.plan.batchSize));
    }
  }

  figures(): LoadFigures {
    return {
      contacts: this.contacts.length,
      unanswered: this.contacts.filter((c) => c.replyAt === undefined).length,
      eventsSent: this.sent.size,
      eventsAccepted: this.accepted.size,
      requests: this.requests,
      retriedRequests: this.retriedRequests,
      status503: this.status503,
      connectionErrors: this.connectionErrors,
      durationMs: this.finishedAt - this.startedAt,
    };
  }

  private body(
    contact: PlannedContact,
    type: AcceptedEvent['type'],
    atOffset: number,
  ): ContactEventBody {
    return {
      eventId: `${contact.contactId}-${type === 'contact.opened' ? 'open' : 'reply'}`,
      type,
      contactId: contact.contactId,
      channel: contact.channel,
      // The plan's instant, not the send time: a retried batch keeps the instants it had.
      occurredAt: new Date(this.startedAt + atOffset).toISOString(),
      ...(type === 'agent.replied' ? { data: { agentId: 'agent-1' } } : {}),
    };
  }

  private async post(events: ContactEventBody[]): Promise<void> {
    for (const event of events) this.sent.add(event.eventId);
    const payload = JSON.stringify(events);
    const deadline = Date.now() + GIVE_UP_MS;
    for (let attempt = 1; ; attempt += 1) {
      this.requests += 1;
      if (attempt > 1) this.retriedRequests += 1;
      let status = 0;
      let answer = '';
      try {
        const response = await fetch(`${this.ingestUrl()}/v1/events`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${TEST_CONNECTOR_KEY}`,
          },
          body: payload,
          signal: AbortSignal.timeout(15000),
        });
        status = response.status;
        answer = await response.text();
      } catch {
        this.connectionErrors += 1; // refused, reset or timed out: ingest is down or was killed
      }
      if (status === 202) {
        const { eventIds } = JSON.parse(answer) as { eventIds: string[] };
        const acceptedAt = Date.now();
        const byId = new Map(events.map((event) => [event.eventId, event]));
        for (const id of eventIds) {
          const event = byId.get(id)!;
          if (!this.accepted.has(id)) {
            this.accepted.set(id, {
              contactId: event.contactId,
              type: event.type,
              occurredAt: Date.parse(event.occurredAt),
              acceptedAt,
              attempts: attempt,
            });
          }
        }
        return;
      }
      if (status === 503) this.status503 += 1;
      else if (status !== 0) throw new Error(`ingest answered ${status}: ${answer.slice(0, 300)}`);
      if (Date.now() > deadline)
        throw new Error(`ingest did not accept a batch in ${GIVE_UP_MS} ms`);
      await pause(Math.min(2000, 100 * 2 ** attempt));
    }
  }
}
