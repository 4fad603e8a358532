import { z } from 'zod';
import type { DeliveryOutcome } from '../delivery-outcome';
import type { MetaParseOptions } from './meta-payload.schema';
import {
  describeIssues,
  e164FromWaId,
  instantFromSeconds,
  previewOf,
  providerIdSchema,
  stableId,
} from '../social-event.helpers';

const messagesValueSchema = z.object({
  metadata: z.object({ phone_number_id: providerIdSchema }),
  contacts: z.array(z.object({ wa_id: z.string().optional() })).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

const inboundMessageSchema = z.object({
  id: z.string().min(1),
  from: z.string().min(1).optional(),
  timestamp: z.union([z.string(), z.number()]),
  type: z.string(),
  text: z.object({ body: z.string() }).optional(),
});

/** Message types that are not a customer asking something: reactions, number-change notices. */
const IGNORED_MESSAGE_TYPES = new Set(['reaction', 'system']);

/** Account and template notifications on the same webhook: authentic, never a contact. */
export const WHATSAPP_ACCOUNT_FIELDS = new Set([
  'account_alerts',
  'account_review_update',
  'account_update',
  'business_capability_update',
  'message_template_quality_update',
  'message_template_status_update',
  'phone_number_name_update',
  'phone_number_quality_update',
  'template_category_update',
]);

/**
 * The `messages` field of a WhatsApp Business Account. Each inbound message is `customer.replied`
 * on `whatsapp:<phone_number_id>:<wa_id>`; `statuses` (sent/delivered/read/failed receipts of the
 * business's own messages) are ignored.
 */
export function mapWhatsAppMessagesChange(
  value: unknown,
  outcome: DeliveryOutcome,
  options: MetaParseOptions,
): void {
  const parsed = messagesValueSchema.safeParse(value);
  if (!parsed.success) {
    outcome.reject(`malformed whatsapp messages change: ${describeIssues(parsed.error)}`);
    return;
  }
  const { metadata, contacts, messages, statuses, errors } = parsed.data;
  if (statuses !== undefined && statuses.length > 0) outcome.ignore('whatsapp message statuses');
  if (errors !== undefined && errors.length > 0) outcome.ignore('whatsapp errors notification');
  const onlyContact = contacts?.length === 1 ? contacts[0].wa_id : undefined;
  for (const raw of messages ?? []) {
    const message = inboundMessageSchema.safeParse(raw);
    if (!message.success) {
      outcome.reject(`malformed whatsapp message: ${describeIssues(message.error)}`);
      continue;
    }
    const { id, from, timestamp, type, text } = message.data;
    if (IGNORED_MESSAGE_TYPES.has(type)) {
      outcome.ignore(`whatsapp ${type} message`);
      continue;
    }
    const waId = from ?? onlyContact;
    if (waId === undefined) {
      outcome.reject('whatsapp message without a sender (from / contacts[].wa_id)');
      continue;
    }
    const occurredAt = instantFromSeconds(timestamp);
    if (occurredAt === undefined) {
      outcome.reject('whatsapp message with an invalid timestamp');
      continue;
    }
    const phone = e164FromWaId(waId);
    const preview = previewOf(text?.body, options.includePreview === true);
    outcome.add({
      eventId: stableId('whatsapp', id),
      contactId: stableId('whatsapp', metadata.phone_number_id, waId),
      channel: 'social',
      type: 'customer.replied',
      occurredAt,
      customer: phone === undefined ? { id: `wa:${waId}` } : { phone },
      ...(preview === undefined ? {} : { data: { preview } }),
    });
  }
}
