import { z } from 'zod';
import type { ParseResult, WebhookRequest } from '../connector.types';
import { describeIssues, parseJson } from '../social-event.helpers';
import type { EmailParseOptions } from './email-parse.options';
import { mapInboundEmail } from './inbound-email.mapper';
import { MailHeaders } from './mail-headers';

const recipientSchema = z.object({ Email: z.string().nullish() });

/** The fields read; Postmark sends more (https://postmarkapp.com/developer/webhooks/inbound-webhook). */
const postmarkInboundSchema = z.object({
  From: z.string().nullish(),
  FromFull: recipientSchema.nullish(),
  To: z.string().nullish(),
  ToFull: z.array(recipientSchema).nullish(),
  Cc: z.string().nullish(),
  CcFull: z.array(recipientSchema).nullish(),
  Subject: z.string().nullish(),
  Date: z.string().nullish(),
  TextBody: z.string().nullish(),
  StrippedTextReply: z.string().nullish(),
  Headers: z.array(z.object({ Name: z.string(), Value: z.string() })).nullish(),
});

/**
 * One Postmark inbound webhook (JSON) as contact events. Postmark signs nothing: ingest protects
 * the URL with basic auth (verifyBasicAuth) before this runs.
 *
 * Threading headers (Message-ID, In-Reply-To, References) and Return-Path come from `Headers`;
 * Postmark's own `MessageID` names its copy, not the message, so it is not used for ids. From,
 * Subject and Date are Postmark's top-level fields (the parsed From first).
 */
export function parsePostmarkInbound(
  request: WebhookRequest,
  options: EmailParseOptions,
): ParseResult {
  const json = parseJson(request.rawBody);
  if (!json.ok) return { kind: 'malformed', reason: 'body is not JSON' };
  if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
    return { kind: 'malformed', reason: 'not a Postmark inbound webhook: body is not an object' };
  }
  const payload = postmarkInboundSchema.safeParse(json.value);
  if (!payload.success) {
    return {
      kind: 'malformed',
      reason: `not a Postmark inbound webhook: ${describeIssues(payload.error)}`,
    };
  }
  const message = payload.data;
  const from = nonEmpty(message.FromFull?.Email) ?? nonEmpty(message.From);
  if (from === undefined) {
    return { kind: 'malformed', reason: 'no From: not a Postmark inbound webhook' };
  }

  const headers = MailHeaders.fromPairs(
    (message.Headers ?? []).map((header) => [header.Name, header.Value] as const),
  );
  if (!headers.has('date') && nonEmpty(message.Date) !== undefined) {
    headers.add('Date', message.Date as string);
  }
  const listed = (full: typeof message.ToFull, plain: string | null | undefined) =>
    full != null && full.length > 0
      ? full.flatMap((recipient) => (recipient.Email ? [recipient.Email] : []))
      : plain
        ? [plain]
        : [];

  return mapInboundEmail(
    {
      headers,
      from,
      recipients: [...listed(message.ToFull, message.To), ...listed(message.CcFull, message.Cc)],
      subject: message.Subject ?? undefined,
      replyText: message.StrippedTextReply ?? undefined,
      bodyText: message.TextBody ?? undefined,
    },
    options,
  );
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return value !== undefined && value !== null && value.trim() !== '' ? value : undefined;
}
