import { Topic, deadLetterTopicFor, topicName } from './topics';

describe('topics', () => {
  it('are versioned and have dead-letter topics', () => {
    expect(Topic.ContactEvents).toBe('contact-events.v1');
    expect(deadLetterTopicFor(Topic.ContactEvents)).toBe('contact-events.dlq');
    expect(deadLetterTopicFor(Topic.SlaEvents)).toBe('sla-events.dlq');
    expect(deadLetterTopicFor(Topic.SourceEvents)).toBe('source-events.dlq');
  });

  it('take a deployment prefix', () => {
    expect(topicName(Topic.SlaEvents, 'staging.')).toBe('staging.sla-events.v1');
  });
});
