import { z } from 'zod';
import { calendarSchema, durationSchema } from '@replywatch/sla-clock';
import { CHANNELS, PRIORITIES, SLA_TARGETS } from '@replywatch/contracts';

/** How a target is reached: an e-mail, a signed JSON webhook, or a Slack/Teams chat webhook. */
export const NOTIFY_CHANNELS = ['email', 'webhook', 'chat'] as const;
export type NotifyChannel = (typeof NOTIFY_CHANNELS)[number];

/** What can start a chain: a warning before a breach, a breach, or a connector gone silent. */
export const TRIGGERS = ['sla.warning', 'sla.breached', 'source.silent'] as const;
export type Trigger = (typeof TRIGGERS)[number];

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const idSchema = z.string().regex(ID, { message: 'must be 1-64 letters, digits, ".", "_" or "-"' });

const durationMsSchema = durationSchema.transform((seconds) => Math.round(seconds * 1000));

/**
 * Who a chain step pages. `person:<id>`, `team:<id>`, `oncall:<rotation>`; `assignee` and
 * `contact-team` are the contact's own assignee and team, as the SLA event names them.
 */
export const TARGET_REF =
  /^(person|team|oncall):[A-Za-z0-9][A-Za-z0-9._-]{0,63}$|^(assignee|contact-team)$/;
export const targetRefSchema = z.string().regex(TARGET_REF, {
  message: 'must be "person:<id>", "team:<id>", "oncall:<rotation>", "assignee" or "contact-team"',
});

const personSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200).optional(),
  email: z.email({ message: 'must be an e-mail address' }).optional(),
  /** Endpoint ids: a `webhook` endpoint, a `slack`/`teams` endpoint for chat. */
  webhook: idSchema.optional(),
  chat: idSchema.optional(),
  /** Working hours (an id from `calendars`): off-shift people are skipped. Absent: always on. */
  calendar: idSchema.optional(),
  /** The agent ids connectors report for this person, so `assignee` finds them. */
  agentIds: z.array(z.string().min(1).max(200)).default([]),
});
export type Person = z.output<typeof personSchema>;

const teamSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200).optional(),
  members: z.array(idSchema).default([]),
  /** A shared mailbox or channel: when set, the team is paged there instead of member by member. */
  email: z.email({ message: 'must be an e-mail address' }).optional(),
  webhook: idSchema.optional(),
  chat: idSchema.optional(),
});
export type Team = z.output<typeof teamSchema>;

const rotationSchema = z.strictObject({
  id: idSchema,
  /** Who is on call, in turn. */
  people: z.array(idSchema).min(1, { message: 'needs at least one person' }),
  /** When the first person's turn began (ISO 8601 with offset). */
  start: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 instant' }),
  /** Length of one turn: a week unless set. */
  every: durationMsSchema.default(7 * 86400 * 1000),
});
export type Rotation = z.output<typeof rotationSchema>;

export const ENDPOINT_TYPES = ['webhook', 'slack', 'teams'] as const;
const endpointSchema = z.strictObject({
  id: idSchema,
  type: z.enum(ENDPOINT_TYPES),
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }),
  /** HMAC key for `webhook` endpoints (the receiver verifies X-Replywatch-Signature with it). */
  secret: z.string().min(16, { message: 'needs 16+ characters' }).optional(),
});
export type Endpoint = z.output<typeof endpointSchema>;

const notifySchema = z.strictObject({
  target: targetRefSchema,
  channels: z.array(z.enum(NOTIFY_CHANNELS)).min(1).default(['email']),
});
export type NotifyRule = z.output<typeof notifySchema>;

const levelSchema = z.strictObject({
  notify: z.array(notifySchema).min(1, { message: 'a level needs at least one target' }),
  /** How long this level has to be acknowledged before the next one is paged. */
  wait: durationMsSchema.default(5 * 60 * 1000),
  /** Page people even outside their working hours (an emergency level). */
  anyTime: z.boolean().default(false),
});
export type Level = z.output<typeof levelSchema>;

const chainSchema = z.strictObject({
  id: idSchema,
  name: z.string().min(1).max(200).optional(),
  levels: z.array(levelSchema).min(1, { message: 'a chain needs at least one level' }),
  /** Run the whole chain again this many times after the last level's wait. */
  repeat: z.number().int().min(0).max(20).default(0),
  /** An acknowledged alert whose customer still has no reply after this re-opens. */
  ackTimeout: durationMsSchema.optional(),
  /** Paged (at any hour) when a step finds nobody on shift. */
  fallback: notifySchema.optional(),
});
export type Chain = z.output<typeof chainSchema>;

const routeSchema = z.strictObject({
  /** Every listed field must match; an absent field matches everything. */
  match: z
    .strictObject({
      events: z.array(z.enum(TRIGGERS)).min(1).optional(),
      policies: z.array(z.string().min(1)).min(1).optional(),
      channels: z.array(z.enum(CHANNELS)).min(1).optional(),
      priorities: z.array(z.enum(PRIORITIES)).min(1).optional(),
      teams: z.array(z.string().min(1)).min(1).optional(),
      targets: z
        .array(z.enum([...SLA_TARGETS, 'source_silent']))
        .min(1)
        .optional(),
    })
    .default({}),
  chain: idSchema,
});
export type Route = z.output<typeof routeSchema>;

const fatigueRuleSchema = z.strictObject({
  /** Pages one target may get on this channel within `window`; beyond that they are digested. */
  maxPerWindow: z.number().int().min(1),
  window: durationMsSchema,
  /** How long a digest collects alerts before it is sent. */
  hold: durationMsSchema.default(60 * 1000),
});
export type FatigueRule = z.output<typeof fatigueRuleSchema>;

const DEFAULT_FATIGUE: Partial<Record<NotifyChannel, FatigueRule>> = {
  email: { maxPerWindow: 5, window: 10 * 60 * 1000, hold: 60 * 1000 },
  chat: { maxPerWindow: 5, window: 10 * 60 * 1000, hold: 60 * 1000 },
};

/** A channel left out keeps its default; `null` turns throttling off for that channel. */
const fatigueSchema = z
  .strictObject({
    email: fatigueRuleSchema.nullable().optional(),
    webhook: fatigueRuleSchema.nullable().optional(),
    chat: fatigueRuleSchema.nullable().optional(),
  })
  .default({})
  .transform((given) => {
    const rules: Partial<Record<NotifyChannel, FatigueRule>> = {};
    for (const channel of NOTIFY_CHANNELS) {
      const rule = given[channel] === undefined ? DEFAULT_FATIGUE[channel] : given[channel];
      if (rule) rules[channel] = rule;
    }
    return rules;
  });

/** People, teams, rotations, endpoints, chains and the routes that pick a chain for an event. */
export const escalationDocumentSchema = z.strictObject({
  calendars: z.array(calendarSchema).default([]),
  people: z.array(personSchema).default([]),
  teams: z.array(teamSchema).default([]),
  rotations: z.array(rotationSchema).default([]),
  endpoints: z.array(endpointSchema).default([]),
  chains: z.array(chainSchema).min(1, { message: 'needs at least one chain' }),
  /** Tried in order; the first match picks the chain. */
  routes: z.array(routeSchema).default([]),
  /** The chain for breaches and silent connectors no route matches (warnings need a route). */
  defaultChain: idSchema.optional(),
  /** Per channel; webhooks go to machines and are not throttled unless configured. */
  fatigue: fatigueSchema,
});
export type EscalationDocumentInput = z.input<typeof escalationDocumentSchema>;
export type EscalationDocument = z.output<typeof escalationDocumentSchema>;
