import { CHANNELS, PRIORITIES } from '@replywatch/contracts';
import { QUEUE_STATES } from '@replywatch/redis';

const counts = {
  waiting: { type: 'integer', description: 'Waiting for a reply (at risk and breached included)' },
  atRisk: { type: 'integer' },
  breached: { type: 'integer' },
  paused: { type: 'integer', description: 'Waiting on the customer' },
};

const channelStats = {
  type: 'object',
  properties: {
    ...counts,
    oldestWaitSeconds: { type: 'integer', nullable: true },
    breachesToday: { type: 'integer', description: 'Targets breached since 00:00 UTC' },
    firstResponse: {
      type: 'object',
      properties: {
        attainmentPct: { type: 'number', nullable: true },
        met: { type: 'integer' },
        breached: { type: 'integer' },
        p50Seconds: { type: 'number', nullable: true },
        p90Seconds: { type: 'number', nullable: true },
      },
    },
    openedThisHour: {
      type: 'integer',
      description:
        'Contacts opened since the start of the current UTC hour (the last openedByHour entry).',
    },
    openedByHour: {
      type: 'array',
      items: {
        type: 'object',
        properties: { hour: { type: 'string', format: 'date-time' }, count: { type: 'integer' } },
      },
    },
  },
};

export const QUEUE_PAGE_SCHEMA = {
  type: 'object',
  properties: {
    total: { type: 'integer', description: 'Contacts matching the filters' },
    generatedAt: { type: 'string', format: 'date-time' },
    nextCursor: { type: 'string', nullable: true, description: 'Pass as cursor for the next page' },
    contacts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          contactId: { type: 'string' },
          channel: { type: 'string', enum: [...CHANNELS] },
          priority: { type: 'string', enum: [...PRIORITIES] },
          team: { type: 'string', nullable: true },
          assignee: { type: 'string', nullable: true },
          policyId: { type: 'string' },
          state: { type: 'string', enum: [...QUEUE_STATES] },
          targets: { type: 'array', items: { type: 'string' } },
          customerName: { type: 'string', nullable: true },
          waitingSince: { type: 'string', format: 'date-time' },
          waitingSeconds: { type: 'integer' },
          nextDeadlineAt: { type: 'string', format: 'date-time', nullable: true },
          secondsLeft: { type: 'integer', nullable: true },
          atRisk: { type: 'boolean' },
          breached: { type: 'boolean' },
        },
      },
    },
  },
};

export const STATS_SCHEMA = {
  type: 'object',
  properties: {
    generatedAt: { type: 'string', format: 'date-time' },
    window: {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
      },
    },
    overall: channelStats,
    channels: {
      type: 'object',
      properties: Object.fromEntries(CHANNELS.map((channel) => [channel, channelStats])),
    },
    waitingHistory: {
      type: 'array',
      description: 'The last hour of waiting counts, oldest first',
      items: {
        type: 'object',
        properties: { at: { type: 'string', format: 'date-time' }, waiting: { type: 'integer' } },
      },
    },
  },
};
