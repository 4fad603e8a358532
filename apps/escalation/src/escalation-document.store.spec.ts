import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EscalationDocumentError, planStep } from '@replywatch/escalation-rules';
import { loadBaseDocument } from './escalation-document.store';
import { escalationEnvSchema } from './escalation.config';

describe('the escalation document at start-up', () => {
  it('pages ALERT_EMAIL_TO by e-mail when no file is set', () => {
    const { version, document } = loadBaseDocument(undefined, ['a@example.com', 'b@example.com']);
    expect(version).toMatch(/^builtin:[0-9a-f]{12}$/);
    const plan = planStep(document.chains[0], { level: 0, round: 0 }, {}, document, 0);
    expect(plan.deliveries.map((d) => [d.channel, d.address])).toEqual([
      ['email', 'a@example.com'],
      ['email', 'b@example.com'],
    ]);
    expect(plan.next).toBeUndefined();
  });

  it('accepts the example in config/escalation.json', () => {
    const { version, document } = loadBaseDocument(
      join(__dirname, '../../../config/escalation.json'),
      [],
    );
    expect(version).toMatch(/^file:/);
    expect(document.chains.map((chain) => chain.id)).toEqual([
      'standard',
      'urgent',
      'heads-up',
      'connector-down',
    ]);
  });

  it('refuses an unreadable or invalid file with every problem listed', () => {
    expect(() => loadBaseDocument('/nonexistent/escalation.json', [])).toThrow(
      EscalationDocumentError,
    );
    const dir = mkdtempSync(join(tmpdir(), 'esc-doc-'));
    const file = join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify({
        people: [{ id: 'ana', email: 'ana@example.com' }],
        chains: [{ id: 'c', levels: [{ notify: [{ target: 'person:bob' }] }] }],
        routes: [{ chain: 'missing' }],
      }),
    );
    try {
      loadBaseDocument(file, []);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(EscalationDocumentError);
      expect((error as EscalationDocumentError).problems).toEqual([
        'chains.0.levels.0.notify.0.target: unknown person "bob"',
        'routes.0.chain: unknown chain "missing"',
      ]);
    }
  });
});

describe('docs/escalation.md', () => {
  it('documents every escalation setting and the example document', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/escalation.md'), 'utf8');
    const wanted = Object.keys(escalationEnvSchema.in.shape).filter(
      (name) => !/^(KAFKA|DATABASE|HTTP|LOG|ESCALATION_PORT|CONTACT_EVENTS)/.test(name),
    );
    expect(wanted.filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
    for (const phrase of ['X-Replywatch-Signature', 'X-Replywatch-Timestamp', 'ACK_LINK_MODE']) {
      expect(doc).toContain(phrase);
    }
  });
});
