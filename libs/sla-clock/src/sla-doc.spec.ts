import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONTACT_EVENT_TYPES,
  SLA_EVENT_TYPES,
  SLA_TARGETS,
  validateSlaEvent,
} from '@replywatch/contracts';
import { WEEKDAYS } from './calendar/calendar.schema';
import { parsePolicyFile } from './policy-file.parser';

/**
 * Keeps docs/sla.md honest: every name a support lead or operator needs (read from the code, not
 * copied) appears in it as `code`, the policy file example parses, and the SLA event examples are
 * valid events with ids in the format the clock produces.
 */
const ROOT = join(__dirname, '../../..');
const DOC = readFileSync(join(ROOT, 'docs/sla.md'), 'utf8');

/** Names missing from the doc as inline code (`name`), for a readable failure. */
const missingFromDoc = (names: Iterable<string>) =>
  [...new Set(names)].filter((name) => !DOC.includes(`\`${name}\``));

/**
 * The SLA service's environment variables. A library may not import an app, so read the source:
 * the `NAME:` keys of the schema's object literal, plus the keys of the shared shapes it spreads
 * (`...kafkaEnvShape`), read from libs/platform.
 */
function slaEnvVars(): string[] {
  const config = readFileSync(join(ROOT, 'apps/sla/src/sla.config.ts'), 'utf8');
  const literal = /z\s*\.object\(\{([\s\S]*?)\n\s*\}\)/.exec(config)?.[1];
  if (literal === undefined) throw new Error('no z.object({...}) in apps/sla/src/sla.config.ts');
  const own = [...literal.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)].map((match) => match[1]);
  const platform = readFileSync(join(ROOT, 'libs/platform/src/config/env.schema.ts'), 'utf8');
  const shared = [...literal.matchAll(/\.\.\.(\w+EnvShape)\b/g)].flatMap(([, shape]) => {
    const body = new RegExp(`export const ${shape} = \\{([\\s\\S]*?)\\n\\};`).exec(platform)?.[1];
    if (body === undefined)
      throw new Error(`no ${shape} in libs/platform/src/config/env.schema.ts`);
    return [...body.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)].map((match) => match[1]);
  });
  return [...own, ...shared];
}

const JSON_BLOCKS = [...DOC.matchAll(/^```json\n([\s\S]*?)^```/gm)].map((match) => ({
  line: DOC.slice(0, match.index).split('\n').length,
  text: match[1],
}));
const SLA_EVENT_BLOCKS = JSON_BLOCKS.filter((block) => /"type":\s*"sla\./.test(block.text));

describe('docs/sla.md names everything', () => {
  it.each([
    ['SLA targets', SLA_TARGETS],
    ['SLA event types', SLA_EVENT_TYPES],
    ['calendar week days', WEEKDAYS],
    ['contact event types', CONTACT_EVENT_TYPES],
    ['SLA service environment variables', slaEnvVars()],
  ] as [string, readonly string[]][])('%s', (_what, names) => {
    expect(names.length).toBeGreaterThan(0);
    expect(missingFromDoc(names)).toEqual([]);
  });

  it('reads the env vars from the config source, not a stale list', () => {
    expect(slaEnvVars()).toEqual(
      expect.arrayContaining([
        'POLICY_FILE',
        'SLA_SWEEP_INTERVAL_MS',
        'REDIS_URL',
        'KAFKA_BROKERS',
      ]),
    );
  });
});

describe('docs/sla.md examples are valid', () => {
  it('the policy file example parses', () => {
    const block = JSON_BLOCKS.find((candidate) => candidate.text.includes('"policies"'));
    expect(block).toBeDefined();
    const file = parsePolicyFile(block!.text, `docs/sla.md line ${block!.line}`);
    expect(file.policies.length).toBeGreaterThan(1);
    expect(file.calendars.length).toBeGreaterThan(0);
  });

  it('shows one SLA event of each type', () => {
    const types = SLA_EVENT_BLOCKS.map(
      (block) => (JSON.parse(block.text) as { type: string }).type,
    );
    expect([...new Set(types)].sort()).toEqual([...SLA_EVENT_TYPES].sort());
  });

  it.each(SLA_EVENT_BLOCKS)('SLA event at line $line', ({ text }) => {
    const result = validateSlaEvent(JSON.parse(text));
    expect(result.ok ? [] : result.issues).toEqual([]);
    if (!result.ok) return;
    // `<contactId>.<target>.<clockStartMs>.<gen>.<type>`, warnings with `.<thresholdMs>`.
    const event = result.value;
    const prefix = `${event.contactId}.${event.target}.${Date.parse(event.startedAt)}.`;
    const suffix = event.type === 'sla.warning' ? `.${event.elapsedSeconds * 1000}` : '';
    expect(event.eventId.startsWith(prefix)).toBe(true);
    expect(event.eventId.slice(prefix.length)).toMatch(/^\d+\./);
    expect(event.eventId.endsWith(`.${event.type}${suffix}`)).toBe(true);
  });
});
