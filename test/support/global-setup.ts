import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { canConnect } from '../../libs/platform/src/net/can-connect';
import { ensureBuilt } from './build';

const KAFKA_SCRIPT = join(__dirname, '../../deploy/kafka/kafka.sh');

/**
 * Integration tests need Kafka, Redis and PostgreSQL. Kafka is the project's own: when none answers
 * and KAFKA_BROKERS is not set, start it with the project script (and stop it afterwards), so
 * `npm test` works on a fresh machine. Redis and PostgreSQL are the machine's: say how to start them.
 */
export default async function globalSetup(): Promise<void> {
  const kafkaPort = Number(
    (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0].split(':')[1] ?? 9092,
  );
  if (!(await canConnect('127.0.0.1', kafkaPort)) && process.env.KAFKA_BROKERS === undefined) {
    console.warn(
      '\nKafka is not running: starting it with deploy/kafka/kafka.sh (stopped after the tests)',
    );
    execFileSync('bash', [KAFKA_SCRIPT, 'start'], { stdio: 'inherit' });
    process.env.REPLYWATCH_TEST_STARTED_KAFKA = '1';
  }
  const checks: [string, number, string][] = [
    ['Kafka', kafkaPort, 'npm run kafka:start'],
    ['Redis', 6379, 'redis-server --daemonize yes --port 6379 --save "" --appendonly no'],
    [
      'PostgreSQL',
      5432,
      'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    ],
  ];
  const down: string[] = [];
  for (const [name, port, fix] of checks) {
    if (!(await canConnect('127.0.0.1', port))) {
      down.push(`${name} is not answering on 127.0.0.1:${port}; start it with: ${fix}`);
    }
  }
  if (down.length > 0)
    throw new Error(`integration tests need running services:\n  ${down.join('\n  ')}`);
  ensureBuilt();
}
