import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_ADAPTERS } from './provider-adapters';
import { webhookAccountSchema } from './webhook-accounts.config';

/** Keeps docs/connectors.md honest: every provider and every account field it can be given. */
const DOC = readFileSync(join(__dirname, '../../../../docs/connectors.md'), 'utf8');

describe('docs/connectors.md', () => {
  it.each(Object.keys(PROVIDER_ADAPTERS))('shows the webhook URL of %s', (provider) => {
    expect(DOC).toContain(`/v1/webhooks/${provider}/`);
  });

  it('names every account field of every provider', () => {
    const fields = webhookAccountSchema.options.flatMap((option) => Object.keys(option.shape));
    const missing = [...new Set(fields)].filter(
      (field) => !DOC.includes(`"${field}"`) && !DOC.includes(`\`${field}\``),
    );
    expect(missing).toEqual([]);
  });

  it('has an accounts example that ingest accepts', () => {
    const block = /```json\n(\{\n {2}"accounts"[\s\S]*?)```/.exec(DOC)?.[1];
    expect(block).toBeDefined();
    const accounts = (JSON.parse(block!) as { accounts: unknown[] }).accounts;
    for (const account of accounts)
      expect(webhookAccountSchema.safeParse(account).error).toBeUndefined();
    const providers = new Set(accounts.map((a) => (a as { provider: string }).provider));
    expect([...providers].sort()).toEqual(Object.keys(PROVIDER_ADAPTERS).sort());
  });
});
