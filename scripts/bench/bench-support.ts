import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';

/** A free loopback port (the OS picks it and we release it for the server). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * A redis-server of the benchmark's own: memory figures are then the benchmark's alone, and
 * stopping it is the clean-up. Persistence is off unless asked (AOF for the recovery figures).
 */
export class BenchRedis {
  private process: ChildProcess | undefined;
  port = 0;

  async start(options: { appendOnly?: boolean } = {}): Promise<string> {
    this.port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'replywatch-bench-redis-'));
    this.process = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        options.appendOnly ? 'yes' : 'no',
        '--appendfsync',
        'everysec',
        '--dir',
        dir,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    const url = `redis://127.0.0.1:${this.port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      probe.on('error', () => undefined); // not up yet: the loop tries again
      try {
        await probe.connect();
        await probe.ping();
        probe.disconnect();
        return url;
      } catch {
        probe.disconnect();
        if (Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

export async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarise(samplesMs: number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    samples: sorted.length,
    p50Ms: round(at(0.5)),
    p99Ms: round(at(0.99)),
    maxMs: round(sorted[sorted.length - 1] ?? 0),
  };
}

/** Time `run` `iterations` times after `warmup` unmeasured runs, one at a time. */
export async function measure(
  run: () => Promise<void>,
  iterations: number,
  warmup = 10,
): Promise<LatencySummary> {
  for (let i = 0; i < warmup; i += 1) await run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    const started = process.hrtime.bigint();
    await run();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return summarise(samples);
}

/** Print rows as an aligned text table. */
export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const width = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(width[i])).join('  ');
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${line(columns)}\n${line(width.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((c) => String(row[c])))}\n`);
}

/** Results go under bench-output/ (git-ignored), one JSON file per run. */
export function writeResults(name: string, results: unknown): string {
  const dir = join(process.cwd(), 'bench-output');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function argValue(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

/** A service as a real OS process from dist/, so the benchmark can kill -9 it. */
export class BenchService {
  private child: ChildProcess | undefined;
  private output = '';
  url = '';
  startedAt = 0;

  constructor(
    readonly service: 'ingest' | 'sla' | 'escalation' | 'ops',
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.output = '';
    const port = await freePort();
    this.startedAt = Date.now();
    const child = spawn(
      process.execPath,
      // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the services.
      [
        ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
        join(process.cwd(), `dist/apps/${this.service}/src/main.js`),
      ],
      {
        env: { ...process.env, ...this.env, [`${this.service.toUpperCase()}_PORT`]: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-200_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.url = `http://127.0.0.1:${port}`;
    await waitUntil(`${this.service} to answer /health`, 120_000, async () => {
      if (child.exitCode !== null) {
        throw new Error(`${this.service} exited: ${this.output.slice(-3000)}`);
      }
      // Any answer: a degraded dependency (no SMTP in the benchmark) is not our concern here.
      return (await fetch(`${this.url}/health`)).status > 0;
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}; its output:\n${this.output.slice(-3000)}`);
    });
  }

  get log(): string {
    return this.output;
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Poll `probe` until it returns true (errors count as "not yet"), or fail after `timeoutMs`. */
export async function waitUntil(
  description: string,
  timeoutMs: number,
  probe: () => Promise<boolean> | boolean,
  intervalMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await probe()) return;
    } catch (error) {
      if (error instanceof Error && /exited:/.test(error.message)) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Sum of a Prometheus metric's samples (all label sets) in a /metrics text. */
export function metricSum(text: string, name: string): number {
  let sum = 0;
  const pattern = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'gm');
  for (const match of text.matchAll(pattern)) sum += Number(match[1]);
  return sum;
}
