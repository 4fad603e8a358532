import type { WebhookRequest } from '../connector.types';
import { parseJson } from '../social-event.helpers';
import { decodeForm, type FormParams } from '../twilio-voice/twilio-form.decoder';
import { parseParameterizedHeader } from './mime-header.parser';
import { decodeMultipartForm, textFields, type MultipartFile } from './multipart-form.decoder';

/**
 * A Mailgun request body as Mailgun sends it: JSON for event webhooks, a form for a route's
 * `forward()` (url-encoded, or multipart/form-data when the message has attachments).
 */
export type MailgunBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; params: FormParams; files: readonly MultipartFile[] }
  | { kind: 'undecodable'; reason: string };

export function decodeMailgunBody(
  request: Pick<WebhookRequest, 'headers' | 'rawBody'>,
): MailgunBody {
  const contentType = request.headers['content-type'];
  const mediaType =
    contentType === undefined ? undefined : parseParameterizedHeader(contentType).value;
  if (
    mediaType === 'application/json' ||
    (mediaType === undefined && looksLikeJson(request.rawBody))
  ) {
    const json = parseJson(request.rawBody);
    return json.ok
      ? { kind: 'json', value: json.value }
      : { kind: 'undecodable', reason: 'body is not JSON' };
  }
  if (mediaType === 'multipart/form-data') {
    const decoded = decodeMultipartForm(request.rawBody, contentType);
    return decoded.ok
      ? { kind: 'form', params: textFields(decoded.form), files: decoded.form.files }
      : { kind: 'undecodable', reason: decoded.reason };
  }
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === undefined) {
    const decoded = decodeForm(request.rawBody);
    return decoded.ok
      ? { kind: 'form', params: decoded.params, files: [] }
      : { kind: 'undecodable', reason: decoded.reason };
  }
  return { kind: 'undecodable', reason: `unsupported Content-Type ${mediaType}` };
}

function looksLikeJson(rawBody: Buffer): boolean {
  return /^\s*\{/.test(rawBody.subarray(0, 64).toString('utf8'));
}
