import fc from 'fast-check';
import {
  bodySpec,
  trickyString,
  cleanTransport,
  contentTypeHeaders,
  oneTransportDefect,
  renderBody,
  transportSpec,
} from './bad-input.arbitraries';
import type { BodySpec, TransportSpec } from './bad-input.arbitraries';
import { carriesCredential, FORGED_MARK, FUZZ_SECRETS } from './ingest-fuzz.lanes';
import type { AuthSpec, Lane } from './ingest-fuzz.lanes';
import type { RawRequest, RawResponse } from './raw-http';

/** One generated request to one lane: which genuine payload, and what is wrong with it. */
export interface CaseSpec {
  payload: number;
  auth: AuthSpec;
  body: BodySpec;
  transport: TransportSpec;
}

export interface BuiltCase {
  request: RawRequest;
  /** Whether it carries a valid credential (only then may ingest take it). */
  authentic: boolean;
  /** In the provider ids of the genuine payload: `FORGED_MARK…` when not authentic. */
  tag: string;
  /** A one-line description for failure messages and the histogram (no secrets, no bodies). */
  label: string;
}

/**
 * The mix: a fully genuine request now and then (so acceptance and dead-lettering run too), many
 * that are genuine except for exactly one defect (credential, one field, or the transport), so
 * the deep validation paths run behind a valid signature, and the rest broken in every way at once.
 */
export function caseArbitrary(lane: Lane, bodyLimit: number): fc.Arbitrary<CaseSpec> {
  const bodies = bodySpec(bodyLimit);
  const payload = fc.nat({ max: lane.payloads.length - 1 });
  const genuine: BodySpec = { kind: 'genuine' };
  const validAuth: AuthSpec = { kind: 'valid', skew: 0 };
  return fc.oneof(
    {
      weight: 1,
      arbitrary: fc.record({
        payload,
        auth: fc.constant(validAuth),
        body: fc.constant(genuine),
        transport: fc.constant(cleanTransport),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        payload,
        auth: lane.auth.forged,
        body: fc.constant(genuine),
        transport: fc.constant(cleanTransport),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        payload,
        auth: fc.constant(validAuth),
        body: bodies.oneFieldDefect,
        transport: fc.constant(cleanTransport),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        payload,
        auth: fc.constant(validAuth),
        body: fc.constant(genuine),
        transport: oneTransportDefect(),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({
        payload,
        auth: lane.auth.any,
        body: bodies.any,
        transport: transportSpec(),
      }),
    },
  );
}

/** Node refuses to send control characters or code points above U+00FF in a header. */
export function sendableHeader(value: string): string {
  // eslint-disable-next-line no-control-regex
  const bytes = /[^\x00-\xff]/.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value;
  return bytes.replace(/[^\t\x20-\x7e\x80-\xff]/g, '');
}

let sequence = 0;

export interface BuildContext {
  url(path: string): string;
  get(path: string): Promise<RawResponse>;
  nowMs?: number;
}

export async function buildCase(
  lane: Lane,
  spec: CaseSpec,
  context: BuildContext,
): Promise<BuiltCase> {
  sequence += 1;
  const authentic = carriesCredential(spec.auth);
  const tag = `${authentic ? 'fza' : FORGED_MARK}${process.pid}n${sequence}`;
  const nowMs = context.nowMs ?? Date.now();
  let payload = lane.payloads[spec.payload % lane.payloads.length](tag, nowMs);
  if (lane.embed !== undefined) payload = lane.embed(payload, spec.auth, nowMs);
  const body = renderBody(payload, spec.body);
  const signed = await lane.sign(spec.auth, {
    body,
    path: lane.path,
    nowMs,
    url: context.url,
    get: context.get,
  });
  const headers = [
    ...contentTypeHeaders(spec.transport.contentType, lane.contentType),
    ...signed.headers,
    ...spec.transport.extraHeaders,
  ].map(([name, value]): [string, string] => [name, sendableHeader(value)]);
  return {
    request: {
      method: 'POST',
      path: signed.path,
      headers,
      body: signed.body,
      chunked: spec.transport.chunked,
    },
    authentic,
    tag,
    label: describeCase(spec, signed.body.length),
  };
}

export function describeCase(spec: CaseSpec, bytes: number): string {
  const auth = spec.auth.kind === 'validVariant' ? `valid(${spec.auth.how})` : spec.auth.kind;
  const body =
    spec.body.kind === 'field'
      ? `field#${spec.body.pick}:${spec.body.change.op}`
      : spec.body.kind === 'text'
        ? `text:${spec.body.defect.how}`
        : spec.body.kind === 'foreign'
          ? `foreign:${spec.body.body.as}`
          : spec.body.kind;
  const transport = [
    spec.transport.contentType.kind === 'right' ? '' : `ctype:${spec.transport.contentType.kind}`,
    spec.transport.extraHeaders.length > 0 ? `+${spec.transport.extraHeaders.length}hdr` : '',
    spec.transport.chunked ? 'chunked' : '',
  ]
    .filter(Boolean)
    .join(',');
  return `auth=${auth} body=${body} (${bytes} B)${transport ? ` ${transport}` : ''}`;
}

export interface RoutingSpec {
  method: string;
  target: string;
  search: string;
  bytes: Uint8Array;
}

/** Unknown providers, accounts, paths and methods, and the GET handshakes with bad queries. */
export function routingArbitrary(): fc.Arbitrary<RoutingSpec> {
  const segment = (known: string[]) =>
    fc.oneof(
      fc.constantFrom(...known),
      fc.constantFrom(
        '__proto__',
        'constructor',
        'toString',
        'hasOwnProperty',
        '..',
        '.',
        '%2e%2e',
        '%',
        '%zz',
        '%00',
        '%C0%AF',
        'a'.repeat(3000),
      ),
      trickyString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, 'x')) || 'x'),
      fc.constantFrom(...known).map((name) => name.toUpperCase()),
    );
  const providers = [
    'twilio',
    'mailgun',
    'sendgrid',
    'postmark',
    'intercom',
    'zendesk',
    'meta',
    'x',
    'pbx',
    'myspace',
  ];
  const path = fc.oneof(
    fc
      .tuple(segment(providers), segment(['main', 'other', 'support', 'inbound', 'office', 'nope']))
      .map(([provider, account]) => `/v1/webhooks/${provider}/${account}`),
    fc.constantFrom(
      '/v1/webhooks',
      '/v1/webhooks/meta',
      '/v1/webhooks/meta/main/extra',
      '/v1/events/x',
      '/v1/events//',
      '/v1//events',
      '/v1/event',
      '/v2/events',
      '/',
      '/%ff',
      '/v1/events;x',
    ),
  );
  const query = fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      '?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1',
      '?hub.mode=subscribe&hub.challenge=1',
      '?crc_token=',
      '?crc_token=abc',
      '?crc_token=%7B%22a%22%3A1%7D',
      '?token=&token=',
      '?%zz=1',
      '?a=%',
    ),
    fc
      .string({ maxLength: 40 })
      .map((text) => `?crc_token=${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, 'x'))}`),
  );
  const anything = fc.record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
    target: path,
    search: query,
    bytes: fc.uint8Array({ maxLength: 200 }),
  });
  // The handshakes themselves: Meta's verification with every token but the right one (or the
  // right one with the wrong mode), X's CRC with tokens and with text it must not sign.
  const verifyToken = FUZZ_SECRETS.metaVerify;
  const handshake = fc.record({
    method: fc.constant('GET'),
    target: fc.constantFrom(
      '/v1/webhooks/meta/main',
      '/v1/webhooks/meta/other',
      '/v1/webhooks/x/main',
      '/v1/webhooks/twilio/main',
      '/v1/webhooks/pbx/office',
    ),
    search: fc.oneof(
      query,
      fc.constantFrom(
        '?hub.mode=subscribe',
        '?hub.mode=subscribe&hub.challenge=1&hub.verify_token=',
        `?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${verifyToken}`,
        `?hub.mode=subscribe&hub.verify_token=${verifyToken}`,
        `?hub.mode=subscribe&hub.challenge=1&hub.verify_token=${verifyToken}x`,
        '?crc_token=9b4507b3-9040-4669-9ca3-6b94edb50553',
        `?crc_token=${'A'.repeat(300)}`,
      ),
      fc
        .jsonValue({ maxDepth: 2 })
        .map((value) => `?crc_token=${encodeURIComponent(JSON.stringify(value) ?? 'null')}`),
    ),
    bytes: fc.constant(new Uint8Array()),
  });
  return fc.oneof({ weight: 3, arbitrary: anything }, { weight: 1, arbitrary: handshake });
}
