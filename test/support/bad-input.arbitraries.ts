import fc from 'fast-check';

/**
 * Bad request bodies and headers for fuzzing ingest: a genuine payload is described as data
 * (`Payload`), a generated `BodySpec` says what to break in it, and `renderBody` turns the two
 * into the exact bytes sent. Specs are plain data, so fast-check can print and shrink them.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface Part {
  name: string;
  value: string;
  filename?: string;
  contentType?: string;
}

export type Payload =
  | { format: 'json'; value: Json }
  | { format: 'form'; fields: [string, string][] }
  | { format: 'multipart'; boundary: string; parts: Part[] };

/** One thing wrong with one field of an otherwise genuine payload. */
export type FieldChange =
  | { op: 'delete' }
  | { op: 'value'; value: Json }
  /** A JSON literal that is not JSON (NaN, Infinity, 1e999, 0x1F, undefined, …). */
  | { op: 'raw'; text: string }
  /** Raw bytes inside a string literal: overlong UTF-8, CESU-8 surrogates, 0xFF, NUL. */
  | { op: 'bytes'; bytes: number[] }
  | { op: 'deep'; depth: number; opener: '[' | '{"a":' }
  | { op: 'long'; length: number; unit: string }
  /** ASCII letters of the value swapped for Cyrillic look-alikes. */
  | { op: 'homoglyph' }
  | { op: 'duplicate'; value: Json };

export type TextDefect =
  | { how: 'truncate'; perMille: number }
  | { how: 'trailing'; garbage: string }
  | { how: 'bom' }
  | { how: 'utf16' }
  | { how: 'nul'; perMille: number }
  | { how: 'overlong'; perMille: number }
  | { how: 'wrap'; depth: number; balanced: boolean }
  | { how: 'json5' }
  | { how: 'empty' }
  | { how: 'whitespace'; text: string };

export type ForeignBody =
  { as: 'json'; value: Json } | { as: 'bytes'; bytes: number[] } | { as: 'text'; text: string };

export type BodySpec =
  | { kind: 'genuine' }
  | { kind: 'field'; pick: number; change: FieldChange }
  | { kind: 'text'; defect: TextDefect }
  /** `size` bytes in total: padding in a field (still valid JSON/form) or one raw blob. */
  | { kind: 'huge'; size: number; place: 'field' | 'blob' }
  | { kind: 'foreign'; body: ForeignBody };

export type ContentTypeSpec =
  | { kind: 'right' }
  | { kind: 'missing' }
  | { kind: 'value'; value: string }
  | { kind: 'twice'; value: string };

export interface TransportSpec {
  contentType: ContentTypeSpec;
  /** Extra header lines (some repeated, some with raw UTF-8 or Latin-1 bytes). */
  extraHeaders: [string, string][];
  chunked: boolean;
}

// ---------------------------------------------------------------------------------------------
// Values

const HOMOGLYPHS: Record<string, string> = {
  a: '\u0430',
  c: '\u0441',
  e: '\u0435',
  o: '\u043e',
  p: '\u0440',
  x: '\u0445',
  y: '\u0443',
  i: '\u0456',
  s: '\u0455',
  A: '\u0410',
  B: '\u0412',
  C: '\u0421',
  E: '\u0415',
  H: '\u041d',
  O: '\u041e',
  P: '\u0420',
  T: '\u0422',
  X: '\u0425',
};

export function homoglyphs(text: string): string {
  const swapped = [...text].map((char) => HOMOGLYPHS[char] ?? char).join('');
  return swapped === text ? `${text}\u0430` : swapped;
}

/** Strings that look like text but are not what they seem. */
export const trickyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\ud800', // lone high surrogate
    '\udfff', // lone low surrogate
    'abc\ud83d', // emoji cut in half
    '\u202eevil\u202c', // RTL override
    'con\u200btact', // zero-width space
    '\u2060\ufeff\u200d', // word joiner, BOM, zero-width joiner
    'a\u0000b', // NUL
    '\u0000',
    '\u001b[31mred\u001b[0m', // terminal escapes
    'line\r\nX-Injected: 1', // header injection attempt
    'contact.\u043epened', // Cyrillic o
    '\uff43\uff4f\uff4e\uff54\uff41\uff43\uff54', // full-width "contact"
    'e\u0301', // combining accent
    '\u{1f4a9}'.repeat(50),
    '',
    ' ',
    '__proto__',
    'constructor',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    '${jndi:ldap://x}',
    '%00',
    '+4915550000000\u200b',
    '\t\n\v\f\r',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/** A value of any JSON type: most of them the wrong type for whichever field gets it. */
export const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom<Json>(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    -1e-308,
    '',
    '0',
    'true',
    'null',
    [],
    {},
    [null],
    { '': '' },
    JSON.parse('{"__proto__":{"polluted":true}}') as Json,
    { constructor: { prototype: { polluted: true } } },
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  trickyString,
  fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>,
);

/** Literals that JSON.parse refuses, or that parse to something surprising. */
const rawLiteral = fc.constantFrom(
  'NaN',
  'Infinity',
  '-Infinity',
  '1e999',
  '-1e999',
  '0x1F',
  '01',
  '.5',
  '+1',
  '1.',
  'undefined',
  'True',
  "'single'",
  '"unterminated',
  '"bad \\x escape"',
  '"\\ud800"', // an escaped lone surrogate: valid JSON, invalid Unicode
  '"\\u0000"',
  '123456789012345678901234567890',
  '[,]',
  '{,}',
  '// comment',
);

/** Bytes that are not valid UTF-8, put raw inside a string literal. */
const badUtf8 = fc.constantFrom<number[]>(
  [0xc0, 0xaf], // overlong "/"
  [0xe0, 0x80, 0xaf], // overlong "/" (3 bytes)
  [0xf0, 0x80, 0x80, 0xaf], // overlong "/" (4 bytes)
  [0xc0, 0x80], // overlong NUL
  [0xed, 0xa0, 0x80], // CESU-8 lone surrogate
  [0xf4, 0x90, 0x80, 0x80], // beyond U+10FFFF
  [0xff, 0xfe],
  [0x80],
  [0xe2, 0x82], // truncated sequence
  [0x00],
  [0x1b, 0x5b, 0x32, 0x4a],
);

export const fieldChange: fc.Arbitrary<FieldChange> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<FieldChange>({ op: 'delete' }) },
  { weight: 6, arbitrary: wrongValue.map((value): FieldChange => ({ op: 'value', value })) },
  { weight: 2, arbitrary: rawLiteral.map((text): FieldChange => ({ op: 'raw', text })) },
  { weight: 2, arbitrary: badUtf8.map((bytes): FieldChange => ({ op: 'bytes', bytes })) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('deep' as const),
      depth: fc.constantFrom(64, 1000, 5000, 20000, 100000),
      opener: fc.constantFrom('[' as const, '{"a":' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('long' as const),
      length: fc.constantFrom(201, 1000, 65536, 300000),
      unit: fc.constantFrom('a', '\u00e9', '\u{1f600}', '\u200b', '\\', '"', '%'),
    }),
  },
  { weight: 2, arbitrary: fc.constant<FieldChange>({ op: 'homoglyph' }) },
  { weight: 1, arbitrary: wrongValue.map((value): FieldChange => ({ op: 'duplicate', value })) },
);

const textDefect: fc.Arbitrary<TextDefect> = fc.oneof(
  fc.record({ how: fc.constant('truncate' as const), perMille: fc.integer({ min: 0, max: 999 }) }),
  fc.record({
    how: fc.constant('trailing' as const),
    garbage: fc.oneof(fc.constantFrom('}', ']', ',', '{}', 'x', '\u0000', '\ufeff'), trickyString),
  }),
  fc.constant<TextDefect>({ how: 'bom' }),
  fc.constant<TextDefect>({ how: 'utf16' }),
  fc.record({ how: fc.constant('nul' as const), perMille: fc.integer({ min: 0, max: 999 }) }),
  fc.record({ how: fc.constant('overlong' as const), perMille: fc.integer({ min: 0, max: 999 }) }),
  fc.record({
    how: fc.constant('wrap' as const),
    depth: fc.constantFrom(1, 100, 5000, 50000),
    balanced: fc.boolean(),
  }),
  fc.constant<TextDefect>({ how: 'json5' }),
  fc.constant<TextDefect>({ how: 'empty' }),
  fc.record({
    how: fc.constant('whitespace' as const),
    text: fc.constantFrom(' ', '\n', '\r\n\t ', '\u00a0', '\u2028'),
  }),
);

const foreignBody: fc.Arbitrary<ForeignBody> = fc.oneof(
  fc.record({ as: fc.constant('json' as const), value: fc.jsonValue() as fc.Arbitrary<Json> }),
  fc.record({
    as: fc.constant('bytes' as const),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }),
  }),
  fc.record({
    as: fc.constant('text' as const),
    text: fc.oneof(trickyString, fc.string({ unit: 'grapheme', maxLength: 200 })),
  }),
);

/** Sizes around the body limit: just under it (parsed), at it, just over it and well over it. */
export function hugeSize(limit: number): fc.Arbitrary<number> {
  return fc.oneof(
    fc.integer({ min: limit - 2048, max: limit }),
    fc.integer({ min: limit + 1, max: limit + 2048 }),
    fc.constantFrom(Math.round(limit * 1.5), limit * 3),
  );
}

export function bodySpec(limit: number): {
  any: fc.Arbitrary<BodySpec>;
  oneFieldDefect: fc.Arbitrary<BodySpec>;
} {
  const field = fc.record({
    kind: fc.constant('field' as const),
    pick: fc.nat(),
    change: fieldChange,
  });
  const huge = fc.record({
    kind: fc.constant('huge' as const),
    size: hugeSize(limit),
    place: fc.constantFrom('field' as const, 'blob' as const),
  });
  return {
    oneFieldDefect: field,
    any: fc.oneof(
      { weight: 2, arbitrary: fc.constant<BodySpec>({ kind: 'genuine' }) },
      { weight: 8, arbitrary: field },
      {
        weight: 5,
        arbitrary: fc.record({ kind: fc.constant('text' as const), defect: textDefect }),
      },
      { weight: 1, arbitrary: huge },
      {
        weight: 3,
        arbitrary: fc.record({ kind: fc.constant('foreign' as const), body: foreignBody }),
      },
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Headers

/** Header names a transport-level fuzzer would own: sending them breaks framing, not ingest. */
const FRAMING_HEADERS = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'host',
  'expect',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
]);

const headerName = fc.oneof(
  fc.constantFrom(
    'x-request-id',
    'x-forwarded-for',
    'content-encoding',
    'accept',
    'accept-charset',
    'user-agent',
    'cookie',
    'x-http-method-override',
    'origin',
    'x-replywatch-source',
    'x-replywatch-timestamp',
  ),
  fc
    .stringMatching(/^[a-z][a-z0-9-]{0,30}$/)
    .filter((name) => !FRAMING_HEADERS.has(name) && !name.startsWith('proxy-')),
);

/** What Node lets a client put in a header value: UTF-8 text goes as its raw bytes (Latin-1). */
export const headerValue: fc.Arbitrary<string> = fc
  .oneof(
    trickyString,
    fc.string({ maxLength: 60 }),
    fc.constantFrom(
      'gzip',
      'application/json',
      '7f3e-retry-1',
      'a'.repeat(4000),
      '()<>@,;:\\"/[]?={}',
    ),
  )
  .map((text) => Buffer.from(text, 'utf8').toString('latin1'))
  .map((text) => text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '').trim());

export const extraHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.tuple(headerName, headerValue),
  { maxLength: 4 },
);

export const wrongContentType: fc.Arbitrary<string> = fc.constantFrom(
  'text/plain',
  'application/xml',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=',
  'multipart/form-data; boundary="unterminated',
  'application/octet-stream',
  'application/json;;;charset=',
  'text/html; charset=iso-8859-1',
  '*/*',
  'application/json, text/plain',
  'applic\u00e4tion/json', // Latin-1, sent as its raw byte
  'x'.repeat(2000),
);

export function contentTypeSpec(): fc.Arbitrary<ContentTypeSpec> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<ContentTypeSpec>({ kind: 'right' }) },
    { weight: 1, arbitrary: fc.constant<ContentTypeSpec>({ kind: 'missing' }) },
    {
      weight: 2,
      arbitrary: wrongContentType.map((value): ContentTypeSpec => ({ kind: 'value', value })),
    },
    {
      weight: 1,
      arbitrary: wrongContentType.map((value): ContentTypeSpec => ({ kind: 'twice', value })),
    },
  );
}

export const cleanTransport: TransportSpec = {
  contentType: { kind: 'right' },
  extraHeaders: [],
  chunked: false,
};

export function transportSpec(): fc.Arbitrary<TransportSpec> {
  return fc.record({
    contentType: contentTypeSpec(),
    extraHeaders: extraHeaders,
    chunked: fc.boolean(),
  });
}

/** Exactly one thing wrong in the transport (a content type, an extra header, chunking). */
export function oneTransportDefect(): fc.Arbitrary<TransportSpec> {
  return fc.oneof(
    contentTypeSpec()
      .filter((spec) => spec.kind !== 'right')
      .map((contentType): TransportSpec => ({ ...cleanTransport, contentType })),
    fc
      .tuple(headerName, headerValue)
      .map((header): TransportSpec => ({ ...cleanTransport, extraHeaders: [header] })),
    fc.constant<TransportSpec>({ ...cleanTransport, chunked: true }),
  );
}

export function contentTypeHeaders(spec: ContentTypeSpec, right: string): [string, string][] {
  switch (spec.kind) {
    case 'right':
      return [['content-type', right]];
    case 'missing':
      return [];
    case 'value':
      return [['content-type', spec.value]];
    case 'twice':
      return [
        ['content-type', spec.value],
        ['content-type', right],
      ];
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** Placeholder for raw bytes inside JSON or form text; never produced by the generators. */
const RAW = '\u0001RAW\u0001';

interface RawPiece {
  bytes: Buffer;
}

/** Every node of a JSON value, as paths (the root excluded). */
export function jsonPaths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push([...prefix, index], ...jsonPaths(item, [...prefix, index]));
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key], ...jsonPaths(item, [...prefix, key]));
    }
  }
  return out;
}

function clone(value: Json): Json {
  return JSON.parse(JSON.stringify(value)) as Json;
}

function firstString(value: Json): (string | number)[] | undefined {
  return jsonPaths(value).find((path) => typeof getAt(value, path) === 'string');
}

function getAt(value: Json, path: (string | number)[]): Json | undefined {
  let node: Json | undefined = value;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Array.isArray(node) ? node[key as number] : node[key as string];
  }
  return node;
}

/** Replaces (or deletes) the node at `path`; `raw` pieces are spliced in after stringifying. */
function setAt(root: Json, path: (string | number)[], next: Json | undefined): Json {
  if (path.length === 0) return next ?? null;
  const parent = getAt(root, path.slice(0, -1));
  const key = path[path.length - 1];
  if (Array.isArray(parent)) {
    if (next === undefined) parent.splice(key as number, 1);
    else parent[key as number] = next;
  } else if (parent !== null && typeof parent === 'object') {
    if (next === undefined) delete parent[key as string];
    else parent[key as string] = next;
  }
  return root;
}

function stringifyWithRaw(value: Json, raws: RawPiece[]): Buffer {
  const text = JSON.stringify(value);
  const pieces = text.split(JSON.stringify(RAW));
  const out: Buffer[] = [];
  pieces.forEach((piece, index) => {
    out.push(Buffer.from(piece, 'utf8'));
    if (index < pieces.length - 1) out.push(raws[index]?.bytes ?? Buffer.alloc(0));
  });
  return Buffer.concat(out);
}

function rawFor(change: FieldChange, current: Json | undefined): Buffer | undefined {
  switch (change.op) {
    case 'raw':
      return Buffer.from(change.text, 'utf8');
    case 'bytes':
      return Buffer.concat([Buffer.from('"ab'), Buffer.from(change.bytes), Buffer.from('cd"')]);
    case 'deep': {
      const close = change.opener === '[' ? ']' : '}';
      return Buffer.from(`${change.opener.repeat(change.depth)}1${close.repeat(change.depth)}`);
    }
    case 'long':
      return Buffer.from(JSON.stringify(change.unit.repeat(change.length)), 'utf8');
    case 'homoglyph':
      return Buffer.from(
        JSON.stringify(
          homoglyphs(typeof current === 'string' ? current : JSON.stringify(current ?? null)),
        ),
      );
    case 'delete':
    case 'value':
    case 'duplicate':
      return undefined;
  }
}

function renderJsonField(value: Json, pick: number, change: FieldChange): Buffer {
  const root = clone(value);
  const paths = jsonPaths(root);
  if (paths.length === 0) return Buffer.from(JSON.stringify(root));
  const path = paths[pick % paths.length];
  const current = getAt(root, path);
  switch (change.op) {
    case 'delete':
      return Buffer.from(JSON.stringify(setAt(root, path, undefined)));
    case 'value':
      return Buffer.from(JSON.stringify(setAt(root, path, change.value)));
    case 'duplicate': {
      // A key twice in one object: JSON.parse keeps the last, other parsers the first.
      const key = path[path.length - 1];
      const text = JSON.stringify(setAt(root, path, RAW));
      const dup =
        typeof key === 'string'
          ? `${JSON.stringify(change.value)},${JSON.stringify(key)}:${JSON.stringify(current ?? null)}`
          : JSON.stringify(current ?? null);
      return Buffer.from(text.replace(JSON.stringify(RAW), dup), 'utf8');
    }
    case 'raw':
    case 'bytes':
    case 'deep':
    case 'long':
    case 'homoglyph': {
      const bytes = rawFor(change, current) ?? Buffer.alloc(0);
      return stringifyWithRaw(setAt(root, path, RAW), [{ bytes }]);
    }
  }
}

function formText(fields: readonly (readonly [string, string])[]): string {
  return new URLSearchParams(fields.map(([k, v]): [string, string] => [k, v])).toString();
}

function renderFormField(fields: [string, string][], pick: number, change: FieldChange): Buffer {
  if (fields.length === 0) return Buffer.alloc(0);
  const index = pick % fields.length;
  const [name, value] = fields[index];
  const before = formText(fields.slice(0, index));
  const after = formText(fields.slice(index + 1));
  const join = (middle: Buffer) => {
    const pieces = [Buffer.from(before), middle, Buffer.from(after)].filter((p) => p.length > 0);
    return Buffer.concat(pieces.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('&'), p])));
  };
  const encoded = (text: string) => Buffer.from(formText([[name, text]]));
  switch (change.op) {
    case 'delete':
      return join(Buffer.alloc(0));
    case 'value':
      return join(
        encoded(typeof change.value === 'string' ? change.value : JSON.stringify(change.value)),
      );
    case 'duplicate':
      return join(
        Buffer.from(
          `${formText([[name, typeof change.value === 'string' ? change.value : JSON.stringify(change.value)]])}&${formText([[name, value]])}`,
        ),
      );
    case 'raw':
      // Not encoded: `%zz`, lone `%`, raw `&`/`=` inside a value.
      return join(Buffer.from(`${encodeURIComponent(name)}=${change.text}`, 'utf8'));
    case 'bytes':
      return join(
        Buffer.concat([Buffer.from(`${encodeURIComponent(name)}=`), Buffer.from(change.bytes)]),
      );
    case 'deep':
      return join(
        Buffer.from(`${encodeURIComponent(name)}${'[a]'.repeat(Math.min(change.depth, 20000))}=1`),
      );
    case 'long':
      return join(encoded(change.unit.repeat(change.length)));
    case 'homoglyph':
      return join(encoded(homoglyphs(value)));
  }
}

function multipartBytes(
  boundary: string,
  parts: readonly Part[],
  raw?: { index: number; bytes: Buffer },
): Buffer {
  const chunks: Buffer[] = [];
  parts.forEach((part, index) => {
    const disposition =
      `Content-Disposition: form-data; name="${part.name}"` +
      (part.filename !== undefined ? `; filename="${part.filename}"` : '');
    const head =
      `--${boundary}\r\n${disposition}\r\n` +
      (part.contentType !== undefined ? `Content-Type: ${part.contentType}\r\n` : '') +
      '\r\n';
    chunks.push(Buffer.from(head, 'utf8'));
    chunks.push(raw?.index === index ? raw.bytes : Buffer.from(part.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  });
  chunks.push(Buffer.from(`--${boundary}--`));
  return Buffer.concat(chunks);
}

function renderMultipartField(
  boundary: string,
  parts: Part[],
  pick: number,
  change: FieldChange,
): Buffer {
  if (parts.length === 0) return multipartBytes(boundary, parts);
  const index = pick % parts.length;
  const part = parts[index];
  const replaced = (value: string) =>
    multipartBytes(
      boundary,
      parts.map((p, i) => (i === index ? { ...p, value } : p)),
    );
  switch (change.op) {
    case 'delete':
      return multipartBytes(
        boundary,
        parts.filter((_, i) => i !== index),
      );
    case 'value':
      return replaced(
        typeof change.value === 'string' ? change.value : JSON.stringify(change.value),
      );
    case 'duplicate':
      return multipartBytes(boundary, [
        ...parts.slice(0, index),
        {
          ...part,
          value: typeof change.value === 'string' ? change.value : JSON.stringify(change.value),
        },
        ...parts.slice(index),
      ]);
    case 'raw':
      // A part whose body carries the boundary itself, or a header line that never ends.
      return replaced(
        `${change.text}\r\n--${boundary}\r\nContent-Disposition: form-data; name="x"`,
      );
    case 'bytes':
      return multipartBytes(boundary, parts, { index, bytes: Buffer.from(change.bytes) });
    case 'deep':
      return multipartBytes(
        boundary,
        parts.map((p, i) =>
          i === index
            ? { ...p, name: `${p.name}${'[a]'.repeat(Math.min(change.depth, 20000))}` }
            : p,
        ),
      );
    case 'long':
      return replaced(change.unit.repeat(change.length));
    case 'homoglyph':
      return multipartBytes(
        boundary,
        parts.map((p, i) => (i === index ? { ...p, name: homoglyphs(p.name) } : p)),
      );
  }
}

export function serialise(payload: Payload): Buffer {
  switch (payload.format) {
    case 'json':
      return Buffer.from(JSON.stringify(payload.value), 'utf8');
    case 'form':
      return Buffer.from(formText(payload.fields), 'utf8');
    case 'multipart':
      return multipartBytes(payload.boundary, payload.parts);
  }
}

function at(body: Buffer, perMille: number): number {
  return Math.floor((body.length * perMille) / 1000);
}

function renderText(genuine: Buffer, defect: TextDefect): Buffer {
  switch (defect.how) {
    case 'truncate':
      return genuine.subarray(0, at(genuine, defect.perMille));
    case 'trailing':
      return Buffer.concat([genuine, Buffer.from(defect.garbage, 'utf8')]);
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), genuine]);
    case 'utf16':
      return Buffer.from(genuine.toString('utf8'), 'utf16le');
    case 'nul': {
      const i = at(genuine, defect.perMille);
      return Buffer.concat([genuine.subarray(0, i), Buffer.from([0]), genuine.subarray(i)]);
    }
    case 'overlong': {
      const i = at(genuine, defect.perMille);
      return Buffer.concat([
        genuine.subarray(0, i),
        Buffer.from([0xc0, 0xa2]),
        genuine.subarray(i),
      ]);
    }
    case 'wrap': {
      const open = Buffer.from('['.repeat(defect.depth));
      const close = Buffer.from(']'.repeat(defect.balanced ? defect.depth : defect.depth - 1));
      return Buffer.concat([open, genuine, close]);
    }
    case 'json5': {
      const text = genuine.toString('utf8');
      return Buffer.from(
        `// a comment\n${text.replace(/}$/, ',}').replace(/"([A-Za-z_]+)":/, '$1:')}`,
      );
    }
    case 'empty':
      return Buffer.alloc(0);
    case 'whitespace':
      return Buffer.from(defect.text, 'utf8');
  }
}

function renderForeign(body: ForeignBody): Buffer {
  switch (body.as) {
    case 'json':
      return Buffer.from(JSON.stringify(body.value) ?? 'null', 'utf8');
    case 'bytes':
      return Buffer.from(body.bytes);
    case 'text':
      return Buffer.from(body.text, 'utf8');
  }
}

function renderHuge(payload: Payload, size: number, place: 'field' | 'blob'): Buffer {
  const genuine = serialise(payload);
  if (place === 'blob') return Buffer.alloc(size, 0x7b); // '{{{{…'
  const pad = Math.max(0, size - genuine.length - 32);
  switch (payload.format) {
    case 'json': {
      const root = clone(payload.value);
      const path = firstString(root);
      if (path === undefined) return Buffer.alloc(size, 0x20);
      return Buffer.from(JSON.stringify(setAt(root, path, 'x'.repeat(pad))), 'utf8');
    }
    case 'form':
      return Buffer.from(formText([...payload.fields, ['padding', 'x'.repeat(pad)]]), 'utf8');
    case 'multipart':
      return multipartBytes(payload.boundary, [
        ...payload.parts,
        { name: 'padding', value: 'x'.repeat(pad) },
      ]);
  }
}

/** The bytes of `payload` with `spec` applied. */
export function renderBody(payload: Payload, spec: BodySpec): Buffer {
  switch (spec.kind) {
    case 'genuine':
      return serialise(payload);
    case 'field':
      switch (payload.format) {
        case 'json':
          return renderJsonField(payload.value, spec.pick, spec.change);
        case 'form':
          return renderFormField(payload.fields, spec.pick, spec.change);
        case 'multipart':
          return renderMultipartField(payload.boundary, payload.parts, spec.pick, spec.change);
      }
      break;
    case 'text':
      return renderText(serialise(payload), spec.defect);
    case 'huge':
      return renderHuge(payload, spec.size, spec.place);
    case 'foreign':
      return renderForeign(spec.body);
  }
}
