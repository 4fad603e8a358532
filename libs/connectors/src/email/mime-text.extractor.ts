import { decodeBytes } from './encoded-word.decoder';
import { parseHeaderBlock, parseParameterizedHeader, splitMessage } from './mime-header.parser';

const MAX_DEPTH = 5;

/**
 * The first text/plain part of a raw MIME message (not an attachment), decoded from its transfer
 * encoding and charset; undefined when it has none. Only the opt-in preview needs it (SendGrid's
 * "Send Raw" mode posts the whole message instead of a parsed `text` field).
 */
export function plainTextOf(rawMessage: Buffer): string | undefined {
  // latin1 maps byte n to code unit n, so slicing the string slices the bytes.
  return textOfEntity(rawMessage.toString('latin1'), 0);
}

function textOfEntity(entity: string, depth: number): string | undefined {
  const { headerBlock, body } = splitMessage(entity);
  const headers = parseHeaderBlock(headerBlock);
  const contentType = parseParameterizedHeader(headers.get('content-type') ?? 'text/plain');
  if (contentType.value.startsWith('multipart/')) {
    const boundary = contentType.params.boundary;
    if (boundary === undefined || depth >= MAX_DEPTH) return undefined;
    for (const part of bodyParts(body, boundary)) {
      const text = textOfEntity(part, depth + 1);
      if (text !== undefined) return text;
    }
    return undefined;
  }
  const disposition = headers.get('content-disposition');
  if (disposition !== undefined && parseParameterizedHeader(disposition).value === 'attachment') {
    return undefined;
  }
  if (contentType.value !== 'text/plain') return undefined;
  const bytes = transferDecoded(body, headers.get('content-transfer-encoding'));
  return decodeBytes(bytes, contentType.params.charset) ?? bytes.toString('utf8');
}

/** The parts of a multipart body, between `--boundary` lines, up to `--boundary--`. */
function bodyParts(body: string, boundary: string): string[] {
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const line of body.split(/\r?\n/)) {
    const trimmed = line.trimEnd();
    if (trimmed === `--${boundary}--`) break;
    if (trimmed === `--${boundary}`) {
      if (current !== undefined) parts.push(current.join('\r\n'));
      current = [];
    } else if (current !== undefined) {
      current.push(line);
    }
  }
  if (current !== undefined) parts.push(current.join('\r\n'));
  return parts;
}

function transferDecoded(body: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    case 'quoted-printable':
      return Buffer.from(
        body
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-Fa-f]{2})/g, (_match, hex: string) =>
            String.fromCharCode(parseInt(hex, 16)),
          ),
        'latin1',
      );
    default:
      return Buffer.from(body, 'latin1');
  }
}
