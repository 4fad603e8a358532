import { rmSync } from 'node:fs';
import { FAULT_INFRA_ENV, FaultKafka, FaultPostgres, FaultRedis, infraState } from './infra';

/** Stop the fault suite's own Kafka, Redis and PostgreSQL and delete their data. */
export default async function globalTeardown(): Promise<void> {
  if (process.env[FAULT_INFRA_ENV] === undefined) return;
  const state = infraState();
  await Promise.all([
    new FaultKafka(state.kafka).destroy(),
    new FaultRedis(state.redis).destroy(),
    new FaultPostgres(state.postgres).destroy(),
  ]);
  rmSync(state.root, { recursive: true, force: true });
}
