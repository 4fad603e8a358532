import { z } from 'zod';
import type { DeliveryOutcome } from '../delivery-outcome';
import type { MetaEntry, MetaParseOptions } from './meta-payload.schema';
import { entryTimeMs } from './meta-payload.schema';
import {
  describeIssues,
  instantFromMs,
  instantFromSeconds,
  normaliseHandle,
  previewOf,
  providerIdSchema,
  stableId,
} from '../social-event.helpers';

const feedChangeSchema = z.object({ item: z.string(), verb: z.string().optional() });

const feedCommentSchema = z.object({
  comment_id: providerIdSchema,
  post_id: providerIdSchema,
  from: z.object({ id: providerIdSchema }).optional(),
  sender_id: providerIdSchema.optional(),
  created_time: z.union([z.number(), z.string()]).optional(),
  message: z.string().optional(),
});

const instagramCommentSchema = z.object({
  id: providerIdSchema,
  from: z.object({ id: providerIdSchema, username: z.string().optional() }),
  media: z.object({ id: providerIdSchema }),
  text: z.string().optional(),
});

/**
 * A comment on a Page post (`object: page`, field `feed`, item `comment`, verb `add`): a public
 * `customer.replied`, one contact per commenter per post. The Page's own comments are ignored:
 * the payload does not say whose comment they answer, so they cannot be put on a thread.
 */
export function mapPageFeedChange(
  entry: MetaEntry,
  value: unknown,
  outcome: DeliveryOutcome,
  options: MetaParseOptions,
): void {
  const change = feedChangeSchema.safeParse(value);
  if (!change.success) {
    outcome.reject(`malformed feed change: ${describeIssues(change.error)}`);
    return;
  }
  const { item, verb } = change.data;
  if (item !== 'comment') {
    outcome.ignore(`feed ${item} change`);
    return;
  }
  if (verb !== 'add') {
    outcome.ignore(`feed comment ${verb ?? 'without verb'}`);
    return;
  }
  const parsed = feedCommentSchema.safeParse(value);
  if (!parsed.success) {
    outcome.reject(`malformed feed comment: ${describeIssues(parsed.error)}`);
    return;
  }
  const comment = parsed.data;
  const authorId = comment.from?.id ?? comment.sender_id;
  if (authorId === undefined) {
    outcome.reject('feed comment without an author (from.id)');
    return;
  }
  if (authorId === entry.id) {
    outcome.ignore('comment by the Page itself');
    return;
  }
  const occurredAt = commentInstant(comment.created_time) ?? instantFromMs(entryTimeMs(entry));
  if (occurredAt === undefined) {
    outcome.reject('feed comment without a valid created_time');
    return;
  }
  const preview = previewOf(comment.message, options.includePreview === true);
  outcome.add({
    eventId: stableId('meta', comment.comment_id),
    contactId: stableId('meta', entry.id, 'comment', comment.post_id, authorId),
    channel: 'social',
    type: 'customer.replied',
    occurredAt,
    customer: { id: `fb:${authorId}` },
    data: { public: true, ...(preview === undefined ? {} : { preview }) },
  });
}

/**
 * A comment on the Instagram account's media (field `comments` or `live_comments`). The payload
 * carries no comment time, so `occurredAt` is when Meta sent the notification (`entry.time`).
 */
export function mapInstagramCommentChange(
  entry: MetaEntry,
  value: unknown,
  outcome: DeliveryOutcome,
  options: MetaParseOptions,
): void {
  const parsed = instagramCommentSchema.safeParse(value);
  if (!parsed.success) {
    outcome.reject(`malformed instagram comment: ${describeIssues(parsed.error)}`);
    return;
  }
  const comment = parsed.data;
  if (comment.from.id === entry.id) {
    outcome.ignore('comment by the Instagram account itself');
    return;
  }
  const occurredAt = instantFromMs(entryTimeMs(entry));
  if (occurredAt === undefined) {
    outcome.reject('instagram comment entry without a valid time');
    return;
  }
  const handle = normaliseHandle(comment.from.username);
  const preview = previewOf(comment.text, options.includePreview === true);
  outcome.add({
    eventId: stableId('meta', comment.id),
    contactId: stableId('meta', entry.id, 'comment', comment.media.id, comment.from.id),
    channel: 'social',
    type: 'customer.replied',
    occurredAt,
    customer: { id: `ig:${comment.from.id}`, ...(handle === undefined ? {} : { handle }) },
    data: { public: true, ...(preview === undefined ? {} : { preview }) },
  });
}

/** `created_time` is Unix seconds in the documented samples; an ISO string is accepted too. */
function commentInstant(value: number | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' || /^\d+$/.test(value)) return instantFromSeconds(value);
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : instantFromMs(ms);
}
