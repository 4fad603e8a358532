import { Topic, topicName } from '@replywatch/contracts';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
}

/** The topics every deployment needs; partitions bound how far the SLA service scales out. */
export function replywatchTopics(prefix: string, contactPartitions: number): TopicSpec[] {
  return [
    { topic: topicName(Topic.ContactEvents, prefix), numPartitions: contactPartitions },
    { topic: topicName(Topic.ContactEventsDeadLetter, prefix), numPartitions: 1 },
    { topic: topicName(Topic.SlaEvents, prefix), numPartitions: contactPartitions },
    { topic: topicName(Topic.SlaEventsDeadLetter, prefix), numPartitions: 1 },
    { topic: topicName(Topic.SourceEvents, prefix), numPartitions: 1 },
    { topic: topicName(Topic.SourceEventsDeadLetter, prefix), numPartitions: 1 },
  ];
}
