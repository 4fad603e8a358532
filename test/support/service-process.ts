import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './dedicated-kafka';
import { waitFor } from './wait-for';

const ROOT = join(__dirname, '../..');

/** A service as a real OS process (from dist/), so a test can kill -9 it. */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private output = '';
  url = '';

  constructor(
    readonly service: 'ingest' | 'sla' | 'escalation' | 'ops',
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.output = '';
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, `dist/apps/${this.service}/src/main.js`)], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, [`${this.service.toUpperCase()}_PORT`]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const collect = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    this.url = `http://127.0.0.1:${port}`;
    await waitFor(
      `${this.service} to answer /health`,
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`${this.service} exited: ${this.output.slice(-2000)}`);
        }
        return (await fetch(`${this.url}/health`)).status > 0;
      },
      { timeoutMs: 60000 },
    );
  }

  get log(): string {
    return this.output;
  }

  /** kill -9: no shutdown hooks, no goodbyes, as a crash or an OOM kill would. */
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
    child.kill('SIGTERM');
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    // A graceful stop gets 15 s; a service that has not exited by then is killed.
    await waitFor(`${this.service} to stop`, exited, { timeoutMs: 15000 }).catch(async () => {
      child.kill('SIGKILL');
      await waitFor(`${this.service} to die`, exited);
    });
  }
}
