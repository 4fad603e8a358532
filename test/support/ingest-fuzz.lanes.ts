import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { ROUTE_SAMPLE_FIELDS } from '../../libs/connectors/src/email/fixtures/mailgun.fixtures';
import {
  PARSE_EMAIL_MESSAGE_ID,
  PARSE_EMAIL_SAMPLE,
} from '../../libs/connectors/src/email/fixtures/postmark.fixtures';
import {
  BOUNDARY,
  DEFAULT_FIELDS,
} from '../../libs/connectors/src/email/fixtures/sendgrid.fixtures';
import {
  CONVERSATION_ID,
  userCreated,
  userReplied,
} from '../../libs/connectors/src/intercom/fixtures/intercom-notifications.fixtures';
import { messengerMessages } from '../../libs/connectors/src/meta/fixtures/messenger.fixtures';
import { whatsappTextMessage } from '../../libs/connectors/src/meta/fixtures/whatsapp.fixtures';
import { AMI_QUEUE_CALLER_ABANDON } from '../../libs/connectors/src/pbx/fixtures/asterisk.fixtures';
import {
  CALL_SIDS,
  INBOUND_NO_ANSWER_STATUS_CALLBACK,
} from '../../libs/connectors/src/twilio-voice/fixtures/twilio-voice.fixtures';
import { directMessageReceived } from '../../libs/connectors/src/x/fixtures/account-activity.fixtures';
import {
  customerComment,
  ticketCreated,
} from '../../libs/connectors/src/zendesk/fixtures/zendesk-events.fixtures';
import { headerValue, trickyString } from './bad-input.arbitraries';
import type { Json, Payload } from './bad-input.arbitraries';
import type { RawResponse } from './raw-http';
import { TEST_CONNECTOR_KEY, TEST_OPS_KEY } from './stack';

/**
 * The endpoints of ingest under fuzz ("lanes"): for each, genuine payloads (made unique by a tag in
 * the provider's ids) and its credential scheme, able to sign correctly or to forge in each way a
 * sender can get it wrong. Secrets are computed independently of libs/connectors, from the docs.
 */

/** Only requests without a valid credential carry this in their ids. */
export const FORGED_MARK = 'xforgedx';

export const FUZZ_SECRETS = {
  relay: 'fuzz-relay-signing-secret-01',
  otherRelay: 'other-relay-signing-secret-1',
  twilio: 'fuzz-twilio-auth-token-0001',
  zendesk: 'fuzz-zendesk-signing-secret',
  intercom: 'fuzz-intercom-client-secret',
  meta: 'fuzz-meta-app-secret-00001',
  metaOther: 'fuzz-meta-other-app-secret',
  metaVerify: 'fuzz-meta-verify-token-001',
  x: 'fuzz-x-consumer-secret-0001',
  mailgun: 'fuzz-mailgun-signing-key-01',
  sendgrid: 'fuzz-sendgrid-url-token-001',
  postmarkUser: 'postmark',
  postmarkPassword: 'fuzz-postmark-password-001',
  pbx: 'fuzz-pbx-shared-secret-0001',
  pbxPrevious: 'fuzz-pbx-previous-secret-01',
} as const;

/** Secrets a forger might try: another account's, another provider's, or a guess. */
const WRONG_SECRETS = [
  FUZZ_SECRETS.metaOther,
  FUZZ_SECRETS.otherRelay,
  FUZZ_SECRETS.x,
  FUZZ_SECRETS.zendesk,
  TEST_CONNECTOR_KEY,
  'secret',
  '',
];

export const FUZZ_ACCOUNTS = {
  accounts: [
    { provider: 'twilio', account: 'main', authToken: FUZZ_SECRETS.twilio },
    {
      provider: 'mailgun',
      account: 'support',
      signingKey: FUZZ_SECRETS.mailgun,
      supportAddresses: ['help@example.com'],
    },
    {
      provider: 'sendgrid',
      account: 'inbound',
      urlToken: FUZZ_SECRETS.sendgrid,
      supportAddresses: ['example@example.comom'],
    },
    {
      provider: 'postmark',
      account: 'inbound',
      basicAuth: { username: FUZZ_SECRETS.postmarkUser, password: FUZZ_SECRETS.postmarkPassword },
      supportAddresses: ['@inbound.postmarkapp.com'],
    },
    { provider: 'intercom', account: 'main', clientSecret: FUZZ_SECRETS.intercom },
    { provider: 'zendesk', account: 'main', signingSecret: FUZZ_SECRETS.zendesk },
    {
      provider: 'meta',
      account: 'main',
      appSecret: FUZZ_SECRETS.meta,
      verifyToken: FUZZ_SECRETS.metaVerify,
    },
    {
      provider: 'meta',
      account: 'other',
      appSecret: FUZZ_SECRETS.metaOther,
      verifyToken: 'fuzz-meta-other-verify-01',
    },
    { provider: 'x', account: 'main', consumerSecret: FUZZ_SECRETS.x },
    {
      provider: 'pbx',
      account: 'office',
      signingSecrets: [FUZZ_SECRETS.pbx, FUZZ_SECRETS.pbxPrevious],
      defaultCountry: 'US',
    },
  ],
};

export const FUZZ_ENV = {
  WEBHOOK_ACCOUNTS: JSON.stringify(FUZZ_ACCOUNTS),
  CONNECTOR_SIGNING_SECRETS: `fuzz-relay=${FUZZ_SECRETS.relay},other-relay=${FUZZ_SECRETS.otherRelay}`,
};

// ---------------------------------------------------------------------------------------------
// Credentials

/** How a request's credential is right or wrong. Only `valid*` ones carry a real credential. */
export type AuthSpec =
  | { kind: 'valid'; skew: number }
  | { kind: 'validVariant'; how: 'upperHex' | 'padded' | 'duplicated' | 'rotated' | 'bodyHash' }
  | { kind: 'missing' }
  | { kind: 'garbage'; value: string }
  | { kind: 'wrongSecret'; secret: number }
  | { kind: 'otherBody' }
  | { kind: 'truncated' }
  | { kind: 'stale'; skew: number }
  | { kind: 'badTimestamp'; value: string }
  | { kind: 'doubleForged'; value: string }
  | { kind: 'otherSource'; source: string }
  | { kind: 'crcOracle' };

export type AuthKind = AuthSpec['kind'];

export function carriesCredential(auth: AuthSpec): boolean {
  return auth.kind === 'valid' || auth.kind === 'validVariant';
}

const signatureGarbage = fc.oneof(
  headerValue,
  fc.constantFrom(
    'sha256=',
    `sha256=${'0'.repeat(64)}`,
    `sha1=${'f'.repeat(40)}`,
    `v1=${'g'.repeat(64)}`,
    `v1=${'0'.repeat(64)}`,
    'v1=,v1=',
    Array.from({ length: 20 }, () => `v1=${'a'.repeat(64)}`).join(','),
    'v2=abc',
    'sha256=+/+/+/==',
    'null',
    'Bearer',
  ),
);

const timestampGarbage = fc.constantFrom(
  '',
  ' ',
  'now',
  'NaN',
  'Infinity',
  '-1',
  '-0',
  '1e9',
  '0x65f00000',
  '1700000000.5',
  '9'.repeat(13),
  '9'.repeat(40),
  '\uff11\uff17\uff10\uff10',
  '2026-02-30T25:61:61Z',
  'Thu, 01 Jan 1970 00:00:00 GMT',
  'null',
);

/** Skews inside every replay window (300 s), and far outside it either way. */
const freshSkew = fc.integer({ min: -120, max: 120 });
const staleSkew = fc.oneof(
  fc.integer({ min: 400, max: 100_000_000 }),
  fc.integer({ min: -1_700_000_000, max: -400 }),
);

const AUTH_ARBITRARIES: { [K in AuthKind]: fc.Arbitrary<Extract<AuthSpec, { kind: K }>> } = {
  valid: fc.record({ kind: fc.constant('valid' as const), skew: freshSkew }),
  validVariant: fc.record({
    kind: fc.constant('validVariant' as const),
    how: fc.constantFrom(
      'upperHex' as const,
      'padded' as const,
      'duplicated' as const,
      'rotated' as const,
      'bodyHash' as const,
    ),
  }),
  missing: fc.constant({ kind: 'missing' as const }),
  garbage: fc.record({ kind: fc.constant('garbage' as const), value: signatureGarbage }),
  wrongSecret: fc.record({
    kind: fc.constant('wrongSecret' as const),
    secret: fc.nat({ max: WRONG_SECRETS.length - 1 }),
  }),
  otherBody: fc.constant({ kind: 'otherBody' as const }),
  truncated: fc.constant({ kind: 'truncated' as const }),
  stale: fc.record({ kind: fc.constant('stale' as const), skew: staleSkew }),
  badTimestamp: fc.record({ kind: fc.constant('badTimestamp' as const), value: timestampGarbage }),
  doubleForged: fc.record({ kind: fc.constant('doubleForged' as const), value: signatureGarbage }),
  otherSource: fc.record({
    kind: fc.constant('otherSource' as const),
    source: fc.oneof(fc.constantFrom('other-relay', 'nobody', 'FUZZ-RELAY', ''), trickyString),
  }),
  crcOracle: fc.constant({ kind: 'crcOracle' as const }),
};

function authArbitrary(kinds: readonly AuthKind[]): {
  forged: fc.Arbitrary<AuthSpec>;
  any: fc.Arbitrary<AuthSpec>;
} {
  const forgedKinds = kinds.filter((kind) => kind !== 'valid' && kind !== 'validVariant');
  const arbitraries = (list: readonly AuthKind[]) =>
    list.map((kind) => AUTH_ARBITRARIES[kind] as fc.Arbitrary<AuthSpec>);
  return {
    forged: fc.oneof(...arbitraries(forgedKinds)),
    any: fc.oneof(
      { weight: 3, arbitrary: AUTH_ARBITRARIES.valid },
      { weight: 1, arbitrary: AUTH_ARBITRARIES.validVariant },
      ...arbitraries(forgedKinds).map((arbitrary) => ({ weight: 1, arbitrary })),
    ),
  };
}

const hmac = (algorithm: 'sha1' | 'sha256', key: string, data: Buffer | string) =>
  createHmac(algorithm, key).update(data).digest();

/** A signature with one character changed: right length and alphabet, wrong value. */
function flipped(signature: string): string {
  // The first character after a `scheme=` prefix: it carries full bits in hex and in base64
  // (the last one of a padded base64 value may only carry ignored padding bits).
  const start = /^[a-z0-9]+=/i.exec(signature)?.[0].length ?? 0;
  const swap = signature[start] === 'a' ? 'b' : 'a';
  return `${signature.slice(0, start)}${swap}${signature.slice(start + 1)}`;
}

/** A secret that is not `own`: another account's, another provider's, or a guess. */
function wrongSecret(own: string, index: number): string {
  const others = WRONG_SECRETS.filter((secret) => secret !== own);
  return others[index % others.length] || 'x';
}

export interface SignInput {
  body: Buffer;
  path: string;
  nowMs: number;
  /** The absolute URL ingest sees for a path (Twilio signs it). */
  url(path: string): string;
  get(path: string): Promise<RawResponse>;
}

export interface Signed {
  headers: [string, string][];
  path: string;
  body: Buffer;
}

/** One header carrying a body signature (Meta, X, Intercom): every way to get it wrong. */
function bodySignatureHeader(
  name: string,
  algorithm: 'sha1' | 'sha256',
  secret: string,
  encode: (digest: Buffer) => string,
) {
  return (auth: AuthSpec, input: SignInput): Signed => {
    const sign = (body: Buffer, key = secret) => encode(hmac(algorithm, key, body));
    const good = sign(input.body);
    const one = (value: string): Signed => ({
      headers: [[name, value]],
      path: input.path,
      body: input.body,
    });
    switch (auth.kind) {
      case 'valid':
        return one(good);
      case 'validVariant':
        switch (auth.how) {
          case 'upperHex':
            return one(good.replace(/=([0-9a-f]+)$/, (_m, hex: string) => `=${hex.toUpperCase()}`));
          case 'padded':
            return one(`  ${good}\t`);
          case 'duplicated':
          case 'rotated':
          case 'bodyHash':
            return {
              ...one(good),
              headers: [
                [name, good],
                [name, good],
              ],
            };
        }
        break;
      case 'missing':
        return { headers: [], path: input.path, body: input.body };
      case 'garbage':
        return one(auth.value);
      case 'wrongSecret':
        return one(sign(input.body, wrongSecret(secret, auth.secret)));
      case 'otherBody':
        return one(sign(Buffer.concat([input.body, Buffer.from(' ')])));
      case 'truncated':
        return one(flipped(good));
      case 'doubleForged':
        return {
          ...one(auth.value),
          headers: [
            [name, auth.value],
            [name, flipped(good)],
          ],
        };
      case 'stale':
      case 'badTimestamp':
      case 'otherSource':
      case 'crcOracle':
        break;
    }
    throw new Error(`${name}: no ${auth.kind} credential`);
  };
}

/** `X-Replywatch-Timestamp` + `X-Replywatch-Signature` (PBX webhooks and signed connectors). */
function genericSignature(secrets: readonly string[], source?: string) {
  return (auth: AuthSpec, input: SignInput): Signed => {
    const seconds = (skew: number) => String(Math.floor(input.nowMs / 1000) + skew);
    const v1 = (timestamp: string, body: Buffer, secret = secrets[0]) =>
      `v1=${hmac('sha256', secret, Buffer.concat([Buffer.from(`${timestamp}.`), body])).toString('hex')}`;
    const signed = (
      timestamp: string,
      signature: string,
      sourceHeader: string | null | undefined = source,
    ): Signed => ({
      headers: [
        ...(sourceHeader === undefined || sourceHeader === null
          ? []
          : ([['x-replywatch-source', sourceHeader]] as [string, string][])),
        ['x-replywatch-timestamp', timestamp],
        ['x-replywatch-signature', signature],
      ],
      path: input.path,
      body: input.body,
    });
    const now = seconds(0);
    switch (auth.kind) {
      case 'valid': {
        const timestamp = seconds(auth.skew);
        return signed(timestamp, v1(timestamp, input.body));
      }
      case 'validVariant':
        switch (auth.how) {
          case 'upperHex':
            return signed(now, v1(now, input.body).toUpperCase().replace(/^V1=/, 'v1='));
          case 'padded':
            return signed(` ${now} `, ` ${v1(now, input.body)} `);
          case 'duplicated':
          case 'bodyHash':
            // Two header lines arrive joined by ", ": a list of v1 entries, one of them good.
            return {
              ...signed(now, ''),
              headers: [
                ...signed(now, v1(now, input.body)).headers,
                ['x-replywatch-signature', `v1=${'0'.repeat(64)}`],
              ],
            };
          case 'rotated':
            return signed(
              now,
              `v1=${'1'.repeat(64)},${v1(now, input.body, secrets[secrets.length - 1])}`,
            );
        }
        break;
      case 'missing':
        return { headers: [], path: input.path, body: input.body };
      case 'garbage':
        return signed(now, auth.value);
      case 'wrongSecret':
        return signed(now, v1(now, input.body, wrongSecret(secrets[0], auth.secret)));
      case 'otherBody':
        return signed(now, v1(now, Buffer.concat([input.body, Buffer.from('\n')])));
      case 'truncated':
        return signed(now, flipped(v1(now, input.body)));
      case 'stale': {
        const timestamp = seconds(auth.skew);
        return signed(timestamp, v1(timestamp, input.body));
      }
      case 'badTimestamp':
        return signed(auth.value, v1(auth.value, input.body));
      case 'doubleForged':
        return {
          ...signed(now, auth.value),
          headers: [
            ...signed(now, auth.value).headers,
            ['x-replywatch-signature', v1(now, input.body, 'not-the-secret')],
          ],
        };
      case 'otherSource':
        // Signed with this connector's secret, but naming another (or no) source.
        return signed(now, v1(now, input.body), auth.source === '' ? null : auth.source);
      case 'crcOracle':
        break;
    }
    throw new Error(`generic signature: no ${auth.kind} credential`);
  };
}

function zendeskSignature(auth: AuthSpec, input: SignInput): Signed {
  const iso = (skew: number) => new Date(input.nowMs + skew * 1000).toISOString();
  const sign = (timestamp: string, body: Buffer, secret: string = FUZZ_SECRETS.zendesk) =>
    hmac('sha256', secret, Buffer.concat([Buffer.from(timestamp), body])).toString('base64');
  const signed = (timestamp: string, signature: string): Signed => ({
    headers: [
      ['x-zendesk-webhook-signature', signature],
      ['x-zendesk-webhook-signature-timestamp', timestamp],
    ],
    path: input.path,
    body: input.body,
  });
  const now = iso(0);
  switch (auth.kind) {
    case 'valid': {
      const timestamp = iso(auth.skew);
      return signed(timestamp, sign(timestamp, input.body));
    }
    case 'validVariant':
      return signed(` ${now}`, ` ${sign(now, input.body)} `);
    case 'missing':
      return { headers: [], path: input.path, body: input.body };
    case 'garbage':
      return signed(now, auth.value);
    case 'wrongSecret':
      return signed(now, sign(now, input.body, wrongSecret(FUZZ_SECRETS.zendesk, auth.secret)));
    case 'otherBody':
      return signed(now, sign(now, Buffer.concat([input.body, Buffer.from(' ')])));
    case 'truncated':
      return signed(now, flipped(sign(now, input.body)));
    case 'stale': {
      const timestamp = iso(auth.skew);
      return signed(timestamp, sign(timestamp, input.body));
    }
    case 'badTimestamp':
      return signed(auth.value, sign(auth.value, input.body));
    case 'doubleForged':
      return {
        ...signed(now, auth.value),
        headers: [
          ...signed(now, auth.value).headers,
          ['x-zendesk-webhook-signature', flipped(sign(now, input.body))],
        ],
      };
    case 'otherSource':
    case 'crcOracle':
      break;
  }
  throw new Error(`zendesk: no ${auth.kind} credential`);
}

/** Twilio: HMAC-SHA1 of the full URL and the sorted form parameters, or of the URL alone with `bodySHA256`. */
function twilioSignature(auth: AuthSpec, input: SignInput): Signed {
  const params = (body: Buffer) => {
    const byName = new Map<string, Set<string>>();
    for (const [name, value] of new URLSearchParams(body.toString('utf8'))) {
      byName.set(name, (byName.get(name) ?? new Set()).add(value));
    }
    let out = '';
    for (const name of [...byName.keys()].sort()) {
      for (const value of [...(byName.get(name) ?? [])].sort()) out += name + value;
    }
    return out;
  };
  const sign = (path: string, body: Buffer, secret: string = FUZZ_SECRETS.twilio) =>
    hmac('sha1', secret, input.url(path) + params(body)).toString('base64');
  const one = (signature: string, path = input.path): Signed => ({
    headers: [['x-twilio-signature', signature]],
    path,
    body: input.body,
  });
  const good = sign(input.path, input.body);
  switch (auth.kind) {
    case 'valid':
      return one(good);
    case 'validVariant':
      if (auth.how === 'bodyHash') {
        const hash = createHash('sha256').update(input.body).digest('hex');
        const path = `${input.path}?bodySHA256=${hash}`;
        return one(hmac('sha1', FUZZ_SECRETS.twilio, input.url(path)).toString('base64'), path);
      }
      return auth.how === 'duplicated'
        ? {
            ...one(good),
            headers: [
              ['x-twilio-signature', good],
              ['x-twilio-signature', good],
            ],
          }
        : one(` ${good} `);
    case 'missing':
      return { headers: [], path: input.path, body: input.body };
    case 'garbage':
      return one(auth.value);
    case 'wrongSecret':
      return one(sign(input.path, input.body, wrongSecret(FUZZ_SECRETS.twilio, auth.secret)));
    case 'otherBody':
      return one(sign(input.path, Buffer.concat([input.body, Buffer.from(`&Zz=${FORGED_MARK}`)])));
    case 'truncated':
      return one(flipped(good));
    case 'stale': {
      // Twilio signs no timestamp; the nearest forgery is a signature for another URL.
      const hash = createHash('sha256').update(input.body).digest('hex');
      return one(sign(`${input.path}?bodySHA256=${hash}`, input.body));
    }
    case 'doubleForged':
      return {
        ...one(auth.value),
        headers: [
          ['x-twilio-signature', auth.value],
          ['x-twilio-signature', flipped(good)],
        ],
      };
    case 'badTimestamp':
    case 'otherSource':
    case 'crcOracle':
      break;
  }
  throw new Error(`twilio: no ${auth.kind} credential`);
}

/** SendGrid signs nothing: the `?token=` in the URL is the credential. */
function sendgridToken(auth: AuthSpec, input: SignInput): Signed {
  const at = (query: string): Signed => ({
    headers: [],
    path: `${input.path}?${query}`,
    body: input.body,
  });
  const token = FUZZ_SECRETS.sendgrid;
  switch (auth.kind) {
    case 'valid':
      return at(`token=${token}`);
    case 'validVariant':
      return auth.how === 'duplicated'
        ? at(`token=${token}&token=wrong`)
        : at(`x=1&token=${token}`);
    case 'missing':
      return { headers: [], path: input.path, body: input.body };
    case 'garbage':
      return at(`token=${encodeURIComponent(auth.value)}`);
    case 'wrongSecret':
      return at(`token=${encodeURIComponent(wrongSecret(token, auth.secret))}`);
    case 'otherBody':
      return at(`token=${token.toUpperCase()}`);
    case 'truncated':
      return at(`token=${token.slice(0, -1)}`);
    case 'doubleForged':
      return at(`token=${encodeURIComponent(auth.value)}&token=${token.slice(1)}`);
    case 'stale':
    case 'badTimestamp':
    case 'otherSource':
    case 'crcOracle':
      break;
  }
  throw new Error(`sendgrid: no ${auth.kind} credential`);
}

function postmarkBasicAuth(auth: AuthSpec, input: SignInput): Signed {
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
  const right = `${FUZZ_SECRETS.postmarkUser}:${FUZZ_SECRETS.postmarkPassword}`;
  const one = (value: string): Signed => ({
    headers: [['authorization', value]],
    path: input.path,
    body: input.body,
  });
  switch (auth.kind) {
    case 'valid':
      return one(basic(right));
    case 'validVariant':
      return auth.how === 'duplicated'
        ? {
            ...one(''),
            headers: [
              ['authorization', basic(right)],
              ['authorization', 'Basic x'],
            ],
          }
        : one(`basic   ${Buffer.from(right).toString('base64')}  `);
    case 'missing':
      return { headers: [], path: input.path, body: input.body };
    case 'garbage':
      return one(auth.value);
    case 'wrongSecret':
      return one(
        basic(
          `${FUZZ_SECRETS.postmarkUser}:${wrongSecret(FUZZ_SECRETS.postmarkPassword, auth.secret)}`,
        ),
      );
    case 'otherBody':
      return one(basic(`${FUZZ_SECRETS.postmarkPassword}:${FUZZ_SECRETS.postmarkUser}`));
    case 'truncated':
      return one(basic(right.slice(0, -1)));
    case 'doubleForged':
      return {
        ...one(''),
        headers: [
          ['authorization', auth.value],
          ['authorization', basic(right.slice(1))],
        ],
      };
    case 'stale':
    case 'badTimestamp':
    case 'otherSource':
    case 'crcOracle':
      break;
  }
  throw new Error(`postmark: no ${auth.kind} credential`);
}

/** What a bearer-key check refuses without looking anything up: not `Bearer <one token>`. */
const BEARER_TOKEN = /^Bearer\s+(\S+)\s*$/i;
const notBearerToken = (value: string) => (BEARER_TOKEN.test(value) ? `X${value}` : value);

/** The connector API's bearer key (keys that would need a database lookup have their own lane). */
function bearerKey(auth: AuthSpec, input: SignInput): Signed {
  const one = (value: string): Signed => ({
    headers: [['authorization', value]],
    path: input.path,
    body: input.body,
  });
  switch (auth.kind) {
    case 'valid':
      return one(`Bearer ${TEST_CONNECTOR_KEY}`);
    case 'validVariant':
      return one(`bearer \t ${TEST_CONNECTOR_KEY}  `);
    case 'missing':
      return { headers: [], path: input.path, body: input.body };
    case 'garbage':
      return one(notBearerToken(auth.value));
    case 'doubleForged':
      return {
        ...one(''),
        headers: [
          ['authorization', notBearerToken(auth.value)],
          ['authorization', 'Bearer'],
        ],
      };
    case 'truncated':
      return one(`Bearer ${TEST_CONNECTOR_KEY} ${TEST_CONNECTOR_KEY}`);
    case 'wrongSecret':
    case 'otherBody':
    case 'stale':
    case 'badTimestamp':
    case 'otherSource':
    case 'crcOracle':
      break;
  }
  throw new Error(`bearer: no ${auth.kind} credential`);
}

/** Keys that are well-formed but not ingest's: each costs a (rate-limited) database lookup. */
export const unknownBearerKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    TEST_OPS_KEY,
    FUZZ_SECRETS.relay,
    `${TEST_CONNECTOR_KEY}x`,
    TEST_CONNECTOR_KEY.slice(0, -1),
    TEST_CONNECTOR_KEY.toUpperCase(),
    flipped(TEST_CONNECTOR_KEY),
    'dev-connector-key-change-me',
    'k'.repeat(8000),
    Buffer.from('schl\u00fcssel-\u{1f511}', 'utf8').toString('latin1'),
  ),
  fc.stringMatching(/^[\x21-\x7e]{1,80}$/),
);

// ---------------------------------------------------------------------------------------------
// Genuine payloads

/** `value` with each of `ids` replaced by itself plus `tag` (in the JSON text, so everywhere). */
function tagged(value: object, ids: readonly string[], tag: string): Json {
  let text = JSON.stringify(value);
  for (const id of ids) text = text.split(id).join(`${id}${tag}`);
  return JSON.parse(text) as Json;
}

function contactEvent(tag: string, index: number, nowMs: number): Json {
  const base = {
    eventId: `${tag}-${index}`,
    contactId: `fuzz-${tag}`,
    occurredAt: new Date(nowMs - 1000).toISOString(),
    schemaVersion: 1,
    tags: ['vip', 'fuzz'],
    priority: 'high',
  };
  switch (index % 3) {
    case 0:
      return {
        ...base,
        type: 'contact.opened',
        channel: 'email',
        customer: { email: 'ana@example.com', phone: '+14155550100', tier: 'gold', handle: '@ana' },
        data: { subject: 'Order 1042', preview: 'Hi, my order', public: false },
      };
    case 1:
      return {
        ...base,
        type: 'agent.replied',
        channel: 'chat',
        data: { agentId: 'agent-17', team: 'billing' },
      };
    default:
      return {
        ...base,
        type: 'call.missed',
        channel: 'phone',
        customer: { phone: '+14155550100' },
        data: { from: '+14155550100', to: '+15017122661', durationSeconds: 0, queue: 'support' },
      };
  }
}

export interface Lane {
  name: string;
  path: string;
  contentType: string;
  payloads: readonly ((tag: string, nowMs: number) => Payload)[];
  auth: { forged: fc.Arbitrary<AuthSpec>; any: fc.Arbitrary<AuthSpec> };
  /** Mailgun signs fields inside the body: they go in before the body is broken. */
  embed?(payload: Payload, auth: AuthSpec, nowMs: number): Payload;
  sign(auth: AuthSpec, input: SignInput): Signed | Promise<Signed>;
}

const json = (make: (tag: string, nowMs: number) => Json) => (tag: string, nowMs: number) =>
  ({ format: 'json', value: make(tag, nowMs) }) as Payload;

const COMMON_FORGERIES: AuthKind[] = [
  'valid',
  'validVariant',
  'missing',
  'garbage',
  'wrongSecret',
  'otherBody',
  'truncated',
  'doubleForged',
];

function mailgunFields(auth: AuthSpec, nowMs: number): [string, string][] {
  const token = createHash('sha256').update(String(nowMs)).digest('hex').slice(0, 50);
  const seconds = (skew: number) => String(Math.floor(nowMs / 1000) + skew);
  const sign = (timestamp: string, tok: string, key: string = FUZZ_SECRETS.mailgun) =>
    hmac('sha256', key, timestamp + tok).toString('hex');
  const fields = (timestamp: string, tok: string, signature: string): [string, string][] => [
    ['timestamp', timestamp],
    ['token', tok],
    ['signature', signature],
  ];
  const now = seconds(0);
  switch (auth.kind) {
    case 'valid': {
      const timestamp = seconds(auth.skew);
      return fields(timestamp, token, sign(timestamp, token));
    }
    case 'validVariant':
      return fields(now, token, sign(now, token).toUpperCase());
    case 'missing':
      return [];
    case 'garbage':
      return fields(now, token, auth.value);
    case 'wrongSecret':
      return fields(now, token, sign(now, token, wrongSecret(FUZZ_SECRETS.mailgun, auth.secret)));
    case 'otherBody':
      // Mailgun signs the timestamp and token only: another token is the forgery that fits.
      return fields(now, `${token}0`, sign(now, token));
    case 'truncated':
      return fields(now, token, flipped(sign(now, token)));
    case 'stale': {
      const timestamp = seconds(auth.skew);
      return fields(timestamp, token, sign(timestamp, token));
    }
    case 'badTimestamp':
      return fields(auth.value, token, sign(auth.value, token));
    case 'doubleForged':
      return [...fields(now, token, auth.value), ['signature', sign(now, token)]];
    case 'otherSource':
    case 'crcOracle':
      break;
  }
  throw new Error(`mailgun: no ${auth.kind} credential`);
}

const TWILIO_FIELDS = [...new URLSearchParams(INBOUND_NO_ANSWER_STATUS_CALLBACK)];
const MAILGUN_MESSAGE = '517ACC75.5010709';

export const LANES: readonly Lane[] = [
  {
    name: 'events (bearer key)',
    path: '/v1/events',
    contentType: 'application/json',
    payloads: [
      json((tag, now) => contactEvent(tag, 0, now)),
      json((tag, now) => [0, 1, 2].map((i) => contactEvent(tag, i, now))),
    ],
    auth: authArbitrary([
      'valid',
      'validVariant',
      'missing',
      'garbage',
      'doubleForged',
      'truncated',
    ]),
    sign: bearerKey,
  },
  {
    name: 'events (signed)',
    path: '/v1/events',
    contentType: 'application/json',
    payloads: [
      json((tag, now) => contactEvent(tag, 2, now)),
      json((tag, now) => [3, 4].map((i) => contactEvent(tag, i, now))),
    ],
    auth: authArbitrary([...COMMON_FORGERIES, 'stale', 'badTimestamp', 'otherSource']),
    sign: genericSignature([FUZZ_SECRETS.relay], 'fuzz-relay'),
  },
  {
    name: 'twilio',
    path: '/v1/webhooks/twilio/main',
    contentType: 'application/x-www-form-urlencoded',
    payloads: [
      (tag) => ({
        format: 'form',
        fields: TWILIO_FIELDS.map(([name, value]): [string, string] => [
          name,
          name === 'CallSid' ? `${CALL_SIDS.missed}${tag}` : value,
        ]),
      }),
    ],
    auth: authArbitrary([...COMMON_FORGERIES, 'stale']),
    sign: twilioSignature,
  },
  {
    name: 'zendesk',
    path: '/v1/webhooks/zendesk/main',
    contentType: 'application/json',
    payloads: [
      json((tag) => tagged(ticketCreated, ['01HZ8Q8Y4J6V3M2N1P0R9S8T7U', '35436'], tag)),
      json((tag) => tagged(customerComment, [customerComment.id, '35436'], tag)),
    ],
    auth: authArbitrary([...COMMON_FORGERIES, 'stale', 'badTimestamp']),
    sign: zendeskSignature,
  },
  {
    name: 'intercom',
    path: '/v1/webhooks/intercom/main',
    contentType: 'application/json',
    payloads: [
      json((tag) => tagged(userCreated, [CONVERSATION_ID], tag)),
      json((tag) => tagged(userReplied, [CONVERSATION_ID], tag)),
    ],
    auth: authArbitrary(COMMON_FORGERIES),
    sign: bodySignatureHeader(
      'x-hub-signature',
      'sha1',
      FUZZ_SECRETS.intercom,
      (d) => `sha1=${d.toString('hex')}`,
    ),
  },
  {
    name: 'meta',
    path: '/v1/webhooks/meta/main',
    contentType: 'application/json',
    payloads: [
      json((tag) =>
        tagged(
          messengerMessages,
          ['mid.1457764197618:41d102a3e1ae206a38', 'mid.$cAAJdkrCd2ORnva8ErFhjGm0X_Q_c'],
          tag,
        ),
      ),
      json((tag) =>
        tagged(
          whatsappTextMessage,
          ['wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA='],
          tag,
        ),
      ),
    ],
    auth: authArbitrary(COMMON_FORGERIES),
    sign: bodySignatureHeader(
      'x-hub-signature-256',
      'sha256',
      FUZZ_SECRETS.meta,
      (d) => `sha256=${d.toString('hex')}`,
    ),
  },
  {
    name: 'x',
    path: '/v1/webhooks/x/main',
    contentType: 'application/json',
    payloads: [json((tag) => tagged(directMessageReceived, ['954491830116155396'], tag))],
    auth: authArbitrary([...COMMON_FORGERIES, 'crcOracle']),
    sign: async (auth, input) => {
      const header = bodySignatureHeader(
        'x-twitter-webhooks-signature',
        'sha256',
        FUZZ_SECRETS.x,
        (d) => `sha256=${d.toString('base64')}`,
      );
      if (auth.kind !== 'crcOracle') return header(auth, input);
      // X's CRC answers HMAC-SHA256(consumer secret, crc_token), the same MAC as a delivery's
      // signature: ask it to sign the body, then post the body with that answer.
      let signature = `sha256=${Buffer.alloc(32).toString('base64')}`;
      // Beyond a URL's length the oracle cannot be asked (Node answers 431 before ingest sees it).
      if (input.body.length > 4000)
        return {
          headers: [['x-twitter-webhooks-signature', signature]],
          path: input.path,
          body: input.body,
        };
      const answer = await input.get(
        `${input.path}?crc_token=${encodeURIComponent(input.body.toString('utf8'))}`,
      );
      if (answer.status === 200) {
        const token = (JSON.parse(answer.body.toString('utf8')) as { response_token?: unknown })
          .response_token;
        if (typeof token === 'string') signature = token;
      }
      return {
        headers: [['x-twitter-webhooks-signature', signature]],
        path: input.path,
        body: input.body,
      };
    },
  },
  {
    name: 'mailgun',
    path: '/v1/webhooks/mailgun/support',
    contentType: 'application/x-www-form-urlencoded',
    payloads: [
      (tag) => ({
        format: 'form',
        fields: ROUTE_SAMPLE_FIELDS.filter(
          ([name]) => !['timestamp', 'token', 'signature'].includes(name),
        ).map(([name, value]): [string, string] => [
          name,
          value.split(MAILGUN_MESSAGE).join(`${MAILGUN_MESSAGE}.${tag}`),
        ]),
      }),
    ],
    auth: authArbitrary([...COMMON_FORGERIES, 'stale', 'badTimestamp']),
    embed: (payload, auth, nowMs) =>
      payload.format === 'form'
        ? { ...payload, fields: [...payload.fields, ...mailgunFields(auth, nowMs)] }
        : payload,
    sign: (_auth, input) => ({ headers: [], path: input.path, body: input.body }),
  },
  {
    name: 'sendgrid',
    path: '/v1/webhooks/sendgrid/inbound',
    contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    payloads: [
      (tag) => ({
        format: 'multipart',
        boundary: BOUNDARY,
        parts: DEFAULT_FIELDS.filter((part) => typeof part.value === 'string').map((part) => ({
          name: part.name,
          value: (part.value as string).split('CAN_P_JMvV7Zp').join(`CAN_P_JMvV7Zp${tag}`),
          ...(part.filename === undefined ? {} : { filename: part.filename }),
          ...(part.contentType === undefined ? {} : { contentType: part.contentType }),
        })),
      }),
    ],
    auth: authArbitrary(COMMON_FORGERIES),
    sign: sendgridToken,
  },
  {
    name: 'postmark',
    path: '/v1/webhooks/postmark/inbound',
    contentType: 'application/json',
    payloads: [
      json((tag) =>
        tagged(
          PARSE_EMAIL_SAMPLE,
          [PARSE_EMAIL_SAMPLE.MessageID, PARSE_EMAIL_MESSAGE_ID.slice(1, -1)],
          tag,
        ),
      ),
    ],
    auth: authArbitrary(COMMON_FORGERIES),
    sign: postmarkBasicAuth,
  },
  {
    name: 'pbx',
    path: '/v1/webhooks/pbx/office',
    contentType: 'application/json',
    payloads: [
      json((tag, now) => ({
        ...(tagged(AMI_QUEUE_CALLER_ABANDON, [AMI_QUEUE_CALLER_ABANDON.Uniqueid], tag) as Record<
          string,
          Json
        >),
        Timestamp: (now / 1000).toFixed(6),
      })),
      json((tag, now) => ({
        events: [
          {
            ...(tagged(
              AMI_QUEUE_CALLER_ABANDON,
              [AMI_QUEUE_CALLER_ABANDON.Uniqueid],
              `${tag}b`,
            ) as Record<string, Json>),
            Timestamp: (now / 1000).toFixed(6),
          },
        ],
      })),
    ],
    auth: authArbitrary([...COMMON_FORGERIES, 'stale', 'badTimestamp']),
    sign: genericSignature([FUZZ_SECRETS.pbx, FUZZ_SECRETS.pbxPrevious]),
  },
];
