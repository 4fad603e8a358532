/** How long before the contact's next breach an acknowledgement lapses, unless told otherwise. */
export const DEFAULT_ACK_LEAD_MS = 60 * 1000;

export interface AckExpiryInput {
  acknowledgedAtMs: number;
  /** The chain's `ackTimeout`, if it has one. */
  ackTimeoutMs?: number;
  /** The contact's next breach due instant (from the SLA events), if one is pending. */
  nextDueAtMs?: number;
  leadMs?: number;
}

/**
 * Acknowledged is not answered: the acknowledgement pauses paging, not the customer's clock. It
 * lapses at the ack timeout or `leadMs` before the contact's next breach, whichever is first; a
 * breach already closer than the lead lapses it at that breach. Undefined: it holds until the
 * alert is resolved.
 */
export function ackExpiresAt(input: AckExpiryInput): number | undefined {
  const { acknowledgedAtMs, ackTimeoutMs, nextDueAtMs } = input;
  const lead = input.leadMs ?? DEFAULT_ACK_LEAD_MS;
  const candidates: number[] = [];
  if (ackTimeoutMs !== undefined) candidates.push(acknowledgedAtMs + ackTimeoutMs);
  if (nextDueAtMs !== undefined && nextDueAtMs > acknowledgedAtMs) {
    candidates.push(Math.max(nextDueAtMs - lead, Math.min(nextDueAtMs, acknowledgedAtMs + lead)));
  }
  return candidates.length === 0 ? undefined : Math.min(...candidates);
}
