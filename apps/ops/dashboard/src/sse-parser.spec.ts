import { parseSse } from './sse-parser';

describe('parseSse', () => {
  it('parses named events and leaves an unfinished one for the next chunk', () => {
    const { messages, rest } = parseSse(
      'event: queue\ndata: {"seq":1}\n\nevent: alert\ndata: {"alertId":"a',
    );
    expect(messages).toEqual([{ event: 'queue', data: '{"seq":1}' }]);
    expect(rest).toBe('event: alert\ndata: {"alertId":"a');
    expect(parseSse(`${rest}"}\n\n`)).toEqual({
      messages: [{ event: 'alert', data: '{"alertId":"a"}' }],
      rest: '',
    });
  });

  it('gives the same messages however the stream is cut into chunks', () => {
    const stream =
      ': keepalive\n\nevent: queue\ndata: {"seq":1}\n\nevent: queue\r\ndata: {"seq":2}\r\n\r\nid: 7\ndata: x\n\n';
    const whole = parseSse(stream).messages;
    expect(whole.map((message) => message.data)).toEqual(['{"seq":1}', '{"seq":2}', 'x']);
    for (let size = 1; size <= stream.length; size++) {
      const seen = [];
      let buffer = '';
      for (let start = 0; start < stream.length; start += size) {
        const parsed = parseSse(buffer + stream.slice(start, start + size));
        seen.push(...parsed.messages);
        buffer = parsed.rest;
      }
      expect(seen).toEqual(whole);
      expect(buffer).toBe('');
    }
  });

  it('skips comments and messages without data (keepalives), and defaults the event name', () => {
    expect(parseSse(': keepalive\n\nevent: queue\n\ndata: plain\n\n')).toEqual({
      messages: [{ event: 'message', data: 'plain' }],
      rest: '',
    });
  });

  it('joins data lines with newlines and drops only one space after the colon', () => {
    expect(parseSse('data:a\ndata:  b\ndata\n\n').messages).toEqual([
      { event: 'message', data: 'a\n b\n' },
    ]);
  });

  it('reads CR-only line endings, id and retry, and ignores unknown fields', () => {
    expect(parseSse('event: alert\rid: 42\rretry: 3000\rfoo: bar\rdata: {}\r\r: next')).toEqual({
      messages: [{ event: 'alert', data: '{}', id: '42', retry: 3000 }],
      rest: ': next',
    });
  });

  it('waits for the next chunk when a CR ends the text (it may start a CRLF)', () => {
    const first = parseSse('data: x\r\n\r');
    expect(first.messages).toEqual([]);
    expect(parseSse(`${first.rest}\ndata: y\n\n`).messages).toEqual([
      { event: 'message', data: 'x' },
      { event: 'message', data: 'y' },
    ]);
  });

  it('ignores a retry that is not a number', () => {
    expect(parseSse('retry: soon\ndata: x\n\n').messages).toEqual([
      { event: 'message', data: 'x' },
    ]);
  });
});
