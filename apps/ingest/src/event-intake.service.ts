import {
  CONTACT_EVENT_TYPES,
  Topic,
  topicName,
  validateContactEventInput,
} from '@replywatch/contracts';
import type { ContactEvent, ValidationIssue } from '@replywatch/contracts';
import type { MessagePublisher } from '@replywatch/kafka';
import { AppError } from '@replywatch/platform';
import { contactEventMessage } from './contact-event.message';
import type { IngestMetrics } from './ingest.metrics';

export interface IntakeResult {
  accepted: number;
  eventIds: string[];
}

const KNOWN_TYPES = new Set<string>(CONTACT_EVENT_TYPES);

/**
 * The generic connector API: parse, validate and normalise a body of one event or a batch, then
 * publish it. A batch is all-or-nothing: one bad event rejects the request, and nothing is
 * reported accepted before Kafka acknowledged it.
 */
export class EventIntakeService {
  constructor(
    private readonly publisher: MessagePublisher,
    private readonly topicPrefix: string,
    private readonly maxBatch: number,
    private readonly metrics?: IngestMetrics,
    private readonly now: () => number = Date.now,
  ) {}

  async intake(body: Buffer, source: string): Promise<IntakeResult> {
    const events = this.normalise(this.parse(body), source);
    await this.publisher.publish(
      topicName(Topic.ContactEvents, this.topicPrefix),
      events.map(contactEventMessage),
    );
    for (const event of events) {
      this.metrics?.eventsAccepted.inc({ source, channel: event.channel, type: event.type });
    }
    return { accepted: events.length, eventIds: events.map((event) => event.eventId) };
  }

  private parse(body: Buffer): unknown {
    if (body.length === 0) {
      throw new AppError(
        'INGEST.INVALID_JSON',
        'empty body: send one event object or an array of them',
        400,
      );
    }
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch (error) {
      throw new AppError(
        'INGEST.INVALID_JSON',
        `body is not valid JSON: ${(error as Error).message}`,
        400,
      );
    }
  }

  private normalise(parsed: unknown, source: string): ContactEvent[] {
    const isBatch = Array.isArray(parsed);
    const items: unknown[] = isBatch ? parsed : [parsed];
    if (items.length === 0)
      throw new AppError('INGEST.EMPTY_BATCH', 'the batch holds no events', 400);
    if (items.length > this.maxBatch) {
      throw new AppError(
        'INGEST.BATCH_TOO_LARGE',
        `a batch holds at most ${this.maxBatch} events; this one has ${items.length}`,
        400,
      );
    }
    const receivedAt = new Date(this.now()).toISOString();
    const issues: ValidationIssue[] = [];
    const events: ContactEvent[] = [];
    items.forEach((item, index) => {
      const prefix = isBatch ? `[${index}]` : '';
      const typeIssue = unknownTypeIssue(item, prefix);
      if (typeIssue) {
        issues.push(typeIssue);
        return;
      }
      const result = validateContactEventInput(item, prefix);
      if (!result.ok) {
        issues.push(...result.issues);
        return;
      }
      if (result.value.source !== undefined && result.value.source !== source) {
        issues.push({
          path: `${prefix}${prefix ? '.' : ''}source`,
          code: 'source_mismatch',
          message: `must be "${source}", the source of the connector key (or left out)`,
        });
        return;
      }
      events.push({ ...result.value, source, receivedAt });
    });
    if (issues.length > 0) {
      throw new AppError(
        'INGEST.INVALID_EVENT',
        `${issues.length} problem(s) in the request; nothing was accepted`,
        400,
        issues,
      );
    }
    return events;
  }
}

/** A clearer reason than "no matching discriminator" for the most common connector mistake. */
function unknownTypeIssue(item: unknown, prefix: string): ValidationIssue | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const type = (item as { type?: unknown }).type;
  if (type === undefined || (typeof type === 'string' && KNOWN_TYPES.has(type))) return undefined;
  return {
    path: `${prefix}${prefix ? '.' : ''}type`,
    code: 'unknown_type',
    message: `unknown event type ${describeType(type)}; expected one of ${CONTACT_EVENT_TYPES.join(', ')}`,
  };
}

/**
 * The refused type as the message quotes it. Never an object or array as JSON: a deeply nested
 * one overflows the stack in JSON.stringify (a 500 for bad input), and a big one would be echoed.
 */
function describeType(type: unknown): string {
  if (typeof type === 'object' && type !== null)
    return Array.isArray(type) ? '(an array)' : '(an object)';
  const text = JSON.stringify(type) ?? String(type);
  return text.length > 120 ? `${text.slice(0, 120)}…` : text;
}
