import type { ContactEventInput } from '@replywatch/contracts';

/**
 * What a provider parser makes of one authentic webhook delivery. Pure: parsers take the raw
 * body (and headers/URL where the provider signs them) and return events in the contract of
 * libs/contracts, without `source` or `receivedAt` (ingest stamps those).
 */
export type ParseResult =
  /** Zero or more contact events (a delivery can carry several messages). */
  | { kind: 'events'; events: ContactEventInput[] }
  /** Authentic, understood, and deliberately not a contact (an auto-reply, a delivery receipt). */
  | { kind: 'ignored'; reason: string }
  /** Authentic but not mappable (an unknown event kind): ingest answers 202 and dead-letters it. */
  | { kind: 'unmappable'; reason: string }
  /**
   * Not the provider's format at all (not JSON / not a form, the envelope is missing): ingest
   * answers 400 with the reason, so whoever misconfigured the webhook sees it at once.
   */
  | { kind: 'malformed'; reason: string };

/** The outcome of checking a provider's signature; `reason` is safe to log (never the secret). */
export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** A request as a provider sent it: what signature checks and parsers need, nothing more. */
export interface WebhookRequest {
  /** The full public URL the provider called (Twilio signs it). */
  url: string;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
  /** For replay windows: the current instant, passed in (no clock reads in this library). */
  nowMs: number;
}
