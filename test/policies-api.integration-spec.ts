import { Topic, topicName } from '@replywatch/contracts';
import type { SlaEvent } from '@replywatch/contracts';
import { postEvents } from './support/ingest-client';
import { KafkaTap } from './support/kafka-tap';
import { startStack, TEST_ADMIN_KEY, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

/** Policies managed through the ops API reach the running SLA service without a restart. */
describe('ops API /v1/policies', () => {
  let stack: Stack;
  const initial = { policies: [{ id: 'default', targets: { first_response: '1h' } }] };

  beforeAll(async () => {
    stack = await startStack(initial, ['ingest', 'sla', 'ops']);
  });
  afterAll(async () => stack?.close());

  const call = (method: string, key: string, body?: unknown) =>
    fetch(`${stack.urls.ops}/v1/policies`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('shows the file the services started with', async () => {
    const response = await call('GET', TEST_OPS_KEY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ source: 'file', document: initial });
  });

  it('refuses changes without an admin key, and names each invalid field', async () => {
    expect((await call('PUT', TEST_OPS_KEY, initial)).status).toBe(403);
    expect((await call('PUT', 'not-a-key-at-all-xyz', initial)).status).toBe(401);
    const bad = await call('PUT', TEST_ADMIN_KEY, {
      policies: [
        { id: 'chat', match: { channel: ['fax'] }, targets: { first_response: '5m' } },
        { id: 'default', targets: { first_response: 'soon' } },
      ],
    });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('OPS.INVALID_POLICIES');
    expect(body.error.details.map((d) => d.path).sort()).toEqual([
      'policies.0.match.channel.0',
      'policies.1.targets.first_response.within',
    ]);
    expect(await (await call('GET', TEST_OPS_KEY)).json()).toMatchObject({ source: 'file' });
  });

  it('applies a saved change to new contacts within seconds, with a new version', async () => {
    const saved = await call('PUT', TEST_ADMIN_KEY, {
      policies: [{ id: 'default', targets: { first_response: '2s' } }],
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({
      source: 'api',
      document: { policies: [{ id: 'default', version: 2 }] },
    });

    await waitFor('the SLA service on default@2', async () => {
      const health = (await (await fetch(`${stack.urls.sla}/health`)).json()) as {
        checks: { policies: { detail: string } };
      };
      return health.checks.policies.detail === 'api: default@2';
    });
    const tap = new KafkaTap(topicName(Topic.SlaEvents, stack.topicPrefix));
    await tap.start();
    try {
      const contactId = uniqueId('chat-');
      const posted = await postEvents(stack.urls.ingest!, {
        eventId: `${contactId}-1`,
        type: 'contact.opened',
        contactId,
        channel: 'chat',
        occurredAt: new Date().toISOString(),
      });
      expect(posted.status).toBe(202);
      const breach = await waitFor('the breach under the new policy', () =>
        tap.json<SlaEvent>().find((e) => e.contactId === contactId && e.type === 'sla.breached'),
      );
      expect(breach).toMatchObject({ policyId: 'default', policyVersion: 2, elapsedSeconds: 2 });
    } finally {
      await tap.stop();
    }
  });
});
