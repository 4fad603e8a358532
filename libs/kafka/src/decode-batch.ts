import { decodeJson } from '@replywatch/contracts';
import type { DeadLetter, Validated } from '@replywatch/contracts';
import type { KafkaMessageBatch } from './kafka-batch.server';

export interface DecodedBatch<T> {
  valid: T[];
  deadLetters: DeadLetter[];
}

/**
 * Decode a consumed batch against its contract. A message that is not JSON or breaks the schema
 * is a permanent failure: it becomes a dead letter with the reason, never a blocked partition.
 */
export function decodeBatch<T>(
  batch: KafkaMessageBatch,
  validate: (input: unknown) => Validated<T>,
): DecodedBatch<T> {
  const valid: T[] = [];
  const deadLetters: DeadLetter[] = [];
  for (const message of batch.messages) {
    const origin = {
      sourceTopic: batch.topic,
      sourcePartition: batch.partition,
      sourceOffset: message.offset,
      key: message.key,
      value: message.value,
    };
    const json = decodeJson(message.value);
    if (!json.ok) {
      deadLetters.push({ ...origin, reasonCode: 'CONTRACT.INVALID_JSON', reason: json.reason });
      continue;
    }
    const result = validate(json.value);
    if (!result.ok) {
      const reason = result.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      deadLetters.push({ ...origin, reasonCode: 'CONTRACT.INVALID_EVENT', reason });
      continue;
    }
    valid.push(result.value);
  }
  return { valid, deadLetters };
}
