import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);
const KAFKA_SCRIPT = join(__dirname, '../../deploy/kafka/kafka.sh');

/** Where the fault suite's own Kafka, Redis and PostgreSQL live, passed from global setup as JSON. */
export interface FaultInfraState {
  root: string;
  kafka: { runDir: string; port: number; controllerPort: number };
  redis: { dir: string; port: number };
  postgres: { dir: string; port: number; binDir: string };
}

export const FAULT_INFRA_ENV = 'REPLYWATCH_FAULT_INFRA';

export function infraState(): FaultInfraState {
  const raw = process.env[FAULT_INFRA_ENV];
  if (raw === undefined)
    throw new Error(`${FAULT_INFRA_ENV} is not set: run the suite with npm run test:faults`);
  return JSON.parse(raw) as FaultInfraState;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * A single Kafka broker (KRaft) of the fault suite's own, run by the project script, so it can be
 * stopped and started without disturbing the broker other tests share.
 */
export class FaultKafka {
  constructor(private readonly state: FaultInfraState['kafka']) {}

  get brokers(): string {
    return `127.0.0.1:${this.state.port}`;
  }

  private get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      KAFKA_RUN_DIR: this.state.runDir,
      KAFKA_PORT: String(this.state.port),
      KAFKA_CONTROLLER_PORT: String(this.state.controllerPort),
      KAFKA_HEAP_OPTS: '-Xms192m -Xmx512m',
    };
  }

  async start(): Promise<void> {
    await run('bash', [KAFKA_SCRIPT, 'start'], { env: this.env, timeout: 180000 });
  }

  /** SIGTERM (a controlled shutdown), as an orchestrator restarting the broker would. */
  async stop(): Promise<void> {
    await run('bash', [KAFKA_SCRIPT, 'stop'], { env: this.env, timeout: 60000 });
  }

  async destroy(): Promise<void> {
    await run('bash', [KAFKA_SCRIPT, 'stop', '--wipe'], { env: this.env, timeout: 60000 }).catch(
      () => undefined,
    );
  }
}

/**
 * A Redis server configured as production should run it (docs/operations.md): AOF on,
 * `appendfsync everysec`, `noeviction`, no RDB snapshots. It runs daemonized from its own
 * directory, so a kill -9 and a start read back the same append-only file.
 */
export class FaultRedis {
  constructor(private readonly state: FaultInfraState['redis']) {}

  get url(): string {
    return `redis://127.0.0.1:${this.state.port}`;
  }

  private get pidFile(): string {
    return join(this.state.dir, 'redis.pid');
  }

  pid(): number | undefined {
    if (!existsSync(this.pidFile)) return undefined;
    const pid = Number(readFileSync(this.pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
  }

  async start(): Promise<void> {
    mkdirSync(this.state.dir, { recursive: true });
    const result = spawnSync(
      'redis-server',
      [
        '--port',
        String(this.state.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.state.dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'everysec',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        '--daemonize',
        'yes',
        '--pidfile',
        this.pidFile,
        '--logfile',
        join(this.state.dir, 'redis.log'),
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`redis-server did not start: ${result.stderr}`);
    await this.ready();
  }

  /** Until it answers PING (not LOADING: the append-only file has been read back). */
  async ready(): Promise<void> {
    const client = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined);
    try {
      await waitFor(
        'the fault Redis to answer PING',
        async () => {
          if (client.status !== 'ready') await client.connect().catch(() => undefined);
          return (await client.ping()) === 'PONG';
        },
        { timeoutMs: 60000, intervalMs: 100 },
      );
    } finally {
      client.disconnect();
    }
  }

  /** Background fsyncs queued; while one runs, `everysec` may hold writes in memory (see docs). */
  async pendingFsyncs(): Promise<number> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 1 });
    try {
      const info = await client.info('persistence');
      return Number(/aof_pending_bio_fsync:(\d+)/.exec(info)?.[1] ?? '0');
    } finally {
      client.disconnect();
    }
  }

  /** kill -9: no SHUTDOWN, no final fsync; what survives is what the AOF already had. */
  async kill(): Promise<void> {
    const pid = this.pid();
    if (pid === undefined) return;
    process.kill(pid, 'SIGKILL');
    await waitFor('Redis to die', () => !alive(pid), { timeoutMs: 10000 });
  }

  async destroy(): Promise<void> {
    await this.kill();
    rmSync(this.state.dir, { recursive: true, force: true });
  }
}

/** The newest PostgreSQL server binaries installed (Debian layout), or those on PATH. */
export function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((name) => existsSync(join(base, name, 'bin/initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions.length > 0) return join(base, versions[0], 'bin');
  }
  return '';
}

/**
 * A PostgreSQL cluster of the fault suite's own (initdb into a temporary directory), with the
 * durability settings production needs: `fsync=on`, `synchronous_commit=on`. As root, the server
 * binaries run as the `postgres` user (initdb refuses root).
 */
export class FaultPostgres {
  constructor(private readonly state: FaultInfraState['postgres']) {}

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.state.port}/postgres`;
  }

  private bin(name: string): string {
    return this.state.binDir === '' ? name : join(this.state.binDir, name);
  }

  private async asOwner(command: string, args: string[]): Promise<void> {
    const asRoot = process.getuid?.() === 0;
    const [file, argv] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', this.bin(command), ...args]]
      : [this.bin(command), args];
    await run(file, argv, { timeout: 120000, cwd: '/' });
  }

  async init(): Promise<void> {
    mkdirSync(this.state.dir, { recursive: true });
    if (process.getuid?.() === 0) {
      const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
      chownSync(this.state.dir, uid, gid);
    }
    await this.asOwner('initdb', [
      '-D',
      this.state.dir,
      '-U',
      'postgres',
      '--auth=trust',
      '--encoding=UTF8',
      '--no-sync',
    ]);
  }

  async start(): Promise<void> {
    await this.asOwner('pg_ctl', [
      '-D',
      this.state.dir,
      '-l',
      join(this.state.dir, 'server.log'),
      '-w',
      '-t',
      '120',
      '-o',
      [
        `-p ${this.state.port}`,
        `-k ${this.state.dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=on',
        '-c synchronous_commit=on',
        '-c max_connections=200',
      ].join(' '),
      'start',
    ]);
    await this.ready();
  }

  async ready(): Promise<void> {
    await waitFor(
      'the fault PostgreSQL to accept queries',
      async () => {
        const client = new Client({ connectionString: this.url, connectionTimeoutMillis: 2000 });
        try {
          await client.connect();
          await client.query('SELECT 1');
          return true;
        } finally {
          await client.end().catch(() => undefined);
        }
      },
      { timeoutMs: 60000, intervalMs: 200 },
    );
  }

  /** `-m immediate`: no checkpoint, every backend killed; the restart replays the WAL (a crash). */
  async crash(): Promise<void> {
    await this.asOwner('pg_ctl', ['-D', this.state.dir, '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await this.asOwner('pg_ctl', ['-D', this.state.dir, '-m', 'immediate', '-w', 'stop']).catch(
      () => undefined,
    );
    rmSync(this.state.dir, { recursive: true, force: true });
  }
}
