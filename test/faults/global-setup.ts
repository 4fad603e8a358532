import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt } from '../support/build';
import { freePort } from '../support/dedicated-kafka';
import { FAULT_INFRA_ENV, FaultKafka, FaultPostgres, FaultRedis, postgresBinDir } from './infra';
import type { FaultInfraState } from './infra';

/**
 * The fault suite runs the services from dist/ (to kill them for real) on a Kafka broker, a Redis
 * and a PostgreSQL cluster of its own (to restart them for real), so it can neither disturb nor be
 * disturbed by anything else on the machine. Their addresses reach the tests through the env.
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  ensureBuilt();
  const root = mkdtempSync(join(tmpdir(), 'replywatch-faults-'));
  chmodSync(root, 0o755); // the PostgreSQL server runs as the postgres user and must reach its dir
  const state: FaultInfraState = {
    root,
    kafka: {
      runDir: join(root, 'kafka'),
      port: await freePort(),
      controllerPort: await freePort(),
    },
    redis: { dir: join(root, 'redis'), port: await freePort() },
    postgres: { dir: join(root, 'postgres'), port: await freePort(), binDir: postgresBinDir() },
  };
  process.env[FAULT_INFRA_ENV] = JSON.stringify(state);
  const kafka = new FaultKafka(state.kafka);
  const redis = new FaultRedis(state.redis);
  const postgres = new FaultPostgres(state.postgres);
  const results = await Promise.allSettled([
    kafka.start(),
    redis.start(),
    postgres.init().then(() => postgres.start()),
  ]);
  const failed = results.find((result) => result.status === 'rejected');
  if (failed !== undefined) {
    await Promise.allSettled([kafka.destroy(), redis.destroy(), postgres.destroy()]);
    rmSync(root, { recursive: true, force: true });
    throw failed.reason;
  }
  console.warn(
    `\nfault suite: own Kafka ${state.kafka.port}, Redis ${state.redis.port} (AOF everysec), ` +
      `PostgreSQL ${state.postgres.port} ready in ${Date.now() - started} ms (${root})`,
  );
}
