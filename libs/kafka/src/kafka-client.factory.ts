import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import type { LogEntry } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
}

// kafkajs warns about this on every idempotent producer whose retries we cap on purpose
// (a bounded send is what lets ingest answer 503 instead of hanging); it is expected, not news.
const EXPECTED_WARNINGS = ['Limiting retries for the idempotent producer'];

// While a broker is down kafkajs logs the same connection error on every retry; once a minute is enough.
const REPEAT_WINDOW_MS = 60000;

function logCreator(clientId: string) {
  const logger = new Logger(`kafka:${clientId}`);
  const lastLogged = new Map<string, number>();
  return () =>
    ({ level, log }: LogEntry) => {
      const { message } = log;
      const now = Date.now();
      if (now - (lastLogged.get(message) ?? 0) < REPEAT_WINDOW_MS) return;
      if (lastLogged.size > 1000) lastLogged.clear();
      lastLogged.set(message, now);
      if (EXPECTED_WARNINGS.some((expected) => message.startsWith(expected))) return;
      // kafkajs logs each retried protocol response as an error; the call's own outcome is what
      // matters and is reported by the caller, so these only show at debug level.
      if (message.startsWith('Response ')) {
        logger.debug(`${message}: ${String(log.error ?? '')}`);
        return;
      }
      if (level === logLevel.ERROR)
        logger.error(`${message}${log.broker ? ` (${String(log.broker)})` : ''}`);
      else if (level === logLevel.WARN) logger.warn(message);
    };
}

/** One kafkajs client per service, short connection timeouts so outages surface quickly. */
export function createKafkaClient(options: KafkaClientOptions): Kafka {
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    logLevel: logLevel.WARN,
    logCreator: logCreator(options.clientId),
    retry: { initialRetryTime: 200, maxRetryTime: 5000, retries: 5 },
  });
}
