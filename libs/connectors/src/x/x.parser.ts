import type { ParseResult } from '../connector.types';
import { DeliveryOutcome } from '../delivery-outcome';
import {
  describeIssues,
  instantFromMs,
  normaliseHandle,
  parseJson,
  previewOf,
  stableId,
} from '../social-event.helpers';
import type { XParseOptions, XTweet } from './x-activity.schema';
import {
  X_IGNORED_ACTIVITY_KEYS,
  xActivitySchema,
  xDirectMessageSchema,
  xTweetSchema,
} from './x-activity.schema';

export type { XParseOptions } from './x-activity.schema';

/**
 * One authentic X Account Activity delivery as contact events. Ids carry `for_user_id`: X sends
 * the same DM or mention once per subscribed account involved, and each copy belongs to that
 * account's own contact, so the copies must not deduplicate each other.
 */
export function parseXActivity(rawBody: Buffer, options: XParseOptions = {}): ParseResult {
  const json = parseJson(rawBody);
  if (!json.ok) return { kind: 'malformed', reason: 'body is not JSON' };
  const activity = xActivitySchema.safeParse(json.value);
  if (!activity.success) {
    return { kind: 'malformed', reason: `not an X activity: ${describeIssues(activity.error)}` };
  }
  const { for_user_id: account, direct_message_events, tweet_create_events, users } = activity.data;
  if (direct_message_events === undefined && tweet_create_events === undefined) {
    const keys = Object.keys(json.value as object);
    const known = X_IGNORED_ACTIVITY_KEYS.find((key) => keys.includes(key));
    return known !== undefined
      ? { kind: 'ignored', reason: `x ${known}` }
      : { kind: 'unmappable', reason: `unknown X activity (keys: ${keys.join(', ')})` };
  }
  if (account === undefined)
    return { kind: 'unmappable', reason: 'X activity without for_user_id' };
  const outcome = new DeliveryOutcome();
  const handleOf = (userId: string) => normaliseHandle(users?.[userId]?.screen_name);
  for (const raw of direct_message_events ?? []) {
    mapDirectMessage(account, raw, handleOf, outcome, options);
  }
  for (const raw of tweet_create_events ?? []) mapTweet(account, raw, outcome, options);
  return outcome.result();
}

/**
 * A DM sent to the account is `customer.replied`; one sent by the account (from any client) is
 * `agent.replied`. Contact: `x:<account>:dm:<customer id>`.
 */
function mapDirectMessage(
  account: string,
  raw: unknown,
  handleOf: (userId: string) => string | undefined,
  outcome: DeliveryOutcome,
  options: XParseOptions,
): void {
  const parsed = xDirectMessageSchema.safeParse(raw);
  if (!parsed.success) {
    outcome.reject(`malformed X direct message event: ${describeIssues(parsed.error)}`);
    return;
  }
  const { type, id, created_timestamp, message_create } = parsed.data;
  if (type !== 'message_create') {
    outcome.ignore(`x direct message event ${type}`);
    return;
  }
  const sender = message_create.sender_id;
  const recipient = message_create.target.recipient_id;
  if (sender !== account && recipient !== account) {
    outcome.reject('X direct message between two other accounts');
    return;
  }
  const occurredAt = instantFromMs(created_timestamp);
  if (occurredAt === undefined) {
    outcome.reject('X direct message with an invalid created_timestamp');
    return;
  }
  const fromAccount = sender === account;
  const customerId = fromAccount ? recipient : sender;
  const base = {
    eventId: stableId('x', account, id),
    contactId: stableId('x', account, 'dm', customerId),
    channel: 'social' as const,
    occurredAt,
    customer: customerOf(customerId, handleOf(customerId)),
  };
  if (fromAccount) {
    outcome.add({ ...base, type: 'agent.replied' });
    return;
  }
  const preview = previewOf(message_create.message_data?.text, options.includePreview === true);
  outcome.add({
    ...base,
    type: 'customer.replied',
    ...(preview === undefined ? {} : { data: { preview } }),
  });
}

/**
 * A post that mentions or replies to the account is a public `customer.replied`; the account's
 * reply to someone else is `agent.replied`. The v1.1 Tweet object has no conversation id, so the
 * thread is one per customer: `x:<account>:tweet:<customer id>`. Retweets, the account's own
 * posts and self-threads, and posts not addressed to the account are ignored.
 */
function mapTweet(
  account: string,
  raw: unknown,
  outcome: DeliveryOutcome,
  options: XParseOptions,
): void {
  const parsed = xTweetSchema.safeParse(raw);
  if (!parsed.success) {
    outcome.reject(`malformed X tweet event: ${describeIssues(parsed.error)}`);
    return;
  }
  const tweet = parsed.data;
  if (tweet.retweeted_status !== undefined) {
    outcome.ignore('x retweet');
    return;
  }
  const fromAccount = tweet.user.id_str === account;
  // The account's own post matters only as a reply to someone else, whose thread it answers.
  const customerId = fromAccount ? (tweet.in_reply_to_user_id_str ?? undefined) : tweet.user.id_str;
  if (customerId === undefined || customerId === account) {
    outcome.ignore('x post by the account itself');
    return;
  }
  if (!fromAccount && tweet.in_reply_to_user_id_str !== account && !mentions(tweet, account)) {
    outcome.ignore('x post not addressed to the account');
    return;
  }
  const occurredAt = tweetInstant(tweet);
  if (occurredAt === undefined) {
    outcome.reject('X tweet without a valid timestamp_ms or created_at');
    return;
  }
  const handle = normaliseHandle(
    fromAccount ? (tweet.in_reply_to_screen_name ?? undefined) : tweet.user.screen_name,
  );
  const base = {
    eventId: stableId('x', account, tweet.id_str),
    contactId: stableId('x', account, 'tweet', customerId),
    channel: 'social' as const,
    occurredAt,
    customer: customerOf(customerId, handle),
  };
  if (fromAccount) {
    outcome.add({ ...base, type: 'agent.replied' });
    return;
  }
  const text = tweet.extended_tweet?.full_text ?? tweet.full_text ?? tweet.text;
  const preview = previewOf(text, options.includePreview === true);
  outcome.add({
    ...base,
    type: 'customer.replied',
    data: { public: true, ...(preview === undefined ? {} : { preview }) },
  });
}

function customerOf(userId: string, handle: string | undefined) {
  return { id: `x:${userId}`, ...(handle === undefined ? {} : { handle }) };
}

function mentions(tweet: XTweet, account: string): boolean {
  const all = [
    ...(tweet.entities?.user_mentions ?? []),
    ...(tweet.extended_tweet?.entities?.user_mentions ?? []),
  ];
  return all.some((mention) => mention.id_str === account);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** v1.1 `created_at`, e.g. `Fri Sep 18 18:36:15 +0000 2020`. */
const CREATED_AT = /^\w{3} (\w{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

function tweetInstant(tweet: XTweet): string | undefined {
  const fromMs = instantFromMs(tweet.timestamp_ms);
  if (fromMs !== undefined || tweet.created_at === undefined) return fromMs;
  const match = CREATED_AT.exec(tweet.created_at);
  if (match === null) return undefined;
  const [, mon, day, hh, mm, ss, sign, offH, offM, year] = match;
  const month = MONTHS.indexOf(mon);
  if (month < 0) return undefined;
  const offsetMs = (sign === '+' ? 1 : -1) * (Number(offH) * 60 + Number(offM)) * 60_000;
  const utc = Date.UTC(Number(year), month, Number(day), Number(hh), Number(mm), Number(ss));
  return instantFromMs(utc - offsetMs);
}
