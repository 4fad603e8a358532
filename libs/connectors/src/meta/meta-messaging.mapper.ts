import { z } from 'zod';
import type { DeliveryOutcome } from '../delivery-outcome';
import type { MetaEntry, MetaParseOptions } from './meta-payload.schema';
import {
  describeIssues,
  instantFromMs,
  previewOf,
  providerIdSchema,
  stableId,
} from '../social-event.helpers';

const messageEventSchema = z.object({
  sender: z.object({ id: providerIdSchema }),
  recipient: z.object({ id: providerIdSchema }),
  timestamp: z.number(),
  message: z.object({
    mid: z.string().min(1),
    is_echo: z.boolean().optional(),
    is_deleted: z.boolean().optional(),
    text: z.string().optional(),
  }),
});

/** Messaging events that are understood and are not a message: receipts, reactions, buttons. */
const IGNORED_EVENT_KEYS = [
  'delivery',
  'read',
  'reaction',
  'postback',
  'optin',
  'referral',
  'message_edit',
  'account_linking',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'app_roles',
  'policy_enforcement',
  'response_feedback',
  'messaging_feedback',
  'game_play',
] as const;

export type MessagingPlatform = 'messenger' | 'instagram';

/**
 * Messenger (`object: page`) and Instagram (`object: instagram`) direct messages share one shape.
 * A message from the customer is `customer.replied`; an echo (`is_echo`, sent by the business from
 * any app or inbox) is `agent.replied`. The contact is one per account and customer:
 * `meta:<page or IG account id>:<PSID or IGSID>`.
 */
export function mapMessagingEvents(
  platform: MessagingPlatform,
  entry: MetaEntry,
  outcome: DeliveryOutcome,
  options: MetaParseOptions,
): void {
  for (const item of [...(entry.messaging ?? []), ...(entry.standby ?? [])]) {
    mapMessagingEvent(platform, entry.id, item, outcome, options);
  }
}

function mapMessagingEvent(
  platform: MessagingPlatform,
  accountId: string,
  item: unknown,
  outcome: DeliveryOutcome,
  options: MetaParseOptions,
): void {
  const keys = item !== null && typeof item === 'object' ? Object.keys(item) : [];
  if (!keys.includes('message')) {
    const known = IGNORED_EVENT_KEYS.find((key) => keys.includes(key));
    if (known !== undefined) outcome.ignore(`${platform} ${known} event`);
    else outcome.reject(`unknown ${platform} messaging event (keys: ${keys.join(', ')})`);
    return;
  }
  const parsed = messageEventSchema.safeParse(item);
  if (!parsed.success) {
    outcome.reject(`malformed ${platform} message: ${describeIssues(parsed.error)}`);
    return;
  }
  const { sender, recipient, timestamp, message } = parsed.data;
  if (message.is_deleted === true) {
    outcome.ignore(`${platform} message unsent by the customer`);
    return;
  }
  const occurredAt = instantFromMs(timestamp);
  if (occurredAt === undefined) {
    outcome.reject(`${platform} message with an invalid timestamp`);
    return;
  }
  const echo = message.is_echo === true;
  const customerId = echo ? recipient.id : sender.id;
  const base = {
    eventId: stableId('meta', message.mid),
    contactId: stableId('meta', accountId, customerId),
    channel: 'social' as const,
    occurredAt,
    customer: { id: `${platform === 'instagram' ? 'ig' : 'fb'}:${customerId}` },
  };
  if (echo) {
    outcome.add({ ...base, type: 'agent.replied' });
    return;
  }
  const preview = previewOf(message.text, options.includePreview === true);
  outcome.add({
    ...base,
    type: 'customer.replied',
    ...(preview === undefined ? {} : { data: { preview } }),
  });
}
