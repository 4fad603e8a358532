/**
 * `npm start`: the whole system on one machine with local defaults. Checks Redis and PostgreSQL
 * (and says how to start them), starts Kafka with the project script, runs an SMTP server that
 * writes every alert e-mail to .run/mail/, applies migrations, starts the four services and prints
 * their URLs. Ctrl-C stops all of it.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { migrate } from '@replywatch/persistence';
import { canConnect } from '@replywatch/platform';

const ROOT = join(__dirname, '..', '..');
const MAIL_DIR = join(ROOT, '.run', 'mail');
const LOCAL_SMTP_PORT = 2525;

const SERVICES = [
  { name: 'escalation', port: Number(process.env.ESCALATION_PORT ?? 3002) },
  { name: 'sla', port: Number(process.env.SLA_PORT ?? 3003) },
  { name: 'ingest', port: Number(process.env.INGEST_PORT ?? 3000) },
  { name: 'ops', port: Number(process.env.OPS_PORT ?? 3001) },
] as const;

const say = (line: string) => process.stdout.write(`[start] ${line}\n`);

function hostPort(url: string, fallbackPort: number): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname || '127.0.0.1', Number(parsed.port || fallbackPort)];
}

async function checkDependencies(): Promise<void> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const problems: string[] = [];
  const [redisHost, redisPort] = hostPort(redisUrl, 6379);
  if (!(await canConnect(redisHost, redisPort))) {
    problems.push(
      `Redis is not answering on ${redisHost}:${redisPort}. Start it, e.g.:\n` +
        `    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`,
    );
  }
  const [pgHost, pgPort] = hostPort(databaseUrl, 5432);
  if (!(await canConnect(pgHost, pgPort))) {
    problems.push(
      `PostgreSQL is not answering on ${pgHost}:${pgPort}. Start it, e.g.:\n` +
        `    pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`,
    );
  }
  if (problems.length > 0) {
    for (const problem of problems) console.error(`[start] ${problem}`);
    process.exit(1);
  }
  say(`Redis ${redisHost}:${redisPort} and PostgreSQL ${pgHost}:${pgPort} are up`);
}

function startKafka(): boolean {
  if (process.env.KAFKA_BROKERS) {
    say(`using Kafka at ${process.env.KAFKA_BROKERS} (KAFKA_BROKERS is set)`);
    return false;
  }
  say('starting Kafka (deploy/kafka/kafka.sh start; the first run fetches it with Maven)');
  const result = spawnSync('bash', [join(ROOT, 'deploy/kafka/kafka.sh'), 'start'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error('[start] Kafka did not start; see the messages above');
    process.exit(1);
  }
  return true;
}

function startMailCatcher(): SMTPServer | undefined {
  if (process.env.SMTP_URL) {
    say(`alert e-mail goes to ${process.env.SMTP_URL} (SMTP_URL is set)`);
    return undefined;
  }
  mkdirSync(MAIL_DIR, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        count += 1;
        const file = join(
          MAIL_DIR,
          `${new Date().toISOString().replace(/[:.]/g, '-')}-${count}.eml`,
        );
        writeFileSync(file, raw);
        const subject = /^Subject: (.*)$/im.exec(raw.toString('utf8'))?.[1] ?? '(no subject)';
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address).join(', ');
        say(`mail to ${to}: ${subject}\n        saved as ${file}`);
        callback();
      });
    },
  });
  server.listen(LOCAL_SMTP_PORT, '127.0.0.1');
  process.env.SMTP_URL = `smtp://127.0.0.1:${LOCAL_SMTP_PORT}`;
  say(`local SMTP server on 127.0.0.1:${LOCAL_SMTP_PORT}: alert e-mails are saved in ${MAIL_DIR}`);
  return server;
}

function prefixLines(
  name: string,
  stream: NodeJS.ReadableStream,
  out: NodeJS.WritableStream,
): void {
  let rest = '';
  stream.on('data', (chunk: Buffer) => {
    const lines = (rest + chunk.toString('utf8')).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) out.write(`[${name}] ${line}\n`);
  });
}

async function waitForHealth(
  port: number,
  child: ChildProcess,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      if (response.status === 200 || response.status === 503) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

async function main(): Promise<void> {
  await checkDependencies();
  const startedKafka = startKafka();
  const mail = startMailCatcher();
  const database = {
    url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    schema: process.env.DATABASE_SCHEMA ?? 'replywatch',
  };
  const applied = await migrate(database);
  say(
    applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date',
  );

  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping services…');
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10000).unref();
          }),
      ),
    );
    mail?.close();
    if (startedKafka)
      spawnSync('bash', [join(ROOT, 'deploy/kafka/kafka.sh'), 'stop'], { stdio: 'inherit' });
    say('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  for (const service of SERVICES) {
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/${service.name}/src/main.js`)], {
      cwd: ROOT,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    prefixLines(service.name, child.stdout, process.stdout);
    prefixLines(service.name, child.stderr, process.stderr);
    child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(
        `[start] ${service.name} exited (${signal ?? `code ${code}`}); stopping the rest`,
      );
      void stopAll(1);
    });
    if (!(await waitForHealth(service.port, child, 60000))) {
      console.error(`[start] ${service.name} did not come up on port ${service.port}`);
      await stopAll(1);
      return;
    }
  }
  const connectorKey = (process.env.CONNECTOR_KEYS ?? 'local-dev=dev-connector-key-change-me')
    .split(',')[0]
    .split('=')[1];
  const opsKey = (process.env.OPS_API_KEYS ?? 'dev-ops-key-change-me').split(',')[0];
  say('Replywatch is running:');
  say(
    `  ingest      http://127.0.0.1:${SERVICES[2].port}/v1/events   (Authorization: Bearer ${connectorKey})`,
  );
  say(
    `  ops         http://127.0.0.1:${SERVICES[3].port}/v1/queue    (Authorization: Bearer ${opsKey})`,
  );
  say(`  escalation  http://127.0.0.1:${SERVICES[0].port}/health`);
  say(`  sla         http://127.0.0.1:${SERVICES[1].port}/health`);
  say('try it (the local policy answers chat within 10 minutes; see config/policies.json):');
  say(
    `  curl -s -X POST http://127.0.0.1:${SERVICES[2].port}/v1/events -H 'Authorization: Bearer ${connectorKey}' ` +
      `-H 'Content-Type: application/json' -d '{"eventId":"demo-1","type":"contact.opened","contactId":"demo-chat-1",` +
      `"channel":"chat","occurredAt":"'$(date -u +%FT%TZ)'"}'`,
  );
  say('Ctrl-C stops everything');
}

main().catch((error: unknown) => {
  console.error(`[start] ${(error as Error).message}`);
  process.exit(1);
});
