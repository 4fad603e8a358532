import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '@replywatch/platform';

/**
 * Provider accounts that may call `POST /v1/webhooks/<provider>/<account>`, each with its own
 * secret. Read from WEBHOOK_ACCOUNTS_FILE (a JSON file, e.g. a mounted secret) or the
 * WEBHOOK_ACCOUNTS variable (the same JSON inline); none configured means no webhook is accepted.
 */
const accountName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,49}$/, 'lower-case letters, digits, . _ - (at most 50)');
const secret = z.string().min(8, 'a secret of at least 8 characters');
const replayWindowSeconds = z.number().int().min(10).max(86_400).default(300);
const supportAddresses = z
  .array(z.string().regex(/^([^@\s]+@[^@\s]+|@[^@\s]+)$/, 'an e-mail address or @domain'))
  .min(1, 'name at least one support address: replies from it are agent replies');
const basicAuth = z.strictObject({ username: z.string().min(1), password: secret });

const common = {
  account: accountName,
  /** Put up to 140 characters of the customer's text on the event (default off: no bodies on Kafka). */
  includePreview: z.boolean().default(false),
};

export const webhookAccountSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('twilio'),
    ...common,
    authToken: secret,
    agentNumbers: z.array(z.string().min(1)).default([]),
  }),
  z.strictObject({
    provider: z.literal('mailgun'),
    ...common,
    signingKey: secret,
    supportAddresses,
    replayWindowSeconds,
  }),
  z
    .strictObject({
      provider: z.literal('sendgrid'),
      ...common,
      basicAuth: basicAuth.optional(),
      /** SendGrid Inbound Parse signs nothing: a secret `?token=` in the configured URL instead. */
      urlToken: secret.optional(),
      supportAddresses,
    })
    .refine((value) => value.basicAuth !== undefined || value.urlToken !== undefined, {
      message: 'SendGrid signs nothing: set basicAuth or urlToken',
      path: ['basicAuth'],
    }),
  z.strictObject({
    provider: z.literal('postmark'),
    ...common,
    basicAuth,
    supportAddresses,
  }),
  z.strictObject({ provider: z.literal('intercom'), ...common, clientSecret: secret }),
  z.strictObject({
    provider: z.literal('zendesk'),
    ...common,
    signingSecret: secret,
    replayWindowSeconds,
  }),
  z.strictObject({
    provider: z.literal('meta'),
    ...common,
    appSecret: secret,
    verifyToken: secret,
  }),
  z.strictObject({ provider: z.literal('x'), ...common, consumerSecret: secret }),
  z.strictObject({
    provider: z.literal('pbx'),
    ...common,
    /** HMAC secrets (several during a rotation) for the X-Replywatch-Signature scheme. */
    signingSecrets: z.array(secret).min(1),
    defaultCountry: z
      .string()
      .regex(/^[A-Z]{2}$/)
      .optional(),
    replayWindowSeconds,
  }),
]);

export type WebhookAccount = z.output<typeof webhookAccountSchema>;
export type WebhookProvider = WebhookAccount['provider'];
export type AccountOf<P extends WebhookProvider> = Extract<WebhookAccount, { provider: P }>;

export const webhookAccountsSchema = z
  .strictObject({ accounts: z.array(webhookAccountSchema) })
  .superRefine((value, ctx) => {
    const seen = new Set<string>();
    value.accounts.forEach((account, index) => {
      const key = `${account.provider}/${account.account}`;
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', index, 'account'],
          message: `${key} is configured twice`,
        });
      }
      seen.add(key);
    });
  });

/** Provider accounts by `provider/account`. */
export type WebhookAccounts = ReadonlyMap<string, WebhookAccount>;

export function accountKey(provider: string, account: string): string {
  return `${provider}/${account}`;
}

/** Parse and validate the accounts document; every problem is listed with its path. */
export function parseWebhookAccounts(json: string, origin: string): WebhookAccounts {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch (error) {
    throw new ConfigError([`${origin}: not valid JSON (${(error as Error).message})`]);
  }
  const result = webhookAccountsSchema.safeParse(value);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map(
        (issue) => `${origin}: ${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
      ),
    );
  }
  return new Map(
    result.data.accounts.map((account) => [accountKey(account.provider, account.account), account]),
  );
}

export function loadWebhookAccounts(
  file: string | undefined,
  inline: string | undefined,
): WebhookAccounts {
  if (file !== undefined && inline !== undefined) {
    throw new ConfigError(['set WEBHOOK_ACCOUNTS_FILE or WEBHOOK_ACCOUNTS, not both']);
  }
  if (inline !== undefined) return parseWebhookAccounts(inline, 'WEBHOOK_ACCOUNTS');
  if (file === undefined) return new Map();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `WEBHOOK_ACCOUNTS_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    ]);
  }
  return parseWebhookAccounts(text, `WEBHOOK_ACCOUNTS_FILE ${file}`);
}
