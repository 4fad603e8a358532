import { z } from 'zod';
import {
  SCHEMA_VERSION,
  channelSchema,
  customerSchema,
  idSchema,
  instantSchema,
  prioritySchema,
} from '../common.schema';

export const SLA_EVENT_TYPES = ['sla.warning', 'sla.breached', 'sla.met', 'sla.cancelled'] as const;
export type SlaEventType = (typeof SLA_EVENT_TYPES)[number];

export const SLA_TARGETS = ['first_response', 'next_response', 'resolution', 'callback'] as const;
export const slaTargetSchema = z.enum(SLA_TARGETS);
export type SlaTarget = z.infer<typeof slaTargetSchema>;

/** An SLA outcome as it travels on `sla-events.v1` (key = contactId). */
export const slaEventSchema = z.strictObject({
  /** Deterministic (contact, target, clock generation, type): re-emission after a crash dedupes. */
  eventId: idSchema(300),
  type: z.enum(SLA_EVENT_TYPES),
  schemaVersion: z.literal(SCHEMA_VERSION),
  contactId: idSchema(200),
  channel: channelSchema,
  source: idSchema(100),
  priority: prioritySchema,
  customer: customerSchema.optional(),
  target: slaTargetSchema,
  policyId: z.string().min(1).max(100),
  policyVersion: z.number().int().min(1),
  /** When the clock for this target started (the customer's first unanswered contact). */
  startedAt: instantSchema,
  dueAt: instantSchema,
  /** When the outcome happened: the reply for `sla.met`, the due instant for `sla.breached`. */
  occurredAt: instantSchema,
  /** When the SLA service decided it (for lateness measurements). */
  emittedAt: instantSchema,
  /** Seconds of the target's time (business or calendar) used up at `occurredAt`. */
  elapsedSeconds: z.number().min(0),
  /** On `sla.met`: whether the reply came before `dueAt` (a late reply still stops the clock). */
  withinTarget: z.boolean().optional(),
  /** Who the contact is assigned to and their team, when a connector said so (for routing alerts). */
  assignee: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(100).optional(),
  /** The contact's next pending breach after this event: an acknowledgement lapses before it. */
  nextDueAt: instantSchema.optional(),
});
export type SlaEvent = z.output<typeof slaEventSchema>;
