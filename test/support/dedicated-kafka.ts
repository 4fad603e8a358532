import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '../../deploy/kafka/kafka.sh');

/** A free loopback port (the OS picks it; we release it for the broker). */
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
 * A real Kafka broker of this test's own (the project script, other ports and run dir), for tests
 * that stop and restart Kafka without disturbing the shared broker other tests use.
 */
export class DedicatedKafka {
  private readonly runDir = mkdtempSync(join(tmpdir(), 'replywatch-kafka-'));
  private env: NodeJS.ProcessEnv = {};
  port = 0;

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) {
      this.port = await freePort();
      const controllerPort = await freePort();
      this.env = {
        ...process.env,
        KAFKA_RUN_DIR: this.runDir,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(controllerPort),
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
      };
    }
    await run('bash', [SCRIPT, 'start'], { env: this.env, timeout: 120000 });
  }

  async stop(): Promise<void> {
    if (this.port !== 0) await run('bash', [SCRIPT, 'stop'], { env: this.env, timeout: 60000 });
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    rmSync(this.runDir, { recursive: true, force: true });
  }
}
