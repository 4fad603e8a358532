import type { ContactEventInput } from './contact-event.schema';

/** Examples shown in docs/events.md and checked against the schema by a test. */
export const CONTACT_EVENT_EXAMPLES: Record<string, ContactEventInput> = {
  'contact.opened': {
    eventId: 'SM5f8d1c2e-inbound-1',
    type: 'contact.opened',
    contactId: 'chat-8812',
    channel: 'chat',
    occurredAt: '2026-03-02T09:15:00Z',
    customer: { email: 'ana@example.com' },
    priority: 'high',
    tags: ['vip'],
    data: { subject: 'Order 1042 never arrived', preview: 'Hi, my order…' },
  },
  'agent.replied': {
    eventId: 'chat-8812-msg-2',
    type: 'agent.replied',
    contactId: 'chat-8812',
    channel: 'chat',
    occurredAt: '2026-03-02T09:21:30Z',
    data: { agentId: 'agent-17' },
  },
  'call.missed': {
    eventId: 'CA9f1c-no-answer',
    type: 'call.missed',
    contactId: 'CA9f1c',
    channel: 'phone',
    occurredAt: '2026-03-02T10:02:11Z',
    customer: { phone: '+14155550100' },
    data: { from: '+14155550100', queue: 'support' },
  },
  'contact.resolved': {
    eventId: 'chat-8812-closed',
    type: 'contact.resolved',
    contactId: 'chat-8812',
    channel: 'chat',
    occurredAt: '2026-03-02T09:40:00Z',
  },
};
