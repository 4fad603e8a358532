import { createHash } from 'node:crypto';

const MAX_LENGTH = 200;
const DIGEST_LENGTH = 64;

/**
 * A deterministic eventId from the provider's own ids (`eventIdFrom('zendesk', ticketId,
 * commentId)`), so a connector that restarts and re-reads a provider sends the same id and the
 * event is deduplicated. Each part is percent-encoded and parts are joined with `/` (which the
 * encoding escapes), so different parts never give the same id; the result is printable ASCII
 * without spaces. Over 200 characters, it keeps a readable prefix and ends in a SHA-256 digest.
 */
export function eventIdFrom(...providerIds: string[]): string {
  if (providerIds.length === 0) throw new RangeError('eventIdFrom needs at least one provider id');
  if (providerIds.some((id) => typeof id !== 'string' || id === '')) {
    throw new RangeError('eventIdFrom: every provider id must be a non-empty string');
  }
  const id = providerIds.map((part) => encodeURIComponent(part)).join('/');
  if (id.length <= MAX_LENGTH) return id;
  const digest = createHash('sha256').update(id, 'utf8').digest('hex');
  return `${id.slice(0, MAX_LENGTH - DIGEST_LENGTH - 1)}~${digest}`;
}
