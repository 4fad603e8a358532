import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { customerSchema } from './common.schema';
import {
  CONTACT_EVENT_DATA,
  CONTACT_EVENT_TYPES,
  contactEventInputSchema,
  contactEventSchema,
} from './contact-event/contact-event.schema';
import { CONTACT_EVENT_EXAMPLES } from './contact-event/contact-event.examples';
import { DEAD_LETTER_HEADERS } from './dead-letter/dead-letter';
import { SLA_EVENT_TYPES, SLA_TARGETS, slaEventSchema } from './sla-event/sla-event.schema';
import { SOURCE_EVENT_TYPES, sourceEventSchema } from './source-event/source-event.schema';
import { ALL_TOPICS } from './topics';
import {
  validateContactEvent,
  validateContactEventInput,
  validateSlaEvent,
  validateSourceEvent,
} from './validation';
import type { ValidationIssue } from './validation';

/**
 * Keeps docs/events.md honest: every name a connector author or consumer needs (read from the
 * schemas, not copied) appears in it as `code`, and every ```json example in it is valid.
 */
const ROOT = join(__dirname, '../../..');
const DOC = readFileSync(join(ROOT, 'docs/events.md'), 'utf8');

/** Names that are missing from the doc as inline code (`name`), for a readable failure. */
const missingFromDoc = (names: Iterable<string>) =>
  [...new Set(names)].filter((name) => !DOC.includes(`\`${name}\``));

const shapeKeys = (schemas: readonly { shape: object }[]) =>
  schemas.flatMap((schema) => Object.keys(schema.shape));

describe('docs/events.md names everything in the contract', () => {
  it.each([
    ['contact event types', CONTACT_EVENT_TYPES],
    ['SLA event types', SLA_EVENT_TYPES],
    ['SLA targets', SLA_TARGETS],
    ['topics', ALL_TOPICS],
    ['dead-letter headers', Object.values(DEAD_LETTER_HEADERS)],
    ['contact event envelope fields (stored form)', shapeKeys(contactEventSchema.options)],
    ['contact event envelope fields (input form)', shapeKeys(contactEventInputSchema.options)],
    ['contact event data fields', shapeKeys(Object.values(CONTACT_EVENT_DATA))],
    ['customer fields', Object.keys(customerSchema.shape)],
    ['SLA event fields', Object.keys(slaEventSchema.shape)],
    ['source event types', SOURCE_EVENT_TYPES],
    ['source event fields', Object.keys(sourceEventSchema.shape)],
  ] as [string, readonly string[]][])('%s', (_what, names) => {
    expect(names.length).toBeGreaterThan(0);
    expect(missingFromDoc(names)).toEqual([]);
  });

  // Error codes live in apps and other libs, which this lib may not import: read their sources.
  it('every error code the ingest API can answer with', () => {
    const files = [
      ...sourcesIn('apps/ingest/src'),
      ...sourcesIn('libs/platform/src/http'),
      'libs/kafka/src/kafka-publisher.ts',
    ];
    const codes = files.flatMap((file) =>
      [
        ...readFileSync(join(ROOT, file), 'utf8').matchAll(
          /(?:AppError|errorBody|super)\(\s*'([A-Z][A-Z0-9_.]*)'/g,
        ),
      ].map((match) => match[1]),
    );
    expect(codes).toEqual(expect.arrayContaining(['INGEST.INVALID_EVENT', 'KAFKA.UNAVAILABLE']));
    expect(missingFromDoc(codes)).toEqual([]);
  });
});

function sourcesIn(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourcesIn(path);
    return entry.name.endsWith('.ts') && !/\.(spec|integration-spec)\.ts$/.test(entry.name)
      ? [path]
      : [];
  });
}

/**
 * The rule for ```json blocks (other fences are not checked, so use e.g. ```http for illustrations).
 * Each block must parse and be one of:
 * - a contact event: `type` is a contact event type; the stored form if it has `receivedAt`,
 *   otherwise the connector input form;
 * - a batch: a non-empty array of contact events in the input form;
 * - an SLA event: `type` starts with `sla.`;
 * - a source event: `type` starts with `source.`;
 * - a 202 answer `{accepted, eventIds}`;
 * - an error body `{"error":{"code","message","details","requestId"}}`;
 * - dead-letter headers: an object whose keys are exactly the `x-dlq-*` headers.
 */
type Kind =
  | 'contact event'
  | 'batch'
  | 'SLA event'
  | 'source event'
  | 'accepted'
  | 'error'
  | 'dead-letter headers';

const CONTACT_TYPES = new Set<string>(CONTACT_EVENT_TYPES);
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const problems = (issues: ValidationIssue[]) =>
  issues.map((issue) => `${issue.path}: ${issue.message}`);

function checkContactEvent(value: Record<string, unknown>, prefix = ''): string[] {
  const result =
    'receivedAt' in value && prefix === ''
      ? validateContactEvent(value)
      : validateContactEventInput(value, prefix);
  return result.ok ? [] : problems(result.issues);
}

function checkErrorBody(value: Record<string, unknown>): string[] {
  const error = value.error;
  if (!isRecord(error) || Object.keys(value).length !== 1) return ['not {"error": {...}}'];
  const out: string[] = [];
  if (typeof error.code !== 'string' || !/^[A-Z]+(\.[A-Z0-9_]+)*$/.test(error.code))
    out.push('error.code must be an upper-case dotted code');
  if (typeof error.message !== 'string') out.push('error.message must be a string');
  if (error.requestId !== undefined && typeof error.requestId !== 'string')
    out.push('error.requestId must be a string');
  const extra = Object.keys(error).filter(
    (key) => !['code', 'message', 'details', 'requestId'].includes(key),
  );
  if (extra.length > 0) out.push(`unknown error fields ${extra.join(', ')}`);
  if (!Array.isArray(error.details)) return [...out, 'error.details must be an array'];
  error.details.forEach((detail, index) => {
    const ok =
      isRecord(detail) &&
      Object.keys(detail).sort().join() === 'code,message,path' &&
      Object.values(detail).every((field) => typeof field === 'string');
    if (!ok) out.push(`error.details[${index}] must be {path, code, message} strings`);
  });
  return out;
}

function classify(value: unknown): { kind: Kind; problems: string[] } | undefined {
  if (Array.isArray(value)) {
    const items = value.map((item, index) =>
      isRecord(item) && CONTACT_TYPES.has(String(item.type))
        ? checkContactEvent(item, `[${index}]`)
        : [`[${index}]: not a contact event`],
    );
    return {
      kind: 'batch',
      problems: value.length === 0 ? ['empty batch'] : items.flat(),
    };
  }
  if (!isRecord(value)) return undefined;
  if (typeof value.type === 'string' && CONTACT_TYPES.has(value.type))
    return { kind: 'contact event', problems: checkContactEvent(value) };
  if (typeof value.type === 'string' && value.type.startsWith('sla.')) {
    const result = validateSlaEvent(value);
    return { kind: 'SLA event', problems: result.ok ? [] : problems(result.issues) };
  }
  if (typeof value.type === 'string' && value.type.startsWith('source.')) {
    const result = validateSourceEvent(value);
    return { kind: 'source event', problems: result.ok ? [] : problems(result.issues) };
  }
  if ('error' in value) return { kind: 'error', problems: checkErrorBody(value) };
  if ('accepted' in value) {
    const ids = value.eventIds;
    const ok =
      Object.keys(value).sort().join() === 'accepted,eventIds' &&
      Array.isArray(ids) &&
      ids.every((id) => typeof id === 'string') &&
      value.accepted === ids.length;
    return { kind: 'accepted', problems: ok ? [] : ['must be {accepted: n, eventIds: [n ids]}'] };
  }
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((key) => key.startsWith('x-dlq-'))) {
    const expected = Object.values(DEAD_LETTER_HEADERS).sort().join();
    const ok =
      keys.sort().join() === expected && Object.values(value).every((v) => typeof v === 'string');
    return {
      kind: 'dead-letter headers',
      problems: ok ? [] : [`must have exactly the string headers ${expected}`],
    };
  }
  return undefined;
}

const JSON_BLOCKS = [...DOC.matchAll(/^```json\n([\s\S]*?)^```/gm)].map((match, index) => ({
  name: `json block #${index + 1} (line ${DOC.slice(0, match.index).split('\n').length})`,
  text: match[1],
}));

describe('docs/events.md examples are valid', () => {
  it('has examples', () => {
    expect(JSON_BLOCKS.length).toBeGreaterThan(0);
  });

  it.each(JSON_BLOCKS)('$name', ({ text }) => {
    const value = JSON.parse(text) as unknown;
    const result = classify(value);
    expect(result?.kind ?? 'unrecognised: see the rule above classify()').not.toMatch(
      /unrecognised/,
    );
    expect(result?.problems).toEqual([]);
  });

  it('shows every kind of example at least once', () => {
    const kinds = new Set(JSON_BLOCKS.map((block) => classify(JSON.parse(block.text))?.kind));
    for (const kind of [
      'contact event',
      'batch',
      'SLA event',
      'source event',
      'accepted',
      'error',
      'dead-letter headers',
    ] satisfies Kind[]) {
      expect([...kinds]).toContain(kind);
    }
  });

  it('shows each example of libs/contracts exactly as the code has it', () => {
    const parsed = JSON_BLOCKS.map((block) => JSON.parse(block.text) as unknown);
    for (const example of Object.values(CONTACT_EVENT_EXAMPLES)) {
      expect(parsed).toContainEqual(example);
    }
  });
});
