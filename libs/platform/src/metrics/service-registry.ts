import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per service instance (not prom-client's global one), so tests that start several
 * services in one process do not share counters; process metrics carry the `replywatch_` prefix.
 */
export function createServiceRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'replywatch_' });
  return registry;
}
