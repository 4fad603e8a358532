import type { DataSource } from 'typeorm';
import type { HealthIndicator } from '@replywatch/platform';

export function postgresHealthIndicator(db: DataSource): HealthIndicator {
  return {
    name: 'postgres',
    async check() {
      if (!db.isInitialized) return { up: false, detail: 'not connected' };
      await db.query('SELECT 1');
      return { up: true };
    },
  };
}
