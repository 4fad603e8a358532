/**
 * What cannot be processed is never dropped: it goes to `<topic>.dlq` with the original bytes as the
 * value and the reason in these headers, so an operator can read why and replay after a fix.
 */
export const DEAD_LETTER_HEADERS = {
  reasonCode: 'x-dlq-reason-code',
  reason: 'x-dlq-reason',
  sourceTopic: 'x-dlq-source-topic',
  sourcePartition: 'x-dlq-source-partition',
  sourceOffset: 'x-dlq-source-offset',
  failedAt: 'x-dlq-failed-at',
  service: 'x-dlq-service',
} as const;

export interface DeadLetter {
  /** Stable, machine-readable: e.g. `CONTRACT.INVALID_EVENT`, `CONTRACT.INVALID_JSON`. */
  reasonCode: string;
  reason: string;
  sourceTopic: string;
  sourcePartition?: number;
  sourceOffset?: string;
  key: Buffer | string | null;
  value: Buffer | string | null;
}
