import { CONSUMER_SESSION_TIMEOUT_MS, FaultHarness, LOAD } from './harness';
import { waitFor } from '../support/wait-for';

/**
 * Redis, PostgreSQL and the Kafka broker restarted under load, one at a time, each the suite's own
 * (test/faults/infra.ts), configured as docs/operations.md asks of production.
 */
describe('fault: restart of Redis, PostgreSQL and Kafka under load', () => {
  const harness = new FaultHarness();

  beforeAll(() => harness.start(), 240000);
  afterAll(() => harness.stop(), 120000);

  it('Redis (AOF everysec): kill -9 and restart from the same directory loses nothing acknowledged', async () => {
    const report = await harness.runCase({
      name: 'kill redis',
      faultAtMs: LOAD.targetMs - 1000,
      fault: async (h, mark) => {
        // everysec writes every acknowledged command to the file before the reply and fsyncs in
        // the background; only while a background fsync lags may Redis reply before writing
        // (docs/operations.md). A process crash outside that window loses nothing: kill there.
        await waitFor(
          'no background fsync pending',
          async () => (await h.redis.pendingFsyncs()) === 0,
          {
            intervalMs: 20,
          },
        );
        await h.redis.kill();
        mark('redis killed');
        await h.healthOf('sla', 'redis', false);
        mark('sla reports redis down');
        await h.redis.start();
        mark('redis loaded its AOF and answers');
        await h.healthOf('sla', 'redis', true);
        mark('sla reports redis up');
      },
    });
    harness.expectReconciled(report);
  });

  it('PostgreSQL: a crash (immediate stop) and restart loses no alert, step or page', async () => {
    const report = await harness.runCase({
      name: 'crash postgres',
      // Alerts are being created and e-mailed, level 2 starting.
      faultAtMs: LOAD.targetMs + 2000,
      // A page handed to SMTP whose "sent" could not be recorded is sent again when its 60 s lease
      // runs out, with the same Message-ID (docs/escalation.md, at least once).
      allowRedelivery: true,
      settleTimeoutMs: 180000,
      fault: async (h, mark) => {
        await h.postgres.crash();
        mark('postgres crashed');
        await h.healthOf('escalation', 'postgres', false);
        mark('escalation reports postgres down');
        await h.postgres.start();
        mark('postgres recovered and answers');
        await h.healthOf('escalation', 'postgres', true);
        mark('escalation reports postgres up');
      },
    });
    harness.expectReconciled(report);
  });

  it('Kafka: a broker restart loses no accepted event (ingest answers 503 meanwhile)', async () => {
    const report = await harness.runCase({
      name: 'restart kafka',
      faultAtMs: 8000,
      fault: async (h, mark) => {
        await h.kafka.stop();
        mark('kafka stopped');
        await h.healthOf('ingest', 'kafka', false);
        mark('ingest reports kafka down');
        await h.kafka.start();
        mark('kafka answers');
        await h.healthOf('ingest', 'kafka', true);
        mark('ingest reports kafka up');
      },
    });
    harness.expectReconciled(report);
    expect(report.load.status503 + report.load.connectionErrors).toBeGreaterThan(0); // felt
    // Breaches and alerts due while the broker was away come once the consumers rejoined their
    // groups (kafkajs rejoins as a new member: the old one must time out first).
    expect(report.figures.breaches.maxLateMs).toBeLessThan(CONSUMER_SESSION_TIMEOUT_MS + 30000);
    expect(report.figures.latency.alertMaxMs).toBeLessThan(CONSUMER_SESSION_TIMEOUT_MS + 30000);
  });
});
