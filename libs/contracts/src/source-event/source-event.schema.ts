import { z } from 'zod';
import { SCHEMA_VERSION, channelSchema, idSchema, instantSchema } from '../common.schema';

export const SOURCE_EVENT_TYPES = ['source.silent', 'source.recovered'] as const;
export type SourceEventType = (typeof SOURCE_EVENT_TYPES)[number];

/**
 * A connector's heartbeat verdict, on `source-events.v1` (key = source). A dead connector is the
 * one way contacts vanish unseen, so a source quiet past its expected activity window is alerted
 * on like a breach, and resolved when its traffic returns.
 */
export const sourceEventSchema = z.strictObject({
  /** Deterministic (source, silence, type): a re-emission after a crash dedupes. */
  eventId: idSchema(300),
  type: z.enum(SOURCE_EVENT_TYPES),
  schemaVersion: z.literal(SCHEMA_VERSION),
  /** The connector's source id (`twilio:main`, or a generic connector's key name). */
  source: idSchema(100),
  /** The channel the source carries, when the heartbeat names one (for routing the alert). */
  channel: channelSchema.optional(),
  /** The last contact event seen from the source; absent when none since monitoring began. */
  lastSeenAt: instantSchema.optional(),
  /** When the silence became an alert: the last event plus the expected window (business time). */
  silentSince: instantSchema,
  /** The window the heartbeat allows between events, in seconds of its (business) time. */
  expectedWithinSeconds: z.number().int().min(1),
  /** The calendar whose open hours the window counts, when it has one. */
  calendarId: z.string().min(1).max(100).optional(),
  /** `source.silent`: when the silence was noticed; `source.recovered`: the first event back. */
  occurredAt: instantSchema,
  emittedAt: instantSchema,
});
export type SourceEvent = z.output<typeof sourceEventSchema>;
