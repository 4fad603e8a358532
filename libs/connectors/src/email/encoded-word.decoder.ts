const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
/** Whitespace between two adjacent encoded words is not part of the text (RFC 2047 section 6.2). */
const BETWEEN_WORDS = /(\?=)\s+(=\?)/g;

/**
 * Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?iso-8859-1?Q?…?=`) in an unstructured header
 * such as Subject. A word in a charset Node cannot decode, or with broken base64, is left as it is:
 * a readable subject matters more than a perfect one.
 */
export function decodeEncodedWords(value: string): string {
  if (!value.includes('=?')) return value;
  return value
    .replace(BETWEEN_WORDS, '$1$2')
    .replace(ENCODED_WORD, (word, charset, enc, text) =>
      decodeWord(word, String(charset), String(enc), String(text)),
    );
}

function decodeWord(word: string, charset: string, encoding: string, text: string): string {
  // RFC 2231 lets a language follow the charset: `UTF-8*en`.
  const label = charset.split('*')[0];
  let bytes: Buffer;
  if (encoding.toUpperCase() === 'B') {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return word;
    bytes = Buffer.from(text, 'base64');
  } else {
    bytes = qDecode(text);
  }
  return decodeBytes(bytes, label) ?? word;
}

/** Q encoding: `_` is a space, `=XX` a byte, anything else itself. */
function qDecode(text: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const hex = text.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else if (char === '_') {
      out.push(0x20);
    } else {
      out.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(out);
}

/** Bytes in a named charset as text, or undefined when Node does not know the charset. */
export function decodeBytes(bytes: Buffer, charset: string | undefined): string | undefined {
  const label = (charset ?? 'utf-8').trim().toLowerCase() || 'utf-8';
  try {
    return new TextDecoder(label === 'us-ascii' ? 'utf-8' : label).decode(bytes);
  } catch {
    return undefined;
  }
}
