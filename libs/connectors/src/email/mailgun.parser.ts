import { z } from 'zod';
import type { ParseResult, WebhookRequest } from '../connector.types';
import { describeIssues, instantFromSeconds, parseJson } from '../social-event.helpers';
import { firstValue, type FormParams } from '../twilio-voice/twilio-form.decoder';
import { firstAddress, supportMatcher } from './email-address.normaliser';
import type { EmailParseOptions } from './email-parse.options';
import { mapInboundEmail } from './inbound-email.mapper';
import { MailHeaders } from './mail-headers';
import { decodeMailgunBody } from './mailgun-body.decoder';
import { parseHeaderBlock, splitMessage } from './mime-header.parser';

/** https://documentation.mailgun.com/docs/mailgun/user-manual/events/event-types */
const KNOWN_EVENTS = new Set([
  'accepted',
  'rejected',
  'delivered',
  'failed',
  'opened',
  'clicked',
  'unsubscribed',
  'complained',
  'stored',
  'list_member_uploaded',
  'list_member_upload_error',
  'list_uploaded',
]);
/** The form-encoded webhooks Mailgun sent before its JSON ones ("legacy webhooks"). */
const LEGACY_EVENTS = new Set([
  'delivered',
  'opened',
  'clicked',
  'unsubscribed',
  'complained',
  'bounced',
  'dropped',
]);

const eventEnvelopeSchema = z.object({
  'event-data': z.object({
    event: z.string().min(1),
    timestamp: z.number().optional(),
    envelope: z.object({ sender: z.string().optional() }).optional(),
    message: z.object({ headers: z.record(z.string(), z.unknown()).optional() }).optional(),
  }),
});
const messageHeadersSchema = z.array(z.tuple([z.string(), z.string()]));

/**
 * One authentic Mailgun delivery (verifyMailgunWebhook first) as contact events:
 * - a route's `forward()` post (https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http):
 *   the received message, mapped by mapInboundEmail;
 * - an event webhook (https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads):
 *   delivery and engagement tracking, ignored, except an `accepted` reply sent from a support
 *   address that can be threaded. Mailgun documents `event-data.message.headers` with only from,
 *   to, subject and message-id, so today no outbound event can be threaded statelessly and each is
 *   ignored with that reason; copying agents on a routed address maps their replies instead. Should
 *   Mailgun add In-Reply-To or References (it says fields may be added), those events map.
 */
export function parseMailgunWebhook(
  request: WebhookRequest,
  options: EmailParseOptions,
): ParseResult {
  const body = decodeMailgunBody(request);
  switch (body.kind) {
    case 'undecodable':
      return { kind: 'malformed', reason: body.reason };
    case 'json':
      return parseEventWebhook(body.value, options);
    case 'form':
      return parseRouteForward(body.params, options);
  }
}

function parseRouteForward(params: FormParams, options: EmailParseOptions): ParseResult {
  const from = firstValue(params, 'from');
  if (from === undefined || from.trim() === '') {
    const event = firstValue(params, 'event');
    if (event !== undefined) return legacyEvent(event);
    return { kind: 'malformed', reason: 'no from field: not a Mailgun route forward() post' };
  }
  const headers = routeHeaders(params);
  if (!headers.ok) return { kind: 'malformed', reason: headers.reason };
  return mapInboundEmail(
    {
      headers: headers.headers,
      from,
      recipients: [...headers.headers.all('to'), ...headers.headers.all('cc')],
      subject: firstValue(params, 'subject'),
      envelopeSender: firstValue(params, 'sender'),
      replyText: firstValue(params, 'stripped-text'),
      bodyText: firstValue(params, 'body-plain'),
      providerTimeIso: instantFromSeconds(firstValue(params, 'timestamp')),
    },
    options,
  );
}

/**
 * The message's headers: `message-headers` (a JSON list of [name, value], order kept), else the
 * header block of `body-mime` (routes whose URL ends in `mime`), else the header fields Mailgun
 * also posts one by one. Those keep the header's own capitalisation (`Message-Id`), while
 * Mailgun's parameters are lower-case (`from`, `sender`, `subject`), so only capitalised names
 * are taken as headers.
 */
function routeHeaders(
  params: FormParams,
): { ok: true; headers: MailHeaders } | { ok: false; reason: string } {
  const json = firstValue(params, 'message-headers');
  if (json !== undefined) {
    const parsed = parseJson(Buffer.from(json, 'utf8'));
    const pairs = parsed.ok ? messageHeadersSchema.safeParse(parsed.value) : undefined;
    if (pairs === undefined || !pairs.success) {
      return { ok: false, reason: 'message-headers is not a JSON list of [name, value] pairs' };
    }
    return { ok: true, headers: MailHeaders.fromPairs(pairs.data) };
  }
  const mime = firstValue(params, 'body-mime');
  if (mime !== undefined) {
    return { ok: true, headers: parseHeaderBlock(splitMessage(mime).headerBlock) };
  }
  const pairs: [string, string][] = [];
  for (const [name, values] of params) {
    if (/^[A-Z]/.test(name)) for (const value of values) pairs.push([name, value]);
  }
  return { ok: true, headers: MailHeaders.fromPairs(pairs) };
}

function parseEventWebhook(value: unknown, options: EmailParseOptions): ParseResult {
  const envelope = eventEnvelopeSchema.safeParse(value);
  if (!envelope.success) {
    return {
      kind: 'malformed',
      reason: `not a Mailgun event webhook: ${describeIssues(envelope.error)}`,
    };
  }
  const data = envelope.data['event-data'];
  if (!KNOWN_EVENTS.has(data.event)) {
    return { kind: 'unmappable', reason: `unknown Mailgun event ${JSON.stringify(data.event)}` };
  }
  if (data.event !== 'accepted') {
    return {
      kind: 'ignored',
      reason: `Mailgun ${data.event} event: delivery tracking, not a message`,
    };
  }

  const pairs = Object.entries(data.message?.headers ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  const headers = MailHeaders.fromPairs(pairs);
  const from = headers.get('from');
  const fromAddress = firstAddress(from);
  if (from === undefined || fromAddress === undefined) {
    return { kind: 'unmappable', reason: 'accepted event without a From in message.headers' };
  }
  if (!supportMatcher(options.supportAddresses)(fromAddress)) {
    return {
      kind: 'ignored',
      reason:
        'accepted event for mail not sent from a support address: received mail is mapped from the route forward()',
    };
  }
  if (!headers.has('in-reply-to') && !headers.has('references')) {
    return {
      kind: 'ignored',
      reason:
        'accepted event for a reply from a support address that cannot be threaded: Mailgun event headers carry no In-Reply-To or References',
    };
  }
  return mapInboundEmail(
    {
      headers,
      from,
      recipients: [...headers.all('to'), ...headers.all('cc')],
      envelopeSender: data.envelope?.sender,
      providerTimeIso: instantFromSeconds(data.timestamp),
    },
    options,
  );
}

function legacyEvent(event: string): ParseResult {
  return LEGACY_EVENTS.has(event)
    ? {
        kind: 'ignored',
        reason: `legacy Mailgun ${event} webhook: delivery tracking, not a message`,
      }
    : { kind: 'unmappable', reason: `unknown legacy Mailgun event ${JSON.stringify(event)}` };
}
