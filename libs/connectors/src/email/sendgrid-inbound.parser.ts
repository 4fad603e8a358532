import { z } from 'zod';
import type { ParseResult, WebhookRequest } from '../connector.types';
import { parseJson } from '../social-event.helpers';
import type { EmailParseOptions } from './email-parse.options';
import { decodeBytes } from './encoded-word.decoder';
import { mapInboundEmail, type InboundEmail } from './inbound-email.mapper';
import type { MailHeaders } from './mail-headers';
import { parseHeaderBlock, parseParameterizedHeader, splitMessage } from './mime-header.parser';
import { plainTextOf } from './mime-text.extractor';
import { decodeMultipartForm, type MultipartField } from './multipart-form.decoder';

const envelopeSchema = z.object({ from: z.string().nullish() });
const charsetsSchema = z.record(z.string(), z.string());

/**
 * One SendGrid Inbound Parse post (https://www.twilio.com/docs/sendgrid/for-developers/parsing-email/setting-up-the-inbound-parse-webhook)
 * as contact events. SendGrid signs nothing here: ingest protects the URL with basic auth or a
 * secret in it (verifyBasicAuth) before this runs.
 *
 * The post is multipart/form-data (the boundary comes from the request's Content-Type), either
 * parsed (`headers` holds the raw header block, `from`, `to`, `subject`, `text` the extracted
 * fields in the charsets named by `charsets`) or, with "Send Raw", the whole message in `email`.
 */
export function parseSendGridInbound(
  request: WebhookRequest,
  options: EmailParseOptions,
): ParseResult {
  const decoded = decodeMultipartForm(request.rawBody, request.headers['content-type']);
  if (!decoded.ok) {
    return { kind: 'malformed', reason: `not a SendGrid Inbound Parse post: ${decoded.reason}` };
  }
  const fields = new Map<string, MultipartField>();
  for (const field of decoded.form.fields)
    if (!fields.has(field.name)) fields.set(field.name, field);
  const charsets = jsonField(fields, 'charsets', charsetsSchema) ?? {};
  const text = (name: string) => textOf(fields.get(name), charsets[name]);

  const raw = fields.get('email');
  let email: Omit<InboundEmail, 'from'> & { from: string | undefined };
  if (raw !== undefined) {
    const headers = parseHeaderBlock(splitMessage(raw.value.toString('utf8')).headerBlock);
    email = {
      headers,
      from: headers.get('from') ?? text('from'),
      recipients: recipientsOf(headers, text),
      subject: headers.get('subject'),
      bodyText: plainTextOf(raw.value),
    };
  } else {
    const headerBlock = text('headers');
    if (headerBlock === undefined) {
      return {
        kind: 'malformed',
        reason: 'no headers or email field: not a SendGrid Inbound Parse post',
      };
    }
    const headers = parseHeaderBlock(headerBlock);
    email = {
      headers,
      from: text('from') ?? headers.get('from'),
      recipients: recipientsOf(headers, text),
      subject: text('subject') ?? headers.get('subject'),
      bodyText: text('text'),
    };
  }
  if (email.from === undefined || email.from.trim() === '') {
    return { kind: 'malformed', reason: 'no from: not a SendGrid Inbound Parse post' };
  }
  const envelope = jsonField(fields, 'envelope', envelopeSchema);
  return mapInboundEmail(
    {
      ...email,
      from: email.from,
      ...(typeof envelope?.from === 'string' && { envelopeSender: envelope.from }),
    },
    options,
  );
}

/** To and Cc: SendGrid's own fields when present, else the header block's. */
function recipientsOf(
  headers: MailHeaders,
  text: (name: string) => string | undefined,
): readonly string[] {
  return [
    ...(text('to') !== undefined ? [text('to') as string] : headers.all('to')),
    ...(text('cc') !== undefined ? [text('cc') as string] : headers.all('cc')),
  ];
}

/** A field's text in the charset SendGrid names for it, else the part's own, else UTF-8. */
function textOf(
  field: MultipartField | undefined,
  charset: string | undefined,
): string | undefined {
  if (field === undefined) return undefined;
  const partCharset =
    field.contentType === undefined
      ? undefined
      : parseParameterizedHeader(field.contentType).params.charset;
  return (
    decodeBytes(field.value, charset ?? partCharset) ??
    decodeBytes(field.value, partCharset) ??
    field.value.toString('utf8')
  );
}

function jsonField<T>(
  fields: ReadonlyMap<string, MultipartField>,
  name: string,
  schema: z.ZodType<T>,
): T | undefined {
  const field = fields.get(name);
  if (field === undefined) return undefined;
  const json = parseJson(field.value);
  if (!json.ok) return undefined;
  const parsed = schema.safeParse(json.value);
  return parsed.success ? parsed.data : undefined;
}
