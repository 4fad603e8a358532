import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EscalationDocumentInput } from '@replywatch/escalation-rules';
import { ServiceProcess } from './support/service-process';
import { SlaEventProducer, slaEvent } from './support/sla-events';
import { startStack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

const LEVEL_WAIT_MS = 8000;

const DOCUMENT: EscalationDocumentInput = {
  people: [
    { id: 'first', email: 'first@example.com' },
    { id: 'second', email: 'second@example.com' },
  ],
  chains: [
    {
      id: 'two-levels',
      levels: [
        { notify: [{ target: 'person:first' }], wait: `${LEVEL_WAIT_MS / 1000}s` },
        { notify: [{ target: 'person:second' }] },
      ],
    },
  ],
};

describe('escalation service crash between two chain levels', () => {
  it('sends level 2 once, on time, after kill -9 and restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replywatch-esc-'));
    const file = join(dir, 'escalation.json');
    writeFileSync(file, JSON.stringify(DOCUMENT));
    const stack = await startStack(
      { policies: [{ id: 'default', targets: { first_response: '1h' } }] },
      [],
      {
        ESCALATION_FILE: file,
      },
    );
    const escalation = new ServiceProcess('escalation', { ...stack.env, LOG_LEVEL: 'warn' });
    const sla = new SlaEventProducer(stack.topicPrefix);
    const mailTo = (address: string) => stack.smtp.received.filter((m) => m.to.includes(address));
    try {
      await escalation.start();
      const contactId = uniqueId('crash-');
      // Published once the service is up: its consumer group starts from the latest offsets.
      await waitFor(
        'the escalation consumer to join',
        async () => {
          await sla.publish([slaEvent(contactId, 'default')]);
          return mailTo('first@example.com').length > 0;
        },
        { timeoutMs: 60000, intervalMs: 3000 },
      );
      const { rows } = await stack.db.query<{ id: string; next_step_at: Date }>(
        `SELECT id, next_step_at FROM "${stack.id}".alert WHERE contact_id = $1`,
        [contactId],
      );
      expect(rows).toHaveLength(1);
      const level2DueAt = rows[0].next_step_at.getTime();
      expect(Date.now()).toBeLessThan(level2DueAt); // still between the levels

      await escalation.kill();
      await escalation.start();

      const level2 = await waitFor(
        'level 2 after the restart',
        () => mailTo('second@example.com')[0],
        {
          timeoutMs: 30000,
        },
      );
      expect(level2.subject).toContain(contactId);
      const steps = await stack.db.query<{ at: Date; detail: { level: number } }>(
        `SELECT at, detail FROM "${stack.id}".alert_event
          WHERE alert_id = $1 AND kind = 'step.started' ORDER BY at`,
        [rows[0].id],
      );
      expect(steps.rows.map((row) => row.detail.level)).toEqual([1, 2]);
      const lateMs = steps.rows[1].at.getTime() - level2DueAt;
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThan(2000); // on time: a poll interval or two, not a lost timer
      console.warn(`level 2 after kill -9 and restart: sent ${lateMs} ms after it was due`);
      // Exactly once: no duplicate level 2, and level 1 not repeated by the restart.
      await waitFor('the outbox to settle', async () => {
        const pending = await stack.db.query(
          `SELECT 1 FROM "${stack.id}".notification WHERE status = 'pending'`,
        );
        return pending.rowCount === 0;
      });
      expect(mailTo('second@example.com')).toHaveLength(1);
      expect(mailTo('first@example.com').filter((m) => m.subject.includes(contactId))).toHaveLength(
        1,
      );
    } finally {
      await escalation.stop();
      await sla.close();
      await stack.close();
    }
  });
});
