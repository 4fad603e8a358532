import { ConfigError } from '@replywatch/platform';
import { loadIngestConfig } from './ingest.config';

describe('ingest configuration', () => {
  it('has local defaults', () => {
    const config = loadIngestConfig({});
    expect(config.port).toBe(3000);
    expect(config.connectorKeys).toEqual([
      { source: 'local-dev', key: 'dev-connector-key-change-me' },
    ]);
    expect(config.keyRefreshMs).toBe(10000);
    expect(config.database).toEqual({
      url: 'postgres://postgres@127.0.0.1:5432/postgres',
      schema: 'replywatch',
    });
  });

  it('reads where the database connector keys live and how often they are reloaded', () => {
    const config = loadIngestConfig({
      DATABASE_URL: 'postgres://rw@db:5432/rw',
      DATABASE_SCHEMA: 'tenant_a',
      INGEST_KEY_REFRESH_MS: '2500',
    });
    expect(config.database).toEqual({ url: 'postgres://rw@db:5432/rw', schema: 'tenant_a' });
    expect(config.keyRefreshMs).toBe(2500);
    expect(() => loadIngestConfig({ INGEST_KEY_REFRESH_MS: '10' })).toThrow(
      /INGEST_KEY_REFRESH_MS/,
    );
  });

  it('parses CONNECTOR_KEYS and names it when malformed', () => {
    expect(
      loadIngestConfig({ CONNECTOR_KEYS: 'pbx=0123456789abcdef, crm=fedcba9876543210' })
        .connectorKeys,
    ).toEqual([
      { source: 'pbx', key: '0123456789abcdef' },
      { source: 'crm', key: 'fedcba9876543210' },
    ]);
    expect(() => loadIngestConfig({ CONNECTOR_KEYS: 'pbx=short' })).toThrow(/CONNECTOR_KEYS/);
    expect(() => loadIngestConfig({ CONNECTOR_KEYS: 'no-separator', INGEST_PORT: 'x' })).toThrow(
      ConfigError,
    );
  });
});
