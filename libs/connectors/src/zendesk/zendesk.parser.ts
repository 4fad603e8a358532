import type { ContactEventInput, Priority } from '@replywatch/contracts';
import type { ParseResult } from '../connector.types';
import { contractChecked } from '../intercom/chat-event.validator';
import type { ChatParseOptions } from '../intercom/chat-parse.options';
import { describeIssues, parseJson, previewOf, stableId } from '../social-event.helpers';
import { parseIsoInstant } from './iso-instant.parser';
import { channelOfVia } from './zendesk-channel.mapper';
import {
  ZENDESK_EVENT_TYPE_PREFIX,
  zendeskChangeEventSchema,
  zendeskCommentEventSchema,
  zendeskEventSchema,
  zendeskTicketSchema,
  type ZendeskEvent,
  type ZendeskTicket,
} from './zendesk-event.schema';

type Mapped =
  | { kind: 'events'; events: ContactEventInput[] }
  | { kind: 'ignored'; reason: string }
  | { kind: 'unmappable'; reason: string };

interface Delivery {
  envelope: ZendeskEvent;
  ticket: ZendeskTicket;
  ticketId: string;
  occurredAt: string;
  options: ChatParseOptions;
}

type StateEventType =
  'contact.waiting_on_customer' | 'contact.resumed' | 'contact.resolved' | 'contact.reopened';

const TICKET_SUBJECT = /^zen:ticket:([\x21-\x7e]+)$/;
const PRIORITIES: ReadonlySet<string> = new Set<Priority>(['low', 'normal', 'high', 'urgent']);
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'] as const;
type Status = (typeof STATUSES)[number];

const RULES: ReadonlyMap<string, (delivery: Delivery) => Mapped> = new Map([
  ['ticket.created', ticketCreated],
  ['ticket.comment_added', commentAdded],
  ['ticket.status_changed', statusChanged],
  ['ticket.agent_assignment_changed', agentAssignmentChanged],
]);

/**
 * One authentic Zendesk event-webhook request (event subscriptions, `zen:event-type:ticket.*`) as
 * contact events. Contacts are tickets: `zendesk:<account>:<ticket id>`. Event ids are the event's
 * own `id`, part of the payload that Zendesk resends when it retries a failed request
 * (https://developer.zendesk.com/api-reference/webhooks/introduction, "Webhook retries"), so a retry
 * dedupes whatever its signature timestamp. Every event carries the ticket's
 * priority when it has one (Zendesk's low/normal/high/urgent are the contract's), so a priority
 * change in Zendesk re-selects the SLA policy with the next event.
 */
export function parseZendeskWebhook(rawBody: Buffer, options: ChatParseOptions): ParseResult {
  const json = parseJson(rawBody);
  if (!json.ok) return { kind: 'malformed', reason: 'body is not JSON' };
  const parsed = zendeskEventSchema.safeParse(json.value);
  if (!parsed.success) {
    return { kind: 'malformed', reason: `not a Zendesk event: ${describeIssues(parsed.error)}` };
  }
  const envelope = parsed.data;
  const rule = RULES.get(envelope.type.slice(ZENDESK_EVENT_TYPE_PREFIX.length));
  if (rule === undefined) {
    return { kind: 'unmappable', reason: `unsupported Zendesk event type '${envelope.type}'` };
  }
  const ticket = zendeskTicketSchema.safeParse(envelope.detail);
  if (!ticket.success) {
    return {
      kind: 'unmappable',
      reason: `${envelope.type} with an unreadable ticket: ${describeIssues(ticket.error)}`,
    };
  }
  const ticketId = TICKET_SUBJECT.exec(envelope.subject ?? '')?.[1] ?? ticket.data.id;
  if (ticketId === undefined) {
    return { kind: 'unmappable', reason: `${envelope.type} without a ticket id` };
  }
  const occurredAtMs = parseIsoInstant(envelope.time);
  if (occurredAtMs === undefined) {
    return { kind: 'unmappable', reason: `${envelope.type} with an invalid time` };
  }
  const occurredAt = new Date(occurredAtMs).toISOString();
  const mapped = rule({ envelope, ticket: ticket.data, ticketId, occurredAt, options });
  return mapped.kind === 'events' ? contractChecked(mapped.events) : mapped;
}

/**
 * A new ticket is a customer request, unless the requester cannot see it (`is_public` false: only
 * internal comments) or it was created already solved (a ticket logged after the fact).
 */
function ticketCreated(delivery: Delivery): Mapped {
  const { ticket, options } = delivery;
  if (ticket.is_public === false) {
    return { kind: 'ignored', reason: 'ticket created with internal comments only' };
  }
  const status = ticket.status?.toLowerCase();
  if (status === 'solved' || status === 'closed') {
    return { kind: 'ignored', reason: `ticket created ${status}: nobody is waiting` };
  }
  const include = options.includePreview === true;
  const subject = previewOf(ticket.subject ?? undefined, include);
  const preview = previewOf(ticket.description ?? undefined, include);
  const data = {
    ...(subject === undefined ? {} : { subject }),
    ...(preview === undefined ? {} : { preview }),
  };
  return single({
    ...base(delivery),
    ...requester(ticket),
    type: 'contact.opened',
    ...(Object.keys(data).length > 0 ? { data } : {}),
  });
}

/**
 * A public comment by staff is an agent reply; one by anybody else (the requester, a CC) is the
 * customer writing. A private comment is an internal note: the customer sees nothing.
 */
function commentAdded(delivery: Delivery): Mapped {
  const event = zendeskCommentEventSchema.safeParse(delivery.envelope.event);
  if (!event.success) {
    return {
      kind: 'unmappable',
      reason: `ticket.comment_added with an unreadable comment: ${describeIssues(event.error)}`,
    };
  }
  const { comment } = event.data;
  if (!comment.is_public) {
    return { kind: 'ignored', reason: 'private comment (internal note): not a reply' };
  }
  if (comment.author.is_staff) {
    return single({
      ...base(delivery),
      ...requester(delivery.ticket),
      type: 'agent.replied',
      data: { agentId: comment.author.id },
    });
  }
  const preview = previewOf(comment.body ?? undefined, delivery.options.includePreview === true);
  return single({
    ...base(delivery),
    customer: { id: `zendesk:${comment.author.id}` },
    type: 'customer.replied',
    ...(preview === undefined ? {} : { data: { preview } }),
  });
}

/**
 * Status transitions:
 *
 * | previous → current                    | events                                                 |
 * | ------------------------------------- | ------------------------------------------------------ |
 * | any other → pending                   | `contact.waiting_on_customer`                          |
 * | pending → new, open or hold           | `contact.resumed`                                      |
 * | unresolved → solved or closed         | `contact.resolved`                                     |
 * | solved → closed                       | none: closing archives a solved ticket                 |
 * | solved or closed → new, open or hold  | `contact.reopened`                                     |
 * | solved or closed → pending            | `contact.reopened`, then `contact.waiting_on_customer` |
 * | new, open or hold → new, open or hold | none                                                   |
 *
 * On-hold means waiting on a third party. Replywatch has no such pause (docs/sla.md: "There is no
 * On-hold: time waiting for a third party counts"), so hold pauses nothing, and pending → hold
 * resumes the clocks that pending paused.
 */
function statusChanged(delivery: Delivery): Mapped {
  const change = zendeskChangeEventSchema.safeParse(delivery.envelope.event);
  if (!change.success) {
    return {
      kind: 'unmappable',
      reason: `ticket.status_changed with an unreadable change: ${describeIssues(change.error)}`,
    };
  }
  const current = asStatus(change.data.current);
  const previous = asStatus(change.data.previous);
  if (current === undefined) {
    return {
      kind: 'unmappable',
      reason: `unknown ticket status ${JSON.stringify(change.data.current ?? null)}`,
    };
  }
  const wasResolved = previous === 'solved' || previous === 'closed';
  const types: StateEventType[] = [];
  switch (current) {
    case 'solved':
    case 'closed':
      if (!wasResolved) types.push('contact.resolved');
      break;
    case 'pending':
      if (wasResolved) types.push('contact.reopened');
      if (previous !== 'pending') types.push('contact.waiting_on_customer');
      break;
    case 'new':
    case 'open':
    case 'hold':
      if (wasResolved) types.push('contact.reopened');
      else if (previous === 'pending') types.push('contact.resumed');
      break;
  }
  if (types.length === 0) {
    return {
      kind: 'ignored',
      reason: `status ${previous ?? 'unknown'} → ${current}: no change to the clocks`,
    };
  }
  const common = { ...base(delivery), ...requester(delivery.ticket) };
  return {
    kind: 'events',
    events: types.map((type) => ({
      ...common,
      // One id per event when a transition means two.
      ...(types.length > 1
        ? { eventId: stableId('zendesk', delivery.options.account, delivery.envelope.id, type) }
        : {}),
      type,
    })),
  };
}

function agentAssignmentChanged(delivery: Delivery): Mapped {
  const change = zendeskChangeEventSchema.safeParse(delivery.envelope.event);
  if (!change.success) {
    return {
      kind: 'unmappable',
      reason: `ticket.agent_assignment_changed with an unreadable change: ${describeIssues(change.error)}`,
    };
  }
  const agentId = change.data.current;
  if (agentId === undefined || agentId === null || agentId === '' || agentId === '0') {
    return { kind: 'ignored', reason: 'ticket unassigned' };
  }
  return single({
    ...base(delivery),
    ...requester(delivery.ticket),
    type: 'contact.assigned',
    data: { agentId },
  });
}

type Base = Pick<
  ContactEventInput,
  'eventId' | 'contactId' | 'channel' | 'occurredAt' | 'priority'
>;

function base({ envelope, ticket, ticketId, occurredAt, options }: Delivery): Base {
  const priority = ticket.priority?.toLowerCase();
  return {
    eventId: stableId('zendesk', options.account, envelope.id),
    contactId: stableId('zendesk', options.account, ticketId),
    channel: channelOfVia(ticket.via?.channel),
    occurredAt,
    ...(priority !== undefined && PRIORITIES.has(priority)
      ? { priority: priority as Priority }
      : {}),
  };
}

function requester(ticket: ZendeskTicket) {
  return ticket.requester_id ? { customer: { id: `zendesk:${ticket.requester_id}` } } : {};
}

function single(event: ContactEventInput): Mapped {
  return { kind: 'events', events: [event] };
}

function asStatus(value: string | null | undefined): Status | undefined {
  const status = value?.toLowerCase();
  return (STATUSES as readonly string[]).includes(status ?? '') ? (status as Status) : undefined;
}
