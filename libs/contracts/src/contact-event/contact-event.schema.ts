import { z } from 'zod';
import {
  SCHEMA_VERSION,
  channelSchema,
  customerSchema,
  idSchema,
  instantSchema,
  previewSchema,
  prioritySchema,
} from '../common.schema';

export const CONTACT_EVENT_TYPES = [
  'contact.opened',
  'customer.replied',
  'agent.replied',
  'call.missed',
  'call.abandoned',
  'voicemail.left',
  'contact.assigned',
  'contact.waiting_on_customer',
  'contact.resumed',
  'contact.resolved',
  'contact.reopened',
] as const;
export type ContactEventType = (typeof CONTACT_EVENT_TYPES)[number];

const messageData = z.strictObject({
  subject: z.string().max(200).optional(),
  preview: previewSchema.optional(),
  /** A public social post or comment, as opposed to a private message. */
  public: z.boolean().optional(),
});
const agentData = z.strictObject({
  agentId: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(100).optional(),
});
const callData = z.strictObject({
  from: z.string().max(50).optional(),
  to: z.string().max(50).optional(),
  durationSeconds: z.number().int().min(0).optional(),
  queue: z.string().max(100).optional(),
});
const emptyData = z.strictObject({});

/** The type-specific part of each event; `data` may be left out (every field in it is optional). */
export const CONTACT_EVENT_DATA = {
  'contact.opened': messageData,
  'customer.replied': messageData,
  'agent.replied': agentData,
  'call.missed': callData,
  'call.abandoned': callData,
  'voicemail.left': callData,
  'contact.assigned': agentData,
  'contact.waiting_on_customer': emptyData,
  'contact.resumed': emptyData,
  'contact.resolved': emptyData,
  'contact.reopened': emptyData,
} as const satisfies Record<ContactEventType, z.ZodType>;

const envelope = {
  eventId: idSchema(200),
  schemaVersion: z.literal(SCHEMA_VERSION),
  contactId: idSchema(200),
  channel: channelSchema,
  occurredAt: instantSchema,
  receivedAt: instantSchema,
  source: idSchema(100),
  customer: customerSchema.optional(),
  /** Left out: the contact keeps its priority (a new contact is `normal`); a change re-selects the policy. */
  priority: prioritySchema.optional(),
  tags: z.array(z.string().min(1).max(50)).max(20).default([]),
};

function variant<T extends ContactEventType, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ ...envelope, type: z.literal(type), data: data.optional() });
}

/** A contact event as it travels on `contact-events.v1` (key = contactId). */
export const contactEventSchema = z.discriminatedUnion('type', [
  variant('contact.opened', CONTACT_EVENT_DATA['contact.opened']),
  variant('customer.replied', CONTACT_EVENT_DATA['customer.replied']),
  variant('agent.replied', CONTACT_EVENT_DATA['agent.replied']),
  variant('call.missed', CONTACT_EVENT_DATA['call.missed']),
  variant('call.abandoned', CONTACT_EVENT_DATA['call.abandoned']),
  variant('voicemail.left', CONTACT_EVENT_DATA['voicemail.left']),
  variant('contact.assigned', CONTACT_EVENT_DATA['contact.assigned']),
  variant('contact.waiting_on_customer', CONTACT_EVENT_DATA['contact.waiting_on_customer']),
  variant('contact.resumed', CONTACT_EVENT_DATA['contact.resumed']),
  variant('contact.resolved', CONTACT_EVENT_DATA['contact.resolved']),
  variant('contact.reopened', CONTACT_EVENT_DATA['contact.reopened']),
]);
export type ContactEvent = z.output<typeof contactEventSchema>;

/**
 * What a connector posts: the same event, but ingest stamps `receivedAt` and the connector's
 * `source` (from its key), and `schemaVersion` may be left out.
 */
const inputEnvelopeOverrides = {
  schemaVersion: z.literal(SCHEMA_VERSION).default(SCHEMA_VERSION),
  source: idSchema(100).optional(),
  receivedAt: z.never().optional(),
};

function inputVariant<T extends ContactEventType, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({
    ...envelope,
    ...inputEnvelopeOverrides,
    type: z.literal(type),
    data: data.optional(),
  });
}

export const contactEventInputSchema = z.discriminatedUnion('type', [
  inputVariant('contact.opened', CONTACT_EVENT_DATA['contact.opened']),
  inputVariant('customer.replied', CONTACT_EVENT_DATA['customer.replied']),
  inputVariant('agent.replied', CONTACT_EVENT_DATA['agent.replied']),
  inputVariant('call.missed', CONTACT_EVENT_DATA['call.missed']),
  inputVariant('call.abandoned', CONTACT_EVENT_DATA['call.abandoned']),
  inputVariant('voicemail.left', CONTACT_EVENT_DATA['voicemail.left']),
  inputVariant('contact.assigned', CONTACT_EVENT_DATA['contact.assigned']),
  inputVariant('contact.waiting_on_customer', CONTACT_EVENT_DATA['contact.waiting_on_customer']),
  inputVariant('contact.resumed', CONTACT_EVENT_DATA['contact.resumed']),
  inputVariant('contact.resolved', CONTACT_EVENT_DATA['contact.resolved']),
  inputVariant('contact.reopened', CONTACT_EVENT_DATA['contact.reopened']),
]);
export type ContactEventInput = z.input<typeof contactEventInputSchema>;
export type ParsedContactEventInput = z.output<typeof contactEventInputSchema>;
