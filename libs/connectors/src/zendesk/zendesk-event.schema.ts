import { z } from 'zod';
import { providerIdSchema } from '../social-event.helpers';

export const ZENDESK_EVENT_TYPE_PREFIX = 'zen:event-type:';

/**
 * The envelope every Zendesk event webhook shares
 * (https://developer.zendesk.com/api-reference/webhooks/event-types/webhook-event-types/, "Event
 * schema"): `type`, `account_id`, `id`, `time`, `zendesk_event_version`, `subject`, `detail`, `event`.
 */
export const zendeskEventSchema = z.object({
  type: z.string().startsWith(ZENDESK_EVENT_TYPE_PREFIX),
  id: z.string().trim().min(1),
  time: z.string(),
  account_id: providerIdSchema.optional(),
  zendesk_event_version: z.string().optional(),
  subject: z.string().optional(),
  detail: z.record(z.string(), z.unknown()),
  event: z.unknown().optional(),
});
export type ZendeskEvent = z.infer<typeof zendeskEventSchema>;

/**
 * The ticket in `detail` (https://developer.zendesk.com/api-reference/webhooks/event-types/ticket-events,
 * "Detail object properties"); ids arrive as strings, enum values upper-case (`OPEN`, `HIGH`).
 */
export const zendeskTicketSchema = z.object({
  id: providerIdSchema.optional(),
  requester_id: providerIdSchema.nullish(),
  status: z.string().nullish(),
  priority: z.string().nullish(),
  subject: z.string().nullish(),
  description: z.string().nullish(),
  is_public: z.boolean().nullish(),
  via: z.object({ channel: z.union([z.string(), z.number()]).nullish() }).nullish(),
});
export type ZendeskTicket = z.infer<typeof zendeskTicketSchema>;

/** `event` of ticket.comment_added. */
export const zendeskCommentEventSchema = z.object({
  comment: z.object({
    id: providerIdSchema,
    body: z.string().nullish(),
    is_public: z.boolean(),
    author: z.object({ id: providerIdSchema, is_staff: z.boolean() }),
  }),
});

/** `event` of ticket.status_changed and ticket.agent_assignment_changed. */
export const zendeskChangeEventSchema = z.object({
  current: z.union([providerIdSchema, z.literal('')]).nullish(),
  previous: z.union([providerIdSchema, z.literal('')]).nullish(),
});
