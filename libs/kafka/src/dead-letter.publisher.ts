import { DEAD_LETTER_HEADERS, Topic, deadLetterTopicFor, topicName } from '@replywatch/contracts';
import type { DeadLetter } from '@replywatch/contracts';
import type { Message } from 'kafkajs';

/** Turn a dead letter into the Kafka message for `<topic>.dlq`: original bytes, reason in headers. */
export function deadLetterMessage(letter: DeadLetter, service: string, nowMs: number): Message {
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.reasonCode]: letter.reasonCode,
    [DEAD_LETTER_HEADERS.reason]: letter.reason.slice(0, 2000),
    [DEAD_LETTER_HEADERS.sourceTopic]: letter.sourceTopic,
    [DEAD_LETTER_HEADERS.failedAt]: new Date(nowMs).toISOString(),
    [DEAD_LETTER_HEADERS.service]: service,
  };
  if (letter.sourcePartition !== undefined) {
    headers[DEAD_LETTER_HEADERS.sourcePartition] = String(letter.sourcePartition);
  }
  if (letter.sourceOffset !== undefined)
    headers[DEAD_LETTER_HEADERS.sourceOffset] = letter.sourceOffset;
  return { key: letter.key, value: letter.value, headers };
}

export function deadLetterTopic(source: Topic, prefix: string): string {
  return topicName(deadLetterTopicFor(source), prefix);
}
