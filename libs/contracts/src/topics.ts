/** Versioned topic names: the one list a connector author or operator needs. */
export enum Topic {
  ContactEvents = 'contact-events.v1',
  SlaEvents = 'sla-events.v1',
  ContactEventsDeadLetter = 'contact-events.dlq',
  SlaEventsDeadLetter = 'sla-events.dlq',
  SourceEvents = 'source-events.v1',
  SourceEventsDeadLetter = 'source-events.dlq',
}

export const ALL_TOPICS: readonly Topic[] = Object.values(Topic);

/** The dead-letter topic for a topic, e.g. `contact-events.v1` → `contact-events.dlq`. */
export function deadLetterTopicFor(topic: Topic): Topic {
  switch (topic) {
    case Topic.ContactEvents:
    case Topic.ContactEventsDeadLetter:
      return Topic.ContactEventsDeadLetter;
    case Topic.SlaEvents:
    case Topic.SlaEventsDeadLetter:
      return Topic.SlaEventsDeadLetter;
    case Topic.SourceEvents:
    case Topic.SourceEventsDeadLetter:
      return Topic.SourceEventsDeadLetter;
  }
}

/**
 * Tests (and several environments sharing one cluster) prefix every topic; production uses none.
 * Kafka topic names allow [a-zA-Z0-9._-], so the prefix must too.
 */
export function topicName(topic: Topic, prefix = ''): string {
  return `${prefix}${topic}`;
}
