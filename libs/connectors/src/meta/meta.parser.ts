import type { ParseResult } from '../connector.types';
import { DeliveryOutcome } from '../delivery-outcome';
import { mapInstagramCommentChange, mapPageFeedChange } from './meta-comment.mapper';
import { mapMessagingEvents } from './meta-messaging.mapper';
import type { MetaEntry, MetaParseOptions } from './meta-payload.schema';
import {
  changesOf,
  metaChangeSchema,
  metaEntrySchema,
  metaEnvelopeSchema,
} from './meta-payload.schema';
import { describeIssues, parseJson } from '../social-event.helpers';
import { WHATSAPP_ACCOUNT_FIELDS, mapWhatsAppMessagesChange } from './whatsapp.mapper';

export type { MetaParseOptions } from './meta-payload.schema';

const SUPPORTED_OBJECTS = ['page', 'instagram', 'whatsapp_business_account'] as const;
type SupportedObject = (typeof SUPPORTED_OBJECTS)[number];

function isSupportedObject(object: string): object is SupportedObject {
  return (SUPPORTED_OBJECTS as readonly string[]).includes(object);
}

/**
 * One authentic Meta webhook delivery (Messenger, Instagram or WhatsApp Cloud API) as contact
 * events. A delivery can hold several entries, each with several messages or changes.
 */
export function parseMetaWebhook(rawBody: Buffer, options: MetaParseOptions = {}): ParseResult {
  const json = parseJson(rawBody);
  if (!json.ok) return { kind: 'malformed', reason: 'body is not JSON' };
  const envelope = metaEnvelopeSchema.safeParse(json.value);
  if (!envelope.success) {
    return { kind: 'malformed', reason: `not a Meta webhook: ${describeIssues(envelope.error)}` };
  }
  const { object, entry: entries } = envelope.data;
  if (!isSupportedObject(object)) {
    return { kind: 'unmappable', reason: `unsupported webhook object '${object}'` };
  }
  const outcome = new DeliveryOutcome();
  for (const raw of entries) {
    const entry = metaEntrySchema.safeParse(raw);
    if (!entry.success) {
      outcome.reject(`malformed ${object} entry: ${describeIssues(entry.error)}`);
      continue;
    }
    switch (object) {
      case 'page':
        mapMessagingEvents('messenger', entry.data, outcome, options);
        mapChanges(entry.data, outcome, (change) => {
          if (change.field === 'feed')
            mapPageFeedChange(entry.data, change.value, outcome, options);
          else outcome.reject(`unsupported page field '${change.field}'`);
        });
        break;
      case 'instagram':
        mapMessagingEvents('instagram', entry.data, outcome, options);
        mapChanges(entry.data, outcome, (change) => {
          if (change.field === 'comments' || change.field === 'live_comments') {
            mapInstagramCommentChange(entry.data, change.value, outcome, options);
          } else outcome.reject(`unsupported instagram field '${change.field}'`);
        });
        break;
      case 'whatsapp_business_account':
        mapChanges(entry.data, outcome, (change) => {
          if (change.field === 'messages')
            mapWhatsAppMessagesChange(change.value, outcome, options);
          else if (WHATSAPP_ACCOUNT_FIELDS.has(change.field)) {
            outcome.ignore(`whatsapp ${change.field} notification`);
          } else outcome.reject(`unsupported whatsapp field '${change.field}'`);
        });
        break;
    }
  }
  return outcome.result();
}

function mapChanges(
  entry: MetaEntry,
  outcome: DeliveryOutcome,
  map: (change: { field: string; value: unknown }) => void,
): void {
  for (const raw of changesOf(entry)) {
    const change = metaChangeSchema.safeParse(raw);
    if (change.success) map(change.data);
    else outcome.reject(`malformed change: ${describeIssues(change.error)}`);
  }
}
