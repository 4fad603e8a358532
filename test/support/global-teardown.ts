import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Stop the Kafka broker global setup started (and only that one). */
export default function globalTeardown(): void {
  if (process.env.REPLYWATCH_TEST_STARTED_KAFKA === '1') {
    execFileSync('bash', [join(__dirname, '../../deploy/kafka/kafka.sh'), 'stop'], {
      stdio: 'inherit',
    });
  }
}
