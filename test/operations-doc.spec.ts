import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { consumerLagGauge } from '@replywatch/kafka';
import { EscalationMetrics } from '../apps/escalation/src/escalation.metrics';
import { IngestMetrics } from '../apps/ingest/src/ingest.metrics';
import { OpsMetrics } from '../apps/ops/src/ops.metrics';
import { SlaMetrics } from '../apps/sla/src/sla.metrics';

/** docs/operations.md names every metric the services register, so operators can find each. */
describe('docs/operations.md', () => {
  it('documents every Replywatch metric', async () => {
    const registry = new Registry();
    new IngestMetrics(registry);
    const sla = new SlaMetrics(registry);
    // Gauges that read Redis/PostgreSQL when scraped: registered, never collected here.
    sla.watchTimers({} as never, {} as never);
    const escalation = new EscalationMetrics(registry);
    escalation.watchBacklog({} as never);
    consumerLagGauge(registry);
    new OpsMetrics(registry).watchStreamClients({ clientCount: 0 });
    const names = registry.getMetricsAsArray().map((metric) => metric.name);
    expect(names.length).toBeGreaterThan(10);
    const doc = readFileSync(join(__dirname, '../docs/operations.md'), 'utf8');
    expect(names.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
  });
});
