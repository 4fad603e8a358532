import { createHash } from 'node:crypto';

export interface ThreadIds {
  /** The message's own id without angle brackets, lower-cased (a digest when it has none). */
  messageId: string;
  /** The id of the thread's first message, the same way. */
  rootId: string;
  /** It answers an earlier message (it names one in In-Reply-To or References). */
  isReply: boolean;
}

export interface ThreadHeaders {
  messageId?: string;
  inReplyTo?: string;
  references?: string;
  /** For the fallback id of a message without a Message-ID. */
  from?: string;
  date?: string;
  subject?: string;
}

/**
 * Where a message sits in its thread, from its own headers only (no state): the root is the first
 * id in References (RFC 5322 section 3.6.4: the thread's first message comes first), else the one
 * In-Reply-To names, else the message itself. Ids are compared without their angle brackets and
 * lower-cased, so a client that changes their case does not split the thread.
 */
export function resolveThread(headers: ThreadHeaders): ThreadIds {
  const own = messageIdsOf(headers.messageId)[0] ?? fallbackMessageId(headers);
  const references = messageIdsOf(headers.references);
  const inReplyTo = messageIdsOf(headers.inReplyTo);
  const rootId = references[0] ?? inReplyTo[0] ?? own;
  return { messageId: own, rootId, isReply: references.length > 0 || inReplyTo.length > 0 };
}

/**
 * The msg-ids in a Message-ID, In-Reply-To or References value, in order: `<a@x> <b@y>` →
 * `['a@x', 'b@y']`. Comments are dropped. A lone id without brackets (`id@host`, as Mailgun's event
 * payloads write message-id) is accepted; free text without brackets is not an id.
 */
export function messageIdsOf(value: string | undefined): string[] {
  if (value === undefined) return [];
  const text = value.replace(/\((?:[^()\\]|\\.)*\)/g, ' ');
  const ids: string[] = [];
  for (const match of text.matchAll(/<([^<>]*)>/g)) {
    const id = match[1].replace(/\s+/g, '').toLowerCase();
    if (id !== '') ids.push(id);
  }
  if (ids.length > 0) return ids;
  const bare = text.trim();
  return /^[^\s<>]+@[^\s<>]+$/.test(bare) ? [bare.toLowerCase()] : [];
}

/**
 * A message without a Message-ID (RFC 5322 only says SHOULD) still needs an id that a provider's
 * retry of it reproduces: a digest of its From, Date and Subject. Two such messages with the same
 * three in the same second would merge; that is rare, and the alternative (a per-delivery id)
 * would count every retry as a new message.
 */
function fallbackMessageId({ from, date, subject }: ThreadHeaders): string {
  const digest = createHash('sha256')
    .update([from ?? '', date ?? '', subject ?? ''].join('\n'), 'utf8')
    .digest('hex');
  return `sha256-${digest}`;
}
