import { AppError } from '@replywatch/platform';
import { ConnectorKeyAuthenticator } from './connector-key.authenticator';

describe('connector key authentication', () => {
  const auth = new ConnectorKeyAuthenticator([
    { source: 'pbx', key: 'pbx-key-0123456789' },
    { source: 'crm', key: 'crm-key-0123456789' },
  ]);

  it('maps a key to its connector source', () => {
    expect(auth.authenticate('Bearer crm-key-0123456789')).toBe('crm');
    expect(auth.authenticate('bearer pbx-key-0123456789')).toBe('pbx');
  });

  it.each([
    undefined,
    '',
    'Basic abc',
    'Bearer',
    'Bearer wrong-key-0123456789',
    'Bearer crm-key-0123456789x',
  ])('refuses %p with 401', (header) => {
    expect(() => auth.authenticate(header)).toThrow(AppError);
    try {
      auth.authenticate(header);
    } catch (error) {
      expect((error as AppError).status).toBe(401);
      expect((error as AppError).code).toBe('INGEST.UNAUTHENTICATED');
      expect((error as AppError).message).not.toContain('0123456789');
    }
  });
});
