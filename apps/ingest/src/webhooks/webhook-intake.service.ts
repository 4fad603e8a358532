import { Logger } from '@nestjs/common';
import { Topic, topicName, validateContactEventInput } from '@replywatch/contracts';
import type { ContactEvent } from '@replywatch/contracts';
import { deadLetterMessage, deadLetterTopic } from '@replywatch/kafka';
import type { MessagePublisher } from '@replywatch/kafka';
import { AppError } from '@replywatch/platform';
import { contactEventMessage } from '../contact-event.message';
import type { IngestMetrics } from '../ingest.metrics';
import { PROVIDER_ADAPTERS } from './provider-adapters';
import type { ChallengeAnswer, ProviderAdapter, ProviderRequest } from './provider-adapters';
import { accountKey } from './webhook-accounts.config';
import type { WebhookAccount, WebhookAccounts, WebhookProvider } from './webhook-accounts.config';

/** Extra dead-letter headers for webhooks: what a replay needs to run the same parser again. */
export const WEBHOOK_DLQ_HEADERS = {
  provider: 'x-dlq-provider',
  account: 'x-dlq-account',
  contentType: 'x-dlq-content-type',
} as const;

/**
 * The largest body ingest dead-letters whole: the dead letter is one Kafka record, and Kafka's
 * default `message.max.bytes` (1048588) must also hold its headers (reason, content type).
 */
export const MAX_DEAD_LETTER_BODY_BYTES = 1_000_000;

export type WebhookOutcome =
  | { status: 'accepted'; accepted: number; eventIds: string[] }
  | { status: 'ignored'; accepted: 0; reason: string }
  | { status: 'dead-lettered'; accepted: 0; reason: string };

export interface IncomingWebhook {
  provider: string;
  account: string;
  request: ProviderRequest;
}

/**
 * One provider delivery, start to end: find the account, check what the provider signed over the
 * raw bytes, map it, and either publish the events (202 after the Kafka ack), answer that there
 * was nothing to track, or dead-letter an authentic delivery the parser cannot map (202: the
 * provider must not retry it forever; an operator replays it after a fix).
 */
export class WebhookIntakeService {
  private readonly logger = new Logger('webhooks');

  /**
   * `deadLetterPublisher` sends each dead letter on its own (a near-limit dead letter sharing a
   * Kafka request with events would fail them all); it defaults to `publisher`.
   */
  constructor(
    private readonly accounts: WebhookAccounts,
    private readonly publisher: MessagePublisher,
    private readonly topicPrefix: string,
    private readonly metrics: IngestMetrics,
    private readonly deadLetterPublisher: MessagePublisher = publisher,
  ) {}

  /** The source id stamped on events from this account (what heartbeats and metrics name). */
  static sourceOf(provider: string, account: string): string {
    return `${provider}:${account}`;
  }

  replyFor(provider: string): { contentType: string; body: string } | undefined {
    return this.adapter(provider)?.reply;
  }

  async receive({ provider, account, request }: IncomingWebhook): Promise<WebhookOutcome> {
    const { adapter, config } = this.resolve(provider, account);
    const source = WebhookIntakeService.sourceOf(provider, account);

    const check = adapter.verify(request, config);
    if (!check.ok) {
      this.metrics.requestsRejected.inc({ source, code: 'INGEST.SIGNATURE_INVALID' });
      this.logger.warn(`${source}: refused a delivery: ${check.reason}`);
      throw new AppError('INGEST.SIGNATURE_INVALID', `request not authentic: ${check.reason}`, 401);
    }

    const parsed = adapter.parse(request, config);
    switch (parsed.kind) {
      case 'malformed':
        this.metrics.requestsRejected.inc({ source, code: 'INGEST.MALFORMED_PAYLOAD' });
        throw new AppError('INGEST.MALFORMED_PAYLOAD', parsed.reason, 400);
      case 'ignored':
        this.metrics.deliveriesIgnored.inc({ source });
        return { status: 'ignored', accepted: 0, reason: parsed.reason };
      case 'unmappable':
        return this.deadLetter(provider, account, request, parsed.reason);
      case 'events':
        break;
    }

    const events: ContactEvent[] = [];
    for (const input of parsed.events) {
      const valid = validateContactEventInput(input);
      if (!valid.ok) {
        const fields = valid.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
        return this.deadLetter(provider, account, request, `contract refused an event: ${fields}`);
      }
      events.push({ ...valid.value, source, receivedAt: request.receivedAtIso });
    }
    await this.publisher.publish(
      topicName(Topic.ContactEvents, this.topicPrefix),
      events.map(contactEventMessage),
    );
    for (const event of events) {
      this.metrics.eventsAccepted.inc({ source, channel: event.channel, type: event.type });
    }
    return {
      status: 'accepted',
      accepted: events.length,
      eventIds: events.map((event) => event.eventId),
    };
  }

  /** A provider's GET handshake (Meta's hub.challenge, X's CRC). */
  challenge(
    provider: string,
    account: string,
    query: Record<string, string | undefined>,
  ): ChallengeAnswer & { ok: true } {
    const { adapter, config } = this.resolve(provider, account);
    if (adapter.challenge === undefined) {
      throw new AppError(
        'INGEST.NO_HANDSHAKE',
        `${provider} webhooks have no GET handshake; the provider must POST`,
        405,
      );
    }
    const answer = adapter.challenge(query, config);
    if (!answer.ok) {
      const source = WebhookIntakeService.sourceOf(provider, account);
      this.metrics.requestsRejected.inc({ source, code: 'INGEST.CHALLENGE_REFUSED' });
      throw new AppError('INGEST.CHALLENGE_REFUSED', answer.reason, 403);
    }
    return answer;
  }

  private async deadLetter(
    provider: string,
    account: string,
    request: ProviderRequest,
    reason: string,
  ): Promise<WebhookOutcome> {
    const source = WebhookIntakeService.sourceOf(provider, account);
    if (request.rawBody.length > MAX_DEAD_LETTER_BODY_BYTES) {
      // Kafka would refuse the record: say so now rather than answer 503 on every retry.
      this.metrics.requestsRejected.inc({ source, code: 'HTTP.PAYLOAD_TOO_LARGE' });
      throw new AppError(
        'HTTP.PAYLOAD_TOO_LARGE',
        `cannot map this delivery (${reason}) and, at ${request.rawBody.length} bytes, it is larger than a dead letter can be (${MAX_DEAD_LETTER_BODY_BYTES} bytes)`,
        413,
      );
    }
    const message = deadLetterMessage(
      {
        reasonCode: 'INGEST.UNMAPPABLE',
        reason,
        sourceTopic: `webhook:${provider}/${account}`,
        key: source,
        value: request.rawBody,
      },
      'ingest',
      request.nowMs,
    );
    message.headers = {
      ...message.headers,
      [WEBHOOK_DLQ_HEADERS.provider]: provider,
      [WEBHOOK_DLQ_HEADERS.account]: account,
      [WEBHOOK_DLQ_HEADERS.contentType]: request.headers['content-type'] ?? '',
    };
    await this.deadLetterPublisher.publish(deadLetterTopic(Topic.ContactEvents, this.topicPrefix), [
      message,
    ]);
    this.metrics.deadLettered.inc({ source });
    this.logger.warn(`${source}: dead-lettered an authentic delivery: ${reason}`);
    return { status: 'dead-lettered', accepted: 0, reason };
  }

  private adapter(provider: string): ProviderAdapter<WebhookProvider> | undefined {
    return Object.hasOwn(PROVIDER_ADAPTERS, provider)
      ? (PROVIDER_ADAPTERS[provider as WebhookProvider] as ProviderAdapter<WebhookProvider>)
      : undefined;
  }

  private resolve(
    provider: string,
    account: string,
  ): { adapter: ProviderAdapter<WebhookProvider>; config: WebhookAccount } {
    const adapter = this.adapter(provider);
    if (adapter === undefined) {
      this.metrics.requestsRejected.inc({ source: 'unknown', code: 'INGEST.UNKNOWN_PROVIDER' });
      throw new AppError(
        'INGEST.UNKNOWN_PROVIDER',
        `no provider "${provider}"; expected one of ${Object.keys(PROVIDER_ADAPTERS).join(', ')}`,
        404,
      );
    }
    const config = this.accounts.get(accountKey(provider, account));
    if (config === undefined) {
      this.metrics.requestsRejected.inc({ source: 'unknown', code: 'INGEST.UNKNOWN_ACCOUNT' });
      throw new AppError(
        'INGEST.UNKNOWN_ACCOUNT',
        `no ${provider} account "${account}" is configured (WEBHOOK_ACCOUNTS_FILE)`,
        404,
      );
    }
    return { adapter, config };
  }
}
