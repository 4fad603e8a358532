import { z } from 'zod';
import { providerIdSchema } from '../social-event.helpers';

/** An Account Activity delivery: the subscribed account and one kind of event list. */
export const xActivitySchema = z.object({
  for_user_id: providerIdSchema.optional(),
  direct_message_events: z.array(z.unknown()).optional(),
  tweet_create_events: z.array(z.unknown()).optional(),
  users: z.record(z.string(), z.object({ screen_name: z.string().optional() })).optional(),
});

export const xDirectMessageSchema = z.object({
  type: z.string(),
  id: providerIdSchema,
  created_timestamp: z.union([z.string(), z.number()]),
  message_create: z.object({
    sender_id: providerIdSchema,
    target: z.object({ recipient_id: providerIdSchema }),
    message_data: z.object({ text: z.string().optional() }).optional(),
  }),
});

const mentionSchema = z.object({ id_str: z.string().min(1) });
const entitiesSchema = z.object({ user_mentions: z.array(mentionSchema).optional() });

/** The v1.1 Tweet (Post) object fields that Account Activity delivers and this connector reads. */
export const xTweetSchema = z.object({
  id_str: z.string().min(1),
  created_at: z.string().optional(),
  timestamp_ms: z.union([z.string(), z.number()]).optional(),
  text: z.string().optional(),
  full_text: z.string().optional(),
  user: z.object({ id_str: z.string().min(1), screen_name: z.string().optional() }),
  in_reply_to_user_id_str: z.string().nullish(),
  in_reply_to_screen_name: z.string().nullish(),
  retweeted_status: z.unknown().optional(),
  entities: entitiesSchema.optional(),
  extended_tweet: z
    .object({ full_text: z.string().optional(), entities: entitiesSchema.optional() })
    .optional(),
});
export type XTweet = z.infer<typeof xTweetSchema>;

/** Activity kinds that are authentic and never a contact (likes, follows, typing, receipts…). */
export const X_IGNORED_ACTIVITY_KEYS = [
  'favorite_events',
  'follow_events',
  'block_events',
  'mute_events',
  'user_event',
  'direct_message_indicate_typing_events',
  'direct_message_mark_read_events',
  'tweet_delete_events',
  'replay_job_status',
  'spaces_events',
] as const;

export interface XParseOptions {
  /** Include up to 140 characters of the customer's text as `data.preview` (default off). */
  includePreview?: boolean;
}
