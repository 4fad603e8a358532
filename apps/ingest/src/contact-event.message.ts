import type { ContactEvent } from '@replywatch/contracts';
import type { Message } from 'kafkajs';

/** A contact event as it goes on `contact-events.v1`: keyed by contact, so one contact stays in order. */
export function contactEventMessage(event: ContactEvent): Message {
  return {
    key: event.contactId,
    value: JSON.stringify(event),
    headers: {
      type: event.type,
      schemaVersion: String(event.schemaVersion),
      source: event.source,
    },
  };
}
