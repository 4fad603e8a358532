import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions, migrate, MIGRATIONS } from './data-source.factory';

const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Every migration applies, reverts and applies again on a fresh schema (real PostgreSQL). */
describe('migrations', () => {
  const schema = `mig_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const config = { url: DATABASE_URL, schema };

  afterAll(async () => {
    const client = new Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('go up, all the way down (with data), and up again', async () => {
    expect(await migrate(config)).toEqual(MIGRATIONS.map((m) => m.name));
    const db = new DataSource(dataSourceOptions(config, 1));
    await db.initialize();
    try {
      // Rows of every kind, so reverting has to deal with real data.
      const [alert] = await db.query<{ id: string }[]>(
        `INSERT INTO alert (sla_event_id, contact_id, channel, source, priority, target, policy_id,
                            policy_version, started_at, due_at, state)
         VALUES ('e1', 'c1', 'chat', 's', 'normal', 'first_response', 'p', 1, now(), now(),
                 'acknowledged') RETURNING id`,
      );
      const [digest] = await db.query<{ id: string }[]>(
        `INSERT INTO notification (kind, channel, recipient, collect_until)
         VALUES ('digest', 'email', 'a@example.com', now()) RETURNING id`,
      );
      const [page] = await db.query<{ id: string }[]>(
        `INSERT INTO notification (alert_id, kind, channel, recipient, status, digest_id)
         VALUES ($1, 'page', 'email', 'a@example.com', 'digested', $2) RETURNING id`,
        [alert.id, digest.id],
      );
      await db.query(
        `INSERT INTO notification (alert_id, kind, step, channel, recipient)
         VALUES ($1, 'resolved', 0, 'chat', 'slack')`,
        [alert.id],
      );
      for (const id of [digest.id, page.id]) {
        await db.query(
          `INSERT INTO notification_attempt (notification_id, attempted_at, outcome, duration_ms)
           VALUES ($1, now(), 'sent', 1)`,
          [id],
        );
      }
      await db.query(`INSERT INTO ack_token_use VALUES ($1, $2, now())`, [page.id, alert.id]);
      await db.query(`INSERT INTO alert_event (alert_id, kind, at) VALUES ($1, 'x', now())`, [
        alert.id,
      ]);
      for (let i = 0; i < MIGRATIONS.length; i += 1) {
        await db.undoLastMigration({ transaction: 'all' });
      }
      const tables = await db.query<{ table_name: string }[]>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
        [schema],
      );
      expect(tables.map((t) => t.table_name)).toEqual(['migrations']);
    } finally {
      await db.destroy();
    }
    expect(await migrate(config)).toEqual(MIGRATIONS.map((m) => m.name));
    expect(await migrate(config)).toEqual([]);
  });
});
