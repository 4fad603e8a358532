import { CONSUMER_SESSION_TIMEOUT_MS, FaultHarness, LOAD } from './harness';
import { OpsClient } from './ops-client';
import type { OpsClientFigures } from './ops-client';

/**
 * kill -9 of each service in turn, mid-load, and an immediate restart (as a supervisor would),
 * then the reconciliation of everything that went in and came out (test/faults/reconcile.ts).
 */
describe('fault: kill -9 and restart of one service under load', () => {
  const harness = new FaultHarness();

  beforeAll(() => harness.start(), 240000);
  afterAll(() => harness.stop(), 120000);

  it('ingest: connectors retry what the crash cut off; every accepted event is applied once', async () => {
    const report = await harness.runCase({
      name: 'kill ingest',
      faultAtMs: 8000,
      fault: async (h, mark) => {
        await h.services.ingest.kill();
        mark('ingest killed');
        await h.services.ingest.start();
        mark('ingest answering');
      },
    });
    harness.expectReconciled(report);
    expect(report.load.connectionErrors).toBeGreaterThan(0); // the crash was felt
  });

  it('sla: breaches due while it was down fire once after the restart', async () => {
    const report = await harness.runCase({
      name: 'kill sla',
      // The first breaches fall due at 15 s: they come due while the service is down.
      faultAtMs: LOAD.targetMs - 1000,
      fault: async (h, mark) => {
        await h.services.sla.kill();
        mark('sla killed');
        await h.services.sla.start();
        mark('sla answering');
      },
    });
    harness.expectReconciled(report);
    // Held while the restarted consumer waited for its partitions and caught up, then announced:
    // late by about a session timeout, never early and never for a contact answered in time.
    expect(report.figures.breaches.afterLateReply).toBe(0);
    expect(report.figures.breaches.maxLateMs).toBeLessThan(CONSUMER_SESSION_TIMEOUT_MS + 30000);
  });

  it('escalation: alerts and pages in flight at the crash are sent once (same Message-ID at most resent)', async () => {
    const report = await harness.runCase({
      name: 'kill escalation',
      // Alerts are being created, level 1 e-mailed and the first level 2 due.
      faultAtMs: LOAD.targetMs + 3000,
      // A page the dead process had handed to SMTP but not recorded is sent again once its
      // 60 s lease runs out, with the same Message-ID (docs/escalation.md, at least once).
      allowRedelivery: true,
      settleTimeoutMs: 180000,
      fault: async (h, mark) => {
        await h.services.escalation.kill();
        mark('escalation killed');
        await h.services.escalation.start();
        mark('escalation answering');
      },
    });
    harness.expectReconciled(report);
    expect(report.figures.latency.alertMaxMs).toBeLessThan(CONSUMER_SESSION_TIMEOUT_MS + 30000);
  });

  it('ops: the dashboard reconnects, acknowledgements cut off by the crash hold once retried', async () => {
    let client: OpsClient | undefined;
    const report = await harness.runCase({
      name: 'kill ops',
      faultAtMs: LOAD.targetMs + 3000,
      // One alert in four (contacts 0, 40, 80 …) is acknowledged through the ops API as it appears.
      onStart: (h, prefix) => {
        client = new OpsClient(() => h.services.ops.url, `${prefix}-`, LOAD.unansweredEvery * 4);
        client.start();
      },
      fault: async (h, mark) => {
        await h.services.ops.kill();
        mark('ops killed');
        await h.services.ops.start();
        mark('ops answering');
      },
    });
    const ops: OpsClientFigures = await client!.stop();
    const restartedAt = report.timeline['ops answering'];
    const acks = await harness.db.query<{ id: string; state: string; acks: number }>(
      `SELECT a.id, a.state, count(e.id)::int AS acks
         FROM "${harness.id}".alert a
         LEFT JOIN "${harness.id}".alert_event e ON e.alert_id = a.id AND e.kind = 'alert.acknowledged'
        WHERE a.id = ANY($1) GROUP BY a.id, a.state`,
      [[...ops.attempted]],
    );
    console.warn(
      `ops client: ${ops.polls} polls (${ops.failedPolls} failed), ${ops.streamConnects} stream connections, ` +
        `${ops.queueEvents.length} queue events, ${ops.attempted.size} alerts acknowledged ` +
        `(${ops.ackRetries} retried calls)`,
    );
    harness.expectReconciled(report);
    expect(ops.failedPolls).toBeGreaterThan(0); // the crash was felt
    const restarted = report.loadStartedAt + restartedAt;
    expect(ops.firstPollOkAfter(restarted)).toBeDefined();
    expect(ops.streamConnects).toBeGreaterThanOrEqual(2);
    expect(ops.queueEvents.some((at) => at > restarted)).toBe(true);
    expect(ops.attempted.size).toBeGreaterThan(0);
    // Each acknowledgement sent holds exactly once, whether or not its answer survived the crash.
    expect(acks.rows).toHaveLength(ops.attempted.size);
    expect(acks.rows.filter((row) => row.state !== 'acknowledged' || row.acks !== 1)).toEqual([]);
  });
});
