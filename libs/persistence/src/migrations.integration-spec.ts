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

  it('go up, all the way down, and up again', async () => {
    expect(await migrate(config)).toEqual(MIGRATIONS.map((m) => m.name));
    const db = new DataSource(dataSourceOptions(config, 1));
    await db.initialize();
    try {
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
