import { decodeEncodedWords } from './encoded-word.decoder';
import { parseHeaderBlock, parseParameterizedHeader, splitMessage } from './mime-header.parser';

describe('parseHeaderBlock', () => {
  const block = [
    'From nobody Mon Jan  1 00:00:00 2024',
    'Received: from a.example.com',
    '\tby b.example.com; Tue, 19 Jul 2016 15:06:29 +0000',
    'Received: by c.example.com',
    'message-id: <A1@example.com>',
    'References: <root@example.com>',
    '  <second@example.com>',
    'Subject: =?UTF-8?B?w4fDoCB2YQ==?= bien',
    '',
    'Body-Looking: line that is not a header',
  ].join('\r\n');
  const headers = parseHeaderBlock(block);

  it('unfolds continuation lines and reads names case-insensitively', () => {
    expect(headers.get('Message-ID')).toBe('<A1@example.com>');
    expect(headers.get('REFERENCES')).toBe('<root@example.com> <second@example.com>');
  });

  it('keeps every value of a repeated header in order', () => {
    expect(headers.all('received')).toEqual([
      'from a.example.com by b.example.com; Tue, 19 Jul 2016 15:06:29 +0000',
      'by c.example.com',
    ]);
  });

  it('skips an mbox From line and stops at the first empty line', () => {
    expect(headers.has('from')).toBe(false);
    expect(headers.has('body-looking')).toBe(false);
  });

  it('leaves encoded words for the reader of the field', () => {
    expect(headers.get('subject')).toBe('=?UTF-8?B?w4fDoCB2YQ==?= bien');
  });

  it('reads LF-only blocks and tolerates leading empty lines', () => {
    expect(parseHeaderBlock('\nFrom: a@b.c\nTo: d@e.f\n').get('to')).toBe('d@e.f');
  });

  it('splits a raw message at its first empty line', () => {
    expect(splitMessage('A: 1\r\nB: 2\r\n\r\nbody\r\n\r\nmore')).toEqual({
      headerBlock: 'A: 1\r\nB: 2',
      body: 'body\r\n\r\nmore',
    });
    expect(splitMessage('A: 1')).toEqual({ headerBlock: 'A: 1', body: '' });
  });
});

describe('decodeEncodedWords', () => {
  it.each([
    ['=?UTF-8?B?w4fDoCB2YSDinJM=?=', 'Çà va ✓'],
    ['=?utf-8?q?Caf=C3=A9_cr=C3=A8me?=', 'Café crème'],
    ['=?ISO-8859-1?Q?Andr=E9?= Pirard', 'André Pirard'],
    // RFC 2047 section 8: whitespace between adjacent encoded words is dropped.
    ['=?UTF-8?Q?a?= =?UTF-8?Q?b?=', 'ab'],
    ['=?UTF-8?Q?a?=\r\n =?UTF-8?Q?_b?=', 'a b'],
    ['Re: =?UTF-8?B?8J+YgA==?= and text', 'Re: 😀 and text'],
    // RFC 2231 language suffix.
    ['=?UTF-8*en?Q?hello?=', 'hello'],
  ])('decodes %p', (raw, decoded) => {
    expect(decodeEncodedWords(raw)).toBe(decoded);
  });

  it.each([
    ['plain text'],
    ['=?x-unknown-charset?Q?abc?='],
    ['=?UTF-8?B?not base64!?='],
    ['=?UTF-8?X?abc?='],
  ])('leaves %p as it is', (raw) => {
    expect(decodeEncodedWords(raw)).toBe(raw);
  });
});

describe('parseParameterizedHeader', () => {
  it('reads the value and lower-cased parameter names, unquoting values', () => {
    expect(
      parseParameterizedHeader('Form-Data; Name="a \\"b\\";c"; filename=x.txt; ;broken; z="1"'),
    ).toEqual({ value: 'form-data', params: { name: 'a "b";c', filename: 'x.txt', z: '1' } });
  });
});
