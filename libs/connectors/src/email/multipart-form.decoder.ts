import type { FormParams } from '../twilio-voice/twilio-form.decoder';
import { decodeBytes } from './encoded-word.decoder';
import { parseHeaderBlock, parseParameterizedHeader } from './mime-header.parser';

/** A form field: its bytes as sent (a provider may name their charset elsewhere, as SendGrid does). */
export interface MultipartField {
  name: string;
  value: Buffer;
  /** The part's own Content-Type, when it has one. */
  contentType?: string;
}

/** A file part: only what it is, never its content (attachments do not travel on events). */
export interface MultipartFile {
  name: string;
  filename: string;
  contentType?: string;
  size: number;
}

export interface MultipartForm {
  fields: readonly MultipartField[];
  files: readonly MultipartFile[];
}

export type MultipartDecodeResult =
  { ok: true; form: MultipartForm } | { ok: false; reason: string };

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const MAX_BOUNDARY_LENGTH = 70;

/** The boundary named by a `multipart/form-data` Content-Type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const { value, params } = parseParameterizedHeader(contentType);
  if (value !== 'multipart/form-data') return undefined;
  const boundary = params.boundary;
  return boundary !== undefined && boundary !== '' && boundary.length <= MAX_BOUNDARY_LENGTH
    ? boundary
    : undefined;
}

/**
 * Decodes a `multipart/form-data` body (RFC 7578 over RFC 2046) synchronously, fields only. The
 * preamble before the first delimiter and the epilogue after the closing one are ignored; lines
 * end in CRLF as the RFC says, or in a bare LF, which some senders and hand-written tests use. A
 * body without its closing delimiter is refused: it was cut off, and a cut field is a wrong one.
 */
export function decodeMultipartForm(
  rawBody: Buffer,
  contentType: string | undefined,
): MultipartDecodeResult {
  const boundary = boundaryOf(contentType);
  if (boundary === undefined) {
    return { ok: false, reason: 'not multipart/form-data with a boundary (1-70 characters)' };
  }
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const fields: MultipartField[] = [];
  const files: MultipartFile[] = [];

  let next = findDelimiter(rawBody, delimiter, 0);
  if (next === undefined) return { ok: false, reason: 'no multipart boundary found in the body' };
  while (!next.closing) {
    const partStart = next.contentStart;
    const following = findDelimiter(rawBody, delimiter, partStart);
    if (following === undefined) {
      return { ok: false, reason: 'multipart body ends without its closing boundary' };
    }
    const part = decodePart(rawBody.subarray(partStart, following.lineStart));
    if (!part.ok) return part;
    if (part.kind === 'file') files.push(part.file);
    else fields.push(part.field);
    next = following;
  }
  return { ok: true, form: { fields, files } };
}

/** The text fields as form parameters (UTF-8, or the part's own charset), like decodeForm gives. */
export function textFields(form: MultipartForm): FormParams {
  const params = new Map<string, string[]>();
  for (const field of form.fields) {
    const charset =
      field.contentType === undefined
        ? undefined
        : parseParameterizedHeader(field.contentType).params.charset;
    const text = decodeBytes(field.value, charset) ?? field.value.toString('utf8');
    const values = params.get(field.name);
    if (values === undefined) params.set(field.name, [text]);
    else values.push(text);
  }
  return params;
}

interface Delimiter {
  /** Where the line break before the delimiter starts: the previous part's content ends here. */
  lineStart: number;
  /** Where the next part (its headers) starts, after the delimiter line. */
  contentStart: number;
  closing: boolean;
}

/** The next delimiter line at or after `from`: at the start of a line, then `--`, or a line end. */
function findDelimiter(body: Buffer, delimiter: Buffer, from: number): Delimiter | undefined {
  let index = body.indexOf(delimiter, from);
  while (index !== -1) {
    const atLineStart = index === 0 || body[index - 1] === LF;
    if (atLineStart) {
      const lineStart =
        index === 0 ? 0 : index >= 2 && body[index - 2] === CR ? index - 2 : index - 1;
      let cursor = index + delimiter.length;
      if (body[cursor] === DASH && body[cursor + 1] === DASH) {
        return { lineStart, contentStart: body.length, closing: true };
      }
      // Transport padding: whitespace may follow the delimiter before the line break.
      while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor++;
      if (body[cursor] === CR && body[cursor + 1] === LF) {
        return { lineStart, contentStart: cursor + 2, closing: false };
      }
      if (body[cursor] === LF) return { lineStart, contentStart: cursor + 1, closing: false };
    }
    // The boundary text inside content, or a longer boundary: keep looking.
    index = body.indexOf(delimiter, index + 1);
  }
  return undefined;
}

type DecodedPart =
  | { ok: true; kind: 'field'; field: MultipartField }
  | { ok: true; kind: 'file'; file: MultipartFile }
  | { ok: false; reason: string };

function decodePart(part: Buffer): DecodedPart {
  const headerEnd = endOfHeaders(part);
  const headers = parseHeaderBlock(part.subarray(0, headerEnd.headersEnd).toString('utf8'));
  const content = part.subarray(headerEnd.contentStart);
  const disposition = headers.get('content-disposition');
  if (disposition === undefined) {
    return { ok: false, reason: 'multipart part without Content-Disposition' };
  }
  const { value, params } = parseParameterizedHeader(disposition);
  if (value !== 'form-data' || params.name === undefined) {
    return { ok: false, reason: 'multipart part is not form-data with a name' };
  }
  const contentType = headers.get('content-type');
  const filename = filenameOf(params);
  if (filename !== undefined) {
    return {
      ok: true,
      kind: 'file',
      file: {
        name: params.name,
        filename,
        ...(contentType !== undefined && { contentType }),
        size: content.length,
      },
    };
  }
  return {
    ok: true,
    kind: 'field',
    field: { name: params.name, value: content, ...(contentType !== undefined && { contentType }) },
  };
}

/**
 * The empty line that ends a part's headers; a part may also start with it (no headers). Without
 * one, the part is all headers and an empty value: its blank line doubled as the delimiter's CRLF.
 */
function endOfHeaders(part: Buffer): { headersEnd: number; contentStart: number } {
  if (part[0] === CR && part[1] === LF) return { headersEnd: 0, contentStart: 2 };
  if (part[0] === LF) return { headersEnd: 0, contentStart: 1 };
  const crlf = part.indexOf('\r\n\r\n');
  const lf = part.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return { headersEnd: part.length, contentStart: part.length };
  if (crlf !== -1 && (lf === -1 || crlf < lf)) return { headersEnd: crlf, contentStart: crlf + 4 };
  return { headersEnd: lf, contentStart: lf + 2 };
}

/** `filename`, or RFC 5987 `filename*=UTF-8''na%C3%AFve.txt`. */
function filenameOf(params: Record<string, string>): string | undefined {
  const extended = params['filename*'];
  if (extended !== undefined) {
    const match = /^([^']*)'[^']*'(.*)$/.exec(extended);
    if (match !== null) {
      try {
        return decodeURIComponent(match[2]);
      } catch {
        return match[2];
      }
    }
  }
  return params.filename;
}
