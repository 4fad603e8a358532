/** One Server-Sent Events message (a block of `field: value` lines ended by a blank line). */
export interface SseMessage {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

export interface SseParse {
  messages: SseMessage[];
  /** The unfinished message at the end of the text: prepend it to the next chunk. */
  rest: string;
}

/**
 * The complete messages at the start of `text` (what has been read of the stream and not parsed
 * yet), following the EventSource rules: lines end in CRLF, LF or CR; `:` lines are comments
 * (keepalives); one space after the colon is dropped; `data` lines join with a newline; a message
 * without data is not dispatched; the event name defaults to `message`.
 */
export function parseSse(text: string): SseParse {
  const messages: SseMessage[] = [];
  let consumed = 0;
  let position = 0;
  let event = '';
  let data: string[] = [];
  let id: string | undefined;
  let retry: number | undefined;
  while (position < text.length) {
    const lf = text.indexOf('\n', position);
    const cr = text.indexOf('\r', position);
    let end: number;
    let next: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      // A CR that ends the text may be the first half of a CRLF: wait for the next chunk.
      if (cr === text.length - 1) break;
      end = cr;
      next = text[cr + 1] === '\n' ? cr + 2 : cr + 1;
    } else if (lf !== -1) {
      end = lf;
      next = lf + 1;
    } else {
      break;
    }
    const line = text.slice(position, end);
    position = next;
    if (line === '') {
      if (data.length > 0) {
        messages.push({
          event: event === '' ? 'message' : event,
          data: data.join('\n'),
          ...(id === undefined ? {} : { id }),
          ...(retry === undefined ? {} : { retry }),
        });
      }
      event = '';
      data = [];
      id = undefined;
      retry = undefined;
      consumed = position;
      continue;
    }
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const raw = colon === -1 ? '' : line.slice(colon + 1);
    const value = raw.startsWith(' ') ? raw.slice(1) : raw;
    switch (field) {
      case 'event':
        event = value;
        break;
      case 'data':
        data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) retry = Number(value);
        break;
      default:
        // Unknown fields are ignored, as the specification says.
        break;
    }
  }
  return { messages, rest: text.slice(consumed) };
}
