import { ConfigError } from '@replywatch/platform';
import { loadIngestConfig } from '../ingest.config';
import { loadWebhookAccounts, parseWebhookAccounts } from './webhook-accounts.config';

const problemsOf = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('webhook accounts', () => {
  it('are keyed provider/account, with defaults filled in', () => {
    const accounts = parseWebhookAccounts(
      JSON.stringify({
        accounts: [
          { provider: 'zendesk', account: 'main', signingSecret: 'zendesk-secret' },
          { provider: 'zendesk', account: 'eu', signingSecret: 'other-secret' },
        ],
      }),
      'test',
    );
    expect([...accounts.keys()]).toEqual(['zendesk/main', 'zendesk/eu']);
    expect(accounts.get('zendesk/main')).toEqual({
      provider: 'zendesk',
      account: 'main',
      signingSecret: 'zendesk-secret',
      includePreview: false,
      replayWindowSeconds: 300,
    });
  });

  it('name every problem by its path', () => {
    const problems = problemsOf(() =>
      parseWebhookAccounts(
        JSON.stringify({
          accounts: [
            { provider: 'twilio', account: 'Main Line', authToken: 'short' },
            { provider: 'sendgrid', account: 'in', supportAddresses: ['support@example.com'] },
            { provider: 'mailgun', account: 'm', signingKey: 'mailgun-key', supportAddresses: [] },
            { provider: 'fax', account: 'x' },
            { provider: 'x', account: 'dup', consumerSecret: 'consumer-secret' },
            { provider: 'x', account: 'dup', consumerSecret: 'consumer-secret' },
          ],
        }),
        'accounts.json',
      ),
    );
    expect(problems).toEqual([
      'accounts.json: accounts.0.account: lower-case letters, digits, . _ - (at most 50)',
      'accounts.json: accounts.0.authToken: a secret of at least 8 characters',
      'accounts.json: accounts.1.basicAuth: SendGrid signs nothing: set basicAuth or urlToken',
      'accounts.json: accounts.2.supportAddresses: name at least one support address: replies from it are agent replies',
      expect.stringMatching(/^accounts\.json: accounts\.3\.provider: /),
    ]);
  });

  it('report duplicates once every account is valid', () => {
    const problems = problemsOf(() =>
      parseWebhookAccounts(
        JSON.stringify({
          accounts: [
            { provider: 'x', account: 'dup', consumerSecret: 'consumer-secret' },
            { provider: 'x', account: 'dup', consumerSecret: 'consumer-secret' },
          ],
        }),
        'accounts.json',
      ),
    );
    expect(problems).toEqual(['accounts.json: accounts.1.account: x/dup is configured twice']);
  });

  it('come from a file or inline JSON, never both, and an unreadable file is named', () => {
    expect(loadWebhookAccounts(undefined, undefined).size).toBe(0);
    expect(problemsOf(() => loadWebhookAccounts('/nonexistent/accounts.json', undefined))).toEqual([
      'WEBHOOK_ACCOUNTS_FILE: cannot read /nonexistent/accounts.json (ENOENT)',
    ]);
    expect(problemsOf(() => loadWebhookAccounts('a.json', '{}'))).toEqual([
      'set WEBHOOK_ACCOUNTS_FILE or WEBHOOK_ACCOUNTS, not both',
    ]);
    expect(problemsOf(() => parseWebhookAccounts('{', 'WEBHOOK_ACCOUNTS'))[0]).toMatch(
      /^WEBHOOK_ACCOUNTS: not valid JSON/,
    );
  });

  it('stop ingest at start-up together with any other bad variable', () => {
    const problems = problemsOf(() =>
      loadIngestConfig({ WEBHOOK_ACCOUNTS: '{"accounts":[{"provider":"x"}]}', INGEST_PORT: 'abc' }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^INGEST_PORT: /),
        expect.stringMatching(/WEBHOOK_ACCOUNTS: accounts\.0\.account: /),
      ]),
    );
  });
});
