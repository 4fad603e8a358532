import { createConnection } from 'node:net';

/** Fail fast, with the fix, when a service the integration tests need is not running. */
export default async function globalSetup(): Promise<void> {
  const checks: [string, string, number, string][] = [
    ['Kafka', '127.0.0.1', kafkaPort(), 'npm run kafka:start'],
    [
      'Redis',
      '127.0.0.1',
      6379,
      'redis-server --daemonize yes --port 6379 --save "" --appendonly no',
    ],
    [
      'PostgreSQL',
      '127.0.0.1',
      5432,
      'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    ],
  ];
  const down: string[] = [];
  for (const [name, host, port, fix] of checks) {
    if (!(await canConnect(host, port)))
      down.push(`${name} is not answering on ${host}:${port}; start it with: ${fix}`);
  }
  if (down.length > 0)
    throw new Error(`integration tests need running services:\n  ${down.join('\n  ')}`);
}

function kafkaPort(): number {
  const first = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',')[0];
  return Number(first.split(':')[1] ?? 9092);
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}
