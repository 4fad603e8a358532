import { multipart } from './fixtures/request-bodies';
import {
  boundaryOf,
  decodeMultipartForm,
  textFields,
  type MultipartDecodeResult,
} from './multipart-form.decoder';

const CT = (boundary: string) => `multipart/form-data; boundary=${boundary}`;

function formOf(result: MultipartDecodeResult) {
  if (!result.ok) throw new Error(`expected a form, got ${result.reason}`);
  return result.form;
}

const fieldsOf = (result: MultipartDecodeResult) =>
  Object.fromEntries([...textFields(formOf(result))].map(([name, values]) => [name, values]));

describe('boundaryOf', () => {
  it.each([
    ['multipart/form-data; boundary=xYzZY', 'xYzZY'],
    ['Multipart/Form-Data; BOUNDARY=xYzZY', 'xYzZY'],
    ['multipart/form-data; boundary="a b:c,d=e"', 'a b:c,d=e'],
    ['multipart/form-data; charset=utf-8; boundary="----=_Part_1"', '----=_Part_1'],
  ])('reads %p', (contentType, boundary) => {
    expect(boundaryOf(contentType)).toBe(boundary);
  });

  it.each([
    [undefined],
    ['application/x-www-form-urlencoded'],
    ['multipart/form-data'],
    ['multipart/form-data; boundary=""'],
    ['multipart/mixed; boundary=abc'],
    [`multipart/form-data; boundary=${'x'.repeat(71)}`],
  ])('refuses %p', (contentType) => {
    expect(boundaryOf(contentType)).toBeUndefined();
  });
});

describe('decodeMultipartForm', () => {
  it('decodes fields with CRLF line ends and keeps repeated names in order', () => {
    const body = Buffer.from(
      '--xYzZY\r\nContent-Disposition: form-data; name="to"\r\n\r\na@example.com\r\n' +
        '--xYzZY\r\nContent-Disposition: form-data; name="text"\r\n\r\nline one\r\nline two\r\n\r\n' +
        '--xYzZY\r\nContent-Disposition: form-data; name="to"\r\n\r\nb@example.com\r\n' +
        '--xYzZY--\r\n',
    );
    expect(fieldsOf(decodeMultipartForm(body, CT('xYzZY')))).toEqual({
      to: ['a@example.com', 'b@example.com'],
      // The CRLF before the delimiter belongs to it; the one before that is content.
      text: ['line one\r\nline two\r\n'],
    });
  });

  it('ignores the preamble and the epilogue', () => {
    const body = multipart('b1', [{ name: 'subject', value: 'Hello' }], {
      preamble: 'This is the preamble. --b1 is not a delimiter here',
      epilogue:
        'This is the epilogue.\r\n--b1\r\nContent-Disposition: form-data; name="x"\r\n\r\nno',
    });
    expect(fieldsOf(decodeMultipartForm(body, CT('b1')))).toEqual({ subject: ['Hello'] });
  });

  it('accepts bare LF line ends', () => {
    const body = multipart('b2', [{ name: 'from', value: 'Jo <jo@example.com>' }], {
      lineEnd: '\n',
    });
    expect(fieldsOf(decodeMultipartForm(body, CT('b2')))).toEqual({
      from: ['Jo <jo@example.com>'],
    });
  });

  it('uses a quoted boundary with spaces and specials', () => {
    const boundary = "a b'(c)+_,-./:=?";
    const body = multipart(boundary, [{ name: 'k', value: 'v' }]);
    expect(
      fieldsOf(decodeMultipartForm(body, `multipart/form-data; boundary="${boundary}"`)),
    ).toEqual({ k: ['v'] });
  });

  it('does not split on the boundary text inside a value or on a longer boundary', () => {
    const body = multipart('xYzZY', [
      { name: 'text', value: 'see --xYzZY in the middle\n--xYzZYZ at a line start' },
      { name: 'next', value: '1' },
    ]);
    expect(fieldsOf(decodeMultipartForm(body, CT('xYzZY')))).toEqual({
      text: ['see --xYzZY in the middle\n--xYzZYZ at a line start'],
      next: ['1'],
    });
  });

  it('tolerates transport padding after a delimiter and an empty value', () => {
    const body = Buffer.from(
      '--p  \r\nContent-Disposition: form-data; name="empty"\r\n\r\n\r\n' +
        '--p\t\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--p--',
    );
    expect(fieldsOf(decodeMultipartForm(body, CT('p')))).toEqual({ empty: [''], x: ['1'] });
  });

  it('keeps only the name, filename, type and size of a file, never its content', () => {
    const body = multipart('f', [
      {
        name: 'attachment1',
        filename: 'MG_2359.jpg',
        contentType: 'image/jpeg',
        value: Buffer.alloc(544, 7),
      },
      { name: 'subject', value: 'x' },
    ]);
    const form = formOf(decodeMultipartForm(body, CT('f')));
    expect(form.files).toEqual([
      { name: 'attachment1', filename: 'MG_2359.jpg', contentType: 'image/jpeg', size: 544 },
    ]);
    expect(form.fields.map((field) => field.name)).toEqual(['subject']);
  });

  it('reads an RFC 5987 filename*', () => {
    const body = Buffer.from(
      '--f\r\nContent-Disposition: form-data; name="a"; filename="fallback.txt"; ' +
        "filename*=UTF-8''na%C3%AFve%20file.txt\r\n\r\nabc\r\n--f--",
    );
    expect(formOf(decodeMultipartForm(body, CT('f'))).files).toEqual([
      { name: 'a', filename: 'naïve file.txt', size: 3 },
    ]);
  });

  it('keeps field bytes as sent and decodes them with the part charset', () => {
    const latin1 = Buffer.concat([
      Buffer.from('--c\r\nContent-Disposition: form-data; name="text"\r\n'),
      Buffer.from('Content-Type: text/plain; charset=ISO-8859-1\r\n\r\n'),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from('\r\n--c--'),
    ]);
    const form = formOf(decodeMultipartForm(latin1, CT('c')));
    expect(form.fields[0].value).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect(textFields(form).get('text')).toEqual(['café']);
  });

  it.each([
    [
      'a body without its closing boundary',
      '--m\r\nContent-Disposition: form-data; name="a"\r\n\r\ncut off here',
      'multipart body ends without its closing boundary',
    ],
    [
      'a body whose last part is cut before the closing boundary',
      '--m\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--m\r\nContent-Disposition: form-data; name="b"\r\n\r\n2',
      'multipart body ends without its closing boundary',
    ],
    ['a body without any boundary', 'from=a%40b.c', 'no multipart boundary found in the body'],
    [
      'a part without Content-Disposition',
      '--m\r\nContent-Type: text/plain\r\n\r\nx\r\n--m--',
      'multipart part without Content-Disposition',
    ],
    [
      'a part that is not form-data',
      '--m\r\nContent-Disposition: attachment; filename="x"\r\n\r\nx\r\n--m--',
      'multipart part is not form-data with a name',
    ],
  ])('refuses %s', (_name, body, reason) => {
    expect(decodeMultipartForm(Buffer.from(body), CT('m'))).toEqual({ ok: false, reason });
  });

  it('refuses a Content-Type without a boundary', () => {
    expect(decodeMultipartForm(Buffer.from('--m--'), 'multipart/form-data')).toEqual({
      ok: false,
      reason: 'not multipart/form-data with a boundary (1-70 characters)',
    });
  });

  it('decodes an empty form', () => {
    expect(formOf(decodeMultipartForm(Buffer.from('--m--\r\n'), CT('m')))).toEqual({
      fields: [],
      files: [],
    });
  });
});
