import { writeFileSync } from 'node:fs';
import { Topic, topicName } from '@replywatch/contracts';
import type { SlaEvent } from '@replywatch/contracts';
import { startSlaApp } from '../apps/sla/src/sla.app';
import { loadSlaConfig } from '../apps/sla/src/sla.config';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/** A contact keeps the policy version it started with, across a restart onto a newer version. */
describe('policy versions', () => {
  it('starts a later clock of a running contact with its own version after a restart', async () => {
    const v1 = {
      policies: [
        { id: 'default', version: 1, targets: { first_response: '1h', next_response: '2s' } },
      ],
    };
    const stack = await startStack(v1, ['ingest']);
    const tap = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    const post = async (body: object) => {
      const response = await postEvents(stack.urls.ingest!, body);
      expect(response.status).toBe(202);
    };
    let sla = await startSlaApp(loadSlaConfig(stack.env));
    try {
      await waitFor('the SLA consumer (and its topics)', () => sla.server.isConsuming, {
        timeoutMs: 60000,
      });
      await tap.start();
      const contactId = uniqueId('chat-');
      const t0 = Date.now() - 1000;
      await post([
        {
          eventId: `${contactId}-1`,
          type: 'contact.opened',
          contactId,
          channel: 'chat',
          occurredAt: new Date(t0).toISOString(),
        },
        {
          eventId: `${contactId}-2`,
          type: 'agent.replied',
          contactId,
          channel: 'chat',
          occurredAt: new Date(t0 + 100).toISOString(),
        },
      ]);
      await waitFor('first response met under v1', () =>
        tap.json<SlaEvent>().find((e) => e.contactId === contactId && e.type === 'sla.met'),
      );
      await sla.app.close();
      // Version 2 lengthens next_response to an hour; the running contact must stay on version 1.
      writeFileSync(
        stack.env.POLICY_FILE,
        JSON.stringify({
          policies: [
            { id: 'default', version: 2, targets: { first_response: '1h', next_response: '1h' } },
          ],
        }),
      );
      sla = await startSlaApp(loadSlaConfig(stack.env));
      await waitFor('the restarted consumer', () => sla.server.isConsuming, { timeoutMs: 60000 });
      await post({
        eventId: `${contactId}-3`,
        type: 'customer.replied',
        contactId,
        channel: 'chat',
        occurredAt: new Date().toISOString(),
      });
      const breach = await waitFor('next response breached under v1', () =>
        tap.json<SlaEvent>().find((e) => e.contactId === contactId && e.type === 'sla.breached'),
      );
      expect(breach).toMatchObject({
        target: 'next_response',
        policyVersion: 1,
        elapsedSeconds: 2,
      });
    } finally {
      await sla.app.close().catch(() => undefined);
      await tap.stop();
      await stack.close();
    }
  }, 120000);
});
