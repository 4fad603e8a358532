import type { ContactEventInput } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';
import {
  describeIssues,
  instantFromSeconds,
  parseJson,
  previewOf,
  stableId,
} from '../social-event.helpers';
import { contractChecked } from './chat-event.validator';
import type { ChatParseOptions } from './chat-parse.options';
import { htmlToText } from './html-text.extractor';
import {
  CUSTOMER_AUTHOR_TYPES,
  assigneeOf,
  channelOf,
  customerOf,
  lastPart,
  sourceOf,
} from './intercom-conversation.reader';
import {
  intercomConversationSchema,
  intercomNotificationSchema,
  type IntercomAuthor,
  type IntercomConversation,
  type IntercomNotification,
  type IntercomPart,
} from './intercom-notification.schema';

type Mapped =
  | { kind: 'event'; event: ContactEventInput }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unmappable'; reason: string };

interface Delivery {
  notification: IntercomNotification;
  conversation: IntercomConversation;
  options: ChatParseOptions;
}

/** What the event is anchored on: the part (or first message) the notification is about. */
interface Anchor {
  id?: string | null;
  createdAt?: number | null;
}

type TopicRule =
  { kind: 'ignore'; reason: string } | { kind: 'map'; map: (delivery: Delivery) => Mapped };

const ignore = (reason: string): TopicRule => ({ kind: 'ignore', reason });
const map = (mapper: (delivery: Delivery) => Mapped): TopicRule => ({ kind: 'map', map: mapper });

/**
 * Topics and what they mean for the SLA clocks. The topic says what happened; the conversation in
 * `data.item` carries the part that did it (its id, author and time), read where it is present.
 * Any other topic is unmappable: subscribe only to these.
 */
const TOPIC_RULES: ReadonlyMap<string, TopicRule> = new Map([
  ['ping', ignore('intercom ping (subscription check)')],
  // A note is visible to teammates only: the customer is still waiting.
  ['conversation.admin.noted', ignore('internal note: not a reply the customer sees')],
  ['conversation.user.created', map(customerOpened)],
  ['conversation.user.replied', map(customerReplied)],
  ['conversation.admin.replied', map(adminReplied)],
  // An outbound 1:1 message from a teammate: the business has spoken, nobody is waiting yet.
  ['conversation.admin.single.created', map(adminStarted)],
  ['conversation.admin.assigned', map(assigned)],
  ['conversation.admin.snoozed', map(snoozed)],
  ['conversation.admin.unsnoozed', map(state('contact.resumed', ['unsnoozed', 'timer_unsnooze']))],
  ['conversation.admin.closed', map(state('contact.resolved', ['close']))],
  ['conversation.admin.opened', map(state('contact.reopened', ['open']))],
]);

/**
 * One authentic Intercom webhook notification as contact events (at most one per notification).
 * Contacts are conversations: `intercom:<account>:<conversation id>`. Event ids come from the part
 * the notification is about, `intercom:<account>:<conversation>:<topic>:<part id>`, so a retry
 * (Intercom resends the same notification, counting `delivery_attempts`) and a second notification
 * for the same part both dedupe; a notification without that part falls back to its own id.
 */
export function parseIntercomWebhook(rawBody: Buffer, options: ChatParseOptions): ParseResult {
  const json = parseJson(rawBody);
  if (!json.ok) return { kind: 'malformed', reason: 'body is not JSON' };
  const envelope = intercomNotificationSchema.safeParse(json.value);
  if (!envelope.success) {
    return {
      kind: 'malformed',
      reason: `not an Intercom notification: ${describeIssues(envelope.error)}`,
    };
  }
  const notification = envelope.data;
  const rule = TOPIC_RULES.get(notification.topic);
  if (rule === undefined) {
    return { kind: 'unmappable', reason: `unsupported Intercom topic '${notification.topic}'` };
  }
  if (rule.kind === 'ignore') return { kind: 'ignored', reason: rule.reason };
  const conversation = intercomConversationSchema.safeParse(notification.data.item);
  if (!conversation.success) {
    return {
      kind: 'unmappable',
      reason: `${notification.topic} without a readable conversation: ${describeIssues(conversation.error)}`,
    };
  }
  const mapped = rule.map({ notification, conversation: conversation.data, options });
  return mapped.kind === 'event' ? contractChecked([mapped.event]) : mapped;
}

function customerOpened(delivery: Delivery): Mapped {
  const { conversation, options } = delivery;
  const source = sourceOf(conversation);
  const include = options.includePreview === true;
  const subject = previewOf(htmlToText(source?.subject ?? ''), include);
  const preview = previewOf(htmlToText(source?.body ?? ''), include);
  const data = {
    ...(subject === undefined ? {} : { subject }),
    ...(preview === undefined ? {} : { preview }),
  };
  // The first message is the conversation's source: its time is the conversation's.
  return withBase(delivery, { id: source?.id, createdAt: conversation.created_at }, (base) => ({
    ...base,
    type: 'contact.opened',
    ...withCustomer(conversation, source?.author),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  }));
}

function customerReplied(delivery: Delivery): Mapped {
  const { conversation, options } = delivery;
  const part = lastPart(conversation, (candidate) => isCustomer(candidate.author));
  const preview = previewOf(htmlToText(part?.body ?? ''), options.includePreview === true);
  return withBase(delivery, anchorOf(part), (base) => ({
    ...base,
    type: 'customer.replied',
    ...withCustomer(conversation, part?.author),
    ...(preview === undefined ? {} : { data: { preview } }),
  }));
}

/**
 * A teammate's reply. Bots (Fin, Operator auto-replies such as "we typically reply in a few
 * hours") and messages sent as a team are automated: they answer nobody, so they are ignored.
 */
function adminReplied(delivery: Delivery): Mapped {
  const { conversation } = delivery;
  const part = lastPart(conversation, isReplyByBusiness);
  const authorType = part?.author?.type;
  if (authorType !== undefined && authorType !== 'admin') {
    return { kind: 'ignored', reason: `automated reply by a ${authorType}: not an agent reply` };
  }
  return withBase(delivery, anchorOf(part), (base) => ({
    ...base,
    type: 'agent.replied',
    ...withCustomer(conversation),
    ...agentData(part?.author),
  }));
}

function adminStarted(delivery: Delivery): Mapped {
  const { conversation } = delivery;
  const source = sourceOf(conversation);
  return withBase(delivery, { id: source?.id, createdAt: conversation.created_at }, (base) => ({
    ...base,
    type: 'agent.replied',
    ...withCustomer(conversation),
    ...agentData(source?.author),
  }));
}

function assigned(delivery: Delivery): Mapped {
  const { conversation } = delivery;
  const part = lastPart(
    conversation,
    (candidate) => candidate.part_type.includes('assign') || Boolean(candidate.assigned_to?.id),
  );
  const assignee = assigneeOf(conversation, part);
  if (assignee === undefined) return { kind: 'ignored', reason: 'conversation assigned to nobody' };
  return withBase(delivery, anchorOf(part), (base) => ({
    ...base,
    type: 'contact.assigned',
    ...withCustomer(conversation),
    data: assignee,
  }));
}

/**
 * Snoozing hides a conversation until a set time or until someone replies; Intercom advises
 * snoozing after each message sent while "waiting on more information from a customer or another
 * teammate" (https://www.intercom.com/help/en/articles/883709-snooze-a-conversation). So a snooze
 * after a teammate's reply pauses the clocks (`waiting_since` is null: "Set to null if last reply
 * is from an Admin"), and the customer's reply or the unsnooze resumes them. A snooze while the
 * customer still awaits a reply (`waiting_since` set) is the business parking its own work, like
 * Zendesk's On-hold: it pauses nothing, or a snooze could hide a late reply.
 */
function snoozed(delivery: Delivery): Mapped {
  const { conversation } = delivery;
  if (conversation.waiting_since !== undefined && conversation.waiting_since !== null) {
    return {
      kind: 'ignored',
      reason: 'snoozed while the customer awaits a reply: the clocks keep running',
    };
  }
  return state('contact.waiting_on_customer', ['snoozed'])(delivery);
}

type StateEventType =
  'contact.waiting_on_customer' | 'contact.resumed' | 'contact.resolved' | 'contact.reopened';

/** A state change, anchored on the part of one of `partTypes` that records it. */
function state(type: StateEventType, partTypes: readonly string[]) {
  return (delivery: Delivery): Mapped => {
    const { conversation } = delivery;
    const part = lastPart(conversation, (candidate) => partTypes.includes(candidate.part_type));
    return withBase(delivery, anchorOf(part), (base) => ({
      ...base,
      type,
      ...withCustomer(conversation),
    }));
  };
}

type Base = Pick<ContactEventInput, 'eventId' | 'contactId' | 'channel' | 'occurredAt'>;

function withBase(
  { notification, conversation, options }: Delivery,
  anchor: Anchor,
  build: (base: Base) => ContactEventInput,
): Mapped {
  // The part's own time when the notification carries it, else when Intercom raised the notification.
  const occurredAt = instantFromSeconds(anchor.createdAt ?? notification.created_at);
  if (occurredAt === undefined) {
    return { kind: 'unmappable', reason: `${notification.topic} without a valid created_at` };
  }
  const eventId = anchor.id
    ? stableId('intercom', options.account, conversation.id, notification.topic, anchor.id)
    : stableId('intercom', options.account, notification.id);
  return {
    kind: 'event',
    event: build({
      eventId,
      contactId: stableId('intercom', options.account, conversation.id),
      channel: channelOf(conversation),
      occurredAt,
    }),
  };
}

function anchorOf(part: IntercomPart | undefined): Anchor {
  return { id: part?.id, createdAt: part?.created_at };
}

function withCustomer(conversation: IntercomConversation, author?: IntercomAuthor | null) {
  const customer = customerOf(conversation, author);
  return customer === undefined ? {} : { customer };
}

function agentData(author: IntercomAuthor | null | undefined) {
  return author?.type === 'admin' && author.id ? { data: { agentId: author.id } } : {};
}

function isCustomer(author: IntercomAuthor | null | undefined): boolean {
  return author !== null && author !== undefined && CUSTOMER_AUTHOR_TYPES.has(author.type);
}

/** A message from the business side: not the customer's, not a note, and with something to read. */
function isReplyByBusiness(part: IntercomPart): boolean {
  if (part.author === null || part.author === undefined || isCustomer(part.author)) return false;
  if (part.part_type === 'note') return false;
  return part.part_type === 'comment' || htmlToText(part.body ?? '').trim() !== '';
}
