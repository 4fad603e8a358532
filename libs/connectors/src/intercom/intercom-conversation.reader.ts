import type { Channel, ContactEventInput } from '@replywatch/contracts';
import { z } from 'zod';
import type {
  IntercomAuthor,
  IntercomConversation,
  IntercomPart,
  IntercomSource,
} from './intercom-notification.schema';

type Customer = NonNullable<ContactEventInput['customer']>;

/**
 * `source.type` names where the conversation started. Intercom documents conversation, email,
 * facebook, instagram, phone_call, phone_switch, push, sms, twitter and whatsapp.
 *
 * | source.type                            | channel  | why                                     |
 * | -------------------------------------- | -------- | --------------------------------------- |
 * | conversation, push                     | `chat`   | the Messenger, web or mobile            |
 * | sms, phone_switch                      | `chat`   | texts; Phone Switch moves a call to SMS |
 * | email                                  | `email`  |                                         |
 * | facebook, instagram, twitter, whatsapp | `social` |                                         |
 * | phone_call                             | `phone`  |                                         |
 * | anything else, or no source            | `chat`   | Intercom is a chat product first        |
 *
 * `delivered_as` (customer_initiated, admin_initiated, operator_initiated, automated, …) says who
 * started the conversation, not where, so it does not change the channel.
 */
const CHANNEL_BY_SOURCE_TYPE: ReadonlyMap<string, Channel> = new Map([
  ['conversation', 'chat'],
  ['push', 'chat'],
  ['sms', 'chat'],
  ['phone_switch', 'chat'],
  ['email', 'email'],
  ['facebook', 'social'],
  ['instagram', 'social'],
  ['twitter', 'social'],
  ['whatsapp', 'social'],
  ['phone_call', 'phone'],
]);

export const CUSTOMER_AUTHOR_TYPES: ReadonlySet<string> = new Set(['user', 'lead', 'contact']);
const emailSchema = z.email();

/** The message that opened the conversation, whichever API version shaped the payload. */
export function sourceOf(conversation: IntercomConversation): IntercomSource | undefined {
  return conversation.source ?? conversation.conversation_message ?? undefined;
}

export function channelOf(conversation: IntercomConversation): Channel {
  const type = sourceOf(conversation)?.type?.toLowerCase() ?? '';
  return CHANNEL_BY_SOURCE_TYPE.get(type) ?? 'chat';
}

/** The parts carried by the notification, oldest first (the triggering part is among the last). */
export function partsOf(conversation: IntercomConversation): IntercomPart[] {
  return conversation.conversation_parts?.conversation_parts ?? [];
}

/** The last part that satisfies `matches`: the one the notification is about. */
export function lastPart(
  conversation: IntercomConversation,
  matches: (part: IntercomPart) => boolean,
): IntercomPart | undefined {
  return partsOf(conversation).findLast(matches);
}

interface Person {
  id: string;
  email?: string | null;
}

/**
 * The customer of the conversation: the author of the part when a customer wrote it, else the
 * author of the first message, the 1.x `user`, or the first listed contact. The email comes from
 * the same person (lower-cased, kept only when it is an address); Intercom sends no phone here.
 */
export function customerOf(
  conversation: IntercomConversation,
  author?: IntercomAuthor | null,
): Customer | undefined {
  const people: Person[] = [];
  const addAuthor = (candidate: IntercomAuthor | null | undefined) => {
    if (candidate?.id && CUSTOMER_AUTHOR_TYPES.has(candidate.type)) {
      people.push({ id: candidate.id, email: candidate.email });
    }
  };
  addAuthor(author);
  addAuthor(sourceOf(conversation)?.author);
  addAuthor(conversation.user);
  for (const contact of [...(conversation.contacts ?? []), ...(conversation.customers ?? [])]) {
    if (contact.id) people.push({ id: contact.id });
  }
  const first = people[0];
  if (first === undefined) return undefined;
  const email = people
    .filter((person) => person.id === first.id)
    .map((person) => normaliseEmail(person.email))
    .find((value) => value !== undefined);
  return { id: `intercom:${first.id}`, ...(email === undefined ? {} : { email }) };
}

function normaliseEmail(raw: string | null | undefined): string | undefined {
  const email = raw?.trim().toLowerCase();
  return email && emailSchema.safeParse(email).success ? email : undefined;
}

/** The admin or team a conversation is assigned to after an assignment part, if any. */
export function assigneeOf(
  conversation: IntercomConversation,
  part: IntercomPart | undefined,
): { agentId?: string; team?: string } | undefined {
  const target = part?.assigned_to;
  if (target?.id && isSomeone(target.id)) {
    if (target.type === 'admin') return { agentId: target.id };
    if (target.type === 'team') return { team: target.id };
  }
  const agentId = conversation.admin_assignee_id ?? adminOf(conversation.assignee);
  const team = conversation.team_assignee_id ?? undefined;
  const assignee = {
    ...(agentId && isSomeone(agentId) ? { agentId } : {}),
    ...(team && isSomeone(team) ? { team } : {}),
  };
  return Object.keys(assignee).length > 0 ? assignee : undefined;
}

function adminOf(assignee: IntercomConversation['assignee']): string | undefined {
  return assignee?.type === 'admin' && assignee.id ? assignee.id : undefined;
}

/** Intercom writes "nobody" as a missing id or `0`. */
function isSomeone(id: string): boolean {
  return id !== '0';
}
