import { randomUUID } from 'node:crypto';
import { contactEventInputSchema, toValidationIssues } from '@replywatch/contracts';
import type { ContactEventInput, ValidationIssue } from '@replywatch/contracts';

type WithOptionalEventId<E> = E extends unknown ? Omit<E, 'eventId'> & { eventId?: string } : never;

/** A contact event as a connector hands it over: the contract's input, `eventId` optional. */
export type ConnectorEvent = WithOptionalEventId<ContactEventInput>;

export interface PreparedEvent {
  eventId: string;
  /** The event's JSON, fixed when queued: later changes to the caller's object are not sent. */
  json: string;
}

export type Preparation =
  { ok: true; event: PreparedEvent } | { ok: false; issues: ValidationIssue[] };

/**
 * Give the event an id if it has none (before any attempt, so retries repeat it), check it against
 * the contract and the connector's source the way ingest will, and serialise it.
 */
export function prepareEvent(
  event: ConnectorEvent,
  source: string | undefined,
  newEventId: () => string = randomUUID,
): Preparation {
  const input: unknown =
    isRecord(event) && event.eventId === undefined ? { ...event, eventId: newEventId() } : event;
  const result = contactEventInputSchema.safeParse(input);
  if (!result.success) return { ok: false, issues: toValidationIssues(result.error) };
  const value = result.data;
  if (source !== undefined && value.source !== undefined && value.source !== source) {
    return {
      ok: false,
      issues: [
        {
          path: 'source',
          code: 'source_mismatch',
          message: `must be "${source}", the source of this client (or left out)`,
        },
      ],
    };
  }
  return { ok: true, event: { eventId: value.eventId, json: JSON.stringify(value) } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
