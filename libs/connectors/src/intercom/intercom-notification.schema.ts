import { z } from 'zod';
import { providerIdSchema } from '../social-event.helpers';

/**
 * The notification envelope every Intercom webhook shares
 * (https://developers.intercom.com/docs/references/webhooks/webhook-models, "Notification object").
 * `created_at` is optional: the signed-notification example on the same pages leaves it out.
 */
export const intercomNotificationSchema = z.object({
  type: z.literal('notification_event'),
  id: z.string().trim().min(1),
  topic: z.string().trim().min(1),
  app_id: z.string().optional(),
  created_at: z.number().optional(),
  delivery_attempts: z.number().optional(),
  first_sent_at: z.number().optional(),
  data: z.object({ item: z.looseObject({ type: z.string() }) }),
});
export type IntercomNotification = z.infer<typeof intercomNotificationSchema>;

/**
 * Who wrote a part: `user`/`lead`/`contact` (the customer), `admin` (a teammate), `bot` or `team`
 * ("Bots and campaigns send messages on behalf of Admins or Teams").
 */
const authorSchema = z.object({
  type: z.string(),
  id: providerIdSchema.nullish(),
  email: z.string().nullish(),
});
export type IntercomAuthor = z.infer<typeof authorSchema>;

/** The admin or team a part assigned the conversation to (`null` when the assignment did not change). */
const assigneeSchema = z.object({ type: z.string().nullish(), id: providerIdSchema.nullish() });

const partSchema = z.object({
  id: providerIdSchema,
  part_type: z.string(),
  body: z.string().nullish(),
  created_at: z.number().nullish(),
  author: authorSchema.nullish(),
  assigned_to: assigneeSchema.nullish(),
});
export type IntercomPart = z.infer<typeof partSchema>;

/** The message that started the conversation: `source` (API 2.x) or `conversation_message` (1.x). */
const sourceSchema = z.object({
  id: providerIdSchema.nullish(),
  type: z.string().nullish(),
  delivered_as: z.string().nullish(),
  subject: z.string().nullish(),
  body: z.string().nullish(),
  author: authorSchema.nullish(),
});
export type IntercomSource = z.infer<typeof sourceSchema>;

const contactRefSchema = z.object({ type: z.string().nullish(), id: providerIdSchema.nullish() });
/** 2.0 documents a bare array, later versions `{ type: 'contact.list', contacts: [...] }`. */
const contactsSchema = z.union([
  z.array(contactRefSchema),
  z.object({ contacts: z.array(contactRefSchema) }).transform((list) => list.contacts),
]);

/**
 * The conversation fields this connector reads, across API versions: 2.x (`source`, `contacts`,
 * `admin_assignee_id`) and 1.x (`conversation_message`, `user`, `customers`, `assignee`).
 */
export const intercomConversationSchema = z.object({
  type: z.literal('conversation'),
  id: providerIdSchema,
  created_at: z.number().nullish(),
  waiting_since: z.number().nullish(),
  source: sourceSchema.nullish(),
  conversation_message: sourceSchema.nullish(),
  contacts: contactsSchema.nullish(),
  customers: z.array(contactRefSchema).nullish(),
  user: authorSchema.nullish(),
  assignee: assigneeSchema.nullish(),
  admin_assignee_id: providerIdSchema.nullish(),
  team_assignee_id: providerIdSchema.nullish(),
  conversation_parts: z.object({ conversation_parts: z.array(partSchema) }).nullish(),
});
export type IntercomConversation = z.infer<typeof intercomConversationSchema>;
