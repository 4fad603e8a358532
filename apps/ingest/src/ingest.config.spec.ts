import { ConfigError } from '@replywatch/platform';
import { loadIngestConfig } from './ingest.config';

describe('ingest configuration', () => {
  it('has local defaults', () => {
    const config = loadIngestConfig({});
    expect(config.port).toBe(3000);
    expect(config.connectorKeys).toEqual([
      { source: 'local-dev', key: 'dev-connector-key-change-me' },
    ]);
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
