import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signAckToken, verifyWebhookSignature } from '@replywatch/escalation-rules';
import type { EscalationDocumentInput } from '@replywatch/escalation-rules';
import { freePort } from './support/dedicated-kafka';
import { HttpReceiver } from './support/http-receiver';
import { SlaEventProducer, slaEvent } from './support/sla-events';
import { startStack, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';
import type { ReceivedMail } from './support/smtp-test-server';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

const ACK_SECRET = 'test-ack-link-secret-0001';
const HOOK_SECRET = 'test-webhook-secret-0001';
const POLICIES = { policies: [{ id: 'default', targets: { first_response: '1h' } }] };

/** One document, one chain per test, routed by policy id: tests share a stack, not a chain. */
function escalationDocument(receiver: string): EscalationDocumentInput {
  const person = (id: string, extra: Record<string, string> = {}) => ({
    id,
    email: `${id}@example.com`,
    ...extra,
  });
  return {
    people: [
      person('a-agent'),
      person('a-lead'),
      person('a-teams-user', { chat: 'a-teams' }),
      person('b-lead'),
      person('d-lead'),
      person('e-first'),
      person('e-second'),
      person('f-first'),
      person('f-second'),
      person('g-first'),
      person('g-second'),
      person('h-lead'),
      person('p-lead'),
      person('r-lead'),
    ],
    teams: [
      { id: 'a-team', members: ['a-agent'], webhook: 'a-hook', chat: 'a-slack' },
      { id: 'c-team', members: [], webhook: 'c-hook' },
    ],
    endpoints: [
      { id: 'a-hook', type: 'webhook', url: `${receiver}/a-hook`, secret: HOOK_SECRET },
      { id: 'a-slack', type: 'slack', url: `${receiver}/a-slack` },
      { id: 'a-teams', type: 'teams', url: `${receiver}/a-teams` },
      { id: 'c-hook', type: 'webhook', url: `${receiver}/c-hook`, secret: HOOK_SECRET },
    ],
    chains: [
      {
        id: 'a-three-levels',
        levels: [
          { notify: [{ target: 'team:a-team', channels: ['email'] }], wait: '1s' },
          {
            notify: [
              { target: 'team:a-team', channels: ['webhook', 'chat'] },
              { target: 'person:a-teams-user', channels: ['chat'] },
            ],
            wait: '3s',
          },
          { notify: [{ target: 'person:a-lead' }] },
        ],
      },
      { id: 'b-one-level', levels: [{ notify: [{ target: 'person:b-lead' }] }] },
      { id: 'c-webhook', levels: [{ notify: [{ target: 'team:c-team', channels: ['webhook'] }] }] },
      { id: 'd-one-level', levels: [{ notify: [{ target: 'person:d-lead' }] }] },
      {
        id: 'e-ack-timeout',
        ackTimeout: '4s',
        levels: [
          { notify: [{ target: 'person:e-first' }], wait: '2s' },
          { notify: [{ target: 'person:e-second' }] },
        ],
      },
      {
        id: 'f-two-levels',
        levels: [
          { notify: [{ target: 'person:f-first' }], wait: '3s' },
          { notify: [{ target: 'person:f-second' }] },
        ],
      },
      {
        id: 'g-snapshot',
        levels: [
          { notify: [{ target: 'person:g-first' }], wait: '6s' },
          { notify: [{ target: 'person:g-first' }] },
        ],
      },
      { id: 'h-one-level', levels: [{ notify: [{ target: 'person:h-lead' }] }] },
      { id: 'p-one-level', levels: [{ notify: [{ target: 'person:p-lead' }] }] },
      { id: 'r-one-level', levels: [{ notify: [{ target: 'person:r-lead' }] }] },
    ],
    routes: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'p', 'r'].map((letter, i) => ({
      match: { policies: [`pol-${letter}`], events: ['sla.breached' as const] },
      chain: [
        'a-three-levels',
        'b-one-level',
        'c-webhook',
        'd-one-level',
        'e-ack-timeout',
        'f-two-levels',
        'g-snapshot',
        'h-one-level',
        'p-one-level',
        'r-one-level',
      ][i],
    })),
    defaultChain: 'b-one-level',
    fatigue: { email: { maxPerWindow: 3, window: '10m', hold: '4s' } },
  };
}

describe('escalation chains (real Kafka, PostgreSQL, SMTP and HTTP receivers)', () => {
  let stack: Stack;
  let receiver: HttpReceiver;
  let sla: SlaEventProducer;

  beforeAll(async () => {
    receiver = new HttpReceiver();
    const receiverUrl = await receiver.start();
    const dir = mkdtempSync(join(tmpdir(), 'replywatch-esc-'));
    const file = join(dir, 'escalation.json');
    writeFileSync(file, JSON.stringify(escalationDocument(receiverUrl)));
    // The ops port is chosen up front so the links in alerts point at it, as in production.
    const opsPort = await freePort();
    stack = await startStack(POLICIES, ['escalation', 'ops'], {
      OPS_PORT: String(opsPort),
      ACK_LINK_BASE_URL: `http://127.0.0.1:${opsPort}/`,
      ESCALATION_FILE: file,
      ACK_LINK_SECRET: ACK_SECRET,
      NOTIFY_RETRY_BASE_MS: '200',
      OUTBOX_POLL_MS: '100',
    });
    sla = new SlaEventProducer(stack.topicPrefix);
  });

  afterAll(async () => {
    await sla?.close();
    await stack?.close();
    await receiver?.stop();
  });

  const ops = (path: string, init: RequestInit = {}) =>
    fetch(`${stack.urls.ops}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${TEST_OPS_KEY}`,
        'content-type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  const mailTo = (address: string) => stack.smtp.received.filter((m) => m.to.includes(address));

  async function alertOf(contactId: string): Promise<{ id: string; state: string }> {
    return waitFor(`the alert of ${contactId}`, async () => {
      const response = await ops(`/v1/alerts?contactId=${encodeURIComponent(contactId)}`);
      const body = (await response.json()) as { items: { id: string; state: string }[] };
      return body.items[0];
    });
  }

  async function timelineOf(alertId: string) {
    const response = await ops(`/v1/alerts/${alertId}/timeline`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      alert: { state: string; ackedBy: string | null; nextStepAt: string | null };
      events: { kind: string; at: string; detail: Record<string, unknown> }[];
      notifications: {
        kind: string;
        channel: string;
        recipient: string;
        level: number | null;
        status: string;
        attempts: { outcome: string; detail: string }[];
      }[];
    };
  }

  /** Nothing more happens before `instant` passes: the scheduler has had its chance by then. */
  const untilPast = (instant: number) =>
    waitFor('the instant to pass', () => Date.now() > instant, { timeoutMs: 20000 });

  const ackLinkIn = (mail: ReceivedMail) => /Acknowledge: (\S+)/.exec(mail.text)?.[1];

  it('walks a 3-level chain (e-mail, then webhook + Slack + Teams); an ack at level 2 stops level 3', async () => {
    const contactId = uniqueId('esc-a-');
    await sla.publish([slaEvent(contactId, 'pol-a')]);

    const level1 = await waitFor('the level 1 e-mail', () => mailTo('a-agent@example.com')[0]);
    expect(level1.subject).toContain(`chat contact ${contactId}`);
    expect(ackLinkIn(level1)).toMatch(/\/ack\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    const webhook = await waitFor('the level 2 webhook', () => receiver.at('/a-hook')[0]);
    const slack = await waitFor('the level 2 Slack message', () => receiver.at('/a-slack')[0]);
    const teams = await waitFor('the level 2 Teams message', () => receiver.at('/a-teams')[0]);
    const page = JSON.parse(webhook.body) as {
      type: string;
      alert: { contactId: string; level: number };
    };
    expect(page).toMatchObject({ type: 'alert.page', alert: { contactId, level: 2 } });
    const slackBody = JSON.parse(slack.body) as { text: string; blocks: unknown[] };
    expect(slackBody.text).toContain(contactId);
    const card = JSON.parse(teams.body) as {
      attachments: { content: { type: string; actions: { title: string; url: string }[] } }[];
    };
    expect(card.attachments[0].content.type).toBe('AdaptiveCard');

    // Acknowledge from the Slack message's link, as a lead would.
    const link = /<([^|>]+\/ack\/[^|>]+)\|Acknowledge>/.exec(slack.body)?.[1];
    expect(link).toBeDefined();
    const alert = await alertOf(contactId);
    const before = await timelineOf(alert.id);
    const level3DueAt = Date.parse(before.alert.nextStepAt!);
    const acked = await fetch(link!);
    expect(acked.status).toBe(200);
    expect(await acked.text()).toContain('Acknowledged');

    await untilPast(level3DueAt + 1500);
    expect(mailTo('a-lead@example.com')).toEqual([]);
    const timeline = await timelineOf(alert.id);
    expect(timeline.alert.state).toBe('acknowledged');
    expect(timeline.alert.ackedBy).toBe('a-slack');
    const kinds = timeline.events.map((event) => event.kind);
    expect(kinds.filter((kind) => kind === 'step.started')).toHaveLength(2);
    expect(kinds).toEqual(
      expect.arrayContaining(['alert.created', 'notification.sent', 'alert.acknowledged']),
    );
    expect(kinds.indexOf('alert.acknowledged')).toBeGreaterThan(kinds.lastIndexOf('step.started'));
    const steps = timeline.events.filter((event) => event.kind === 'step.started');
    expect(steps.map((step) => step.detail.level)).toEqual([1, 2]);
    expect(
      timeline.notifications.map((n) => [n.level, n.channel, n.recipient, n.status]).sort(),
    ).toEqual(
      [
        [1, 'email', 'a-agent@example.com', 'sent'],
        [2, 'chat', 'a-slack', 'sent'],
        [2, 'chat', 'a-teams', 'sent'],
        [2, 'webhook', 'a-hook', 'sent'],
      ].sort(),
    );
    // Level 1 was sent before level 2 was due, level 2 a second (the wait) later.
    const [first, second] = steps.map((step) => Date.parse(step.at));
    expect(second - first).toBeGreaterThanOrEqual(1000);
  });

  it('accepts an acknowledge link once; forged, expired, malformed and reused links change nothing', async () => {
    const contactId = uniqueId('esc-b-');
    await sla.publish([slaEvent(contactId, 'pol-b')]);
    const mail = await waitFor('the alert e-mail', () =>
      mailTo('b-lead@example.com').find((m) => m.subject.includes(contactId)),
    );
    const link = ackLinkIn(mail)!;
    const token = link.slice(link.lastIndexOf('/') + 1);
    const alert = await alertOf(contactId);
    const json = { accept: 'application/json' };
    const codeOf = async (response: Response) =>
      ((await response.json()) as { error: { code: string } }).error.code;

    const [payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), r: 'mallory' }),
    ).toString('base64url');
    const forged = await fetch(`${stack.urls.ops}/ack/${forgedPayload}.${signature}`, {
      headers: json,
    });
    expect(forged.status).toBe(403);
    expect(await codeOf(forged)).toBe('ACK.LINK_FORGED');

    const expiredToken = signAckToken(
      {
        notificationId: alert.id,
        alertId: alert.id,
        recipient: 'b-lead@example.com',
        expiresAtMs: Date.now() - 1000,
      },
      ACK_SECRET,
    );
    const expired = await fetch(`${stack.urls.ops}/ack/${expiredToken}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('expired');

    const malformed = await fetch(`${stack.urls.ops}/ack/not-a-token`, { headers: json });
    expect(malformed.status).toBe(400);
    expect(await codeOf(malformed)).toBe('ACK.LINK_INVALID');

    // Link checkers that only HEAD the URL acknowledge nothing, nor do chat link previews.
    expect((await fetch(link, { method: 'HEAD' })).status).toBe(204);
    const preview = await fetch(link, {
      headers: { 'user-agent': 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)' },
    });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain('<form method="post">');
    expect((await timelineOf(alert.id)).alert.state).toBe('open');

    const first = await fetch(link);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const page = await first.text();
    expect(page).toContain('Acknowledged');
    expect(page).toContain(contactId);

    const again = await fetch(link, { headers: json });
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('ACK.LINK_USED');
    const posted = await fetch(link, { method: 'POST', headers: json });
    expect(posted.status).toBe(409);
    expect(await codeOf(posted)).toBe('ACK.LINK_USED');

    const timeline = await timelineOf(alert.id);
    expect(timeline.alert).toMatchObject({ state: 'acknowledged', ackedBy: 'b-lead@example.com' });
    const acks = timeline.events.filter((event) => event.kind === 'alert.acknowledged');
    expect(acks).toHaveLength(1);
    expect(acks[0].detail).toMatchObject({ by: 'b-lead@example.com', via: 'link' });
  });

  it('retries a webhook that fails twice, records one successful delivery, and signs it verifiably', async () => {
    receiver.respond('/c-hook', [500, 503]);
    const contactId = uniqueId('esc-c-');
    await sla.publish([slaEvent(contactId, 'pol-c')]);
    const alert = await alertOf(contactId);
    const delivered = await waitFor('the webhook delivered after retries', async () => {
      const timeline = await timelineOf(alert.id);
      const hook = timeline.notifications.find((n) => n.channel === 'webhook');
      return hook?.status === 'sent' ? hook : undefined;
    });
    expect(delivered.attempts.map((a) => a.outcome)).toEqual(['failed', 'failed', 'sent']);
    expect(delivered.attempts[0].detail).toContain('HTTP 500');

    const requests = receiver.at('/c-hook');
    expect(requests.map((r) => r.status)).toEqual([500, 503, 200]);
    // One delivery: the same id on every try, so a receiver can drop repeats.
    expect(new Set(requests.map((r) => r.headers['x-replywatch-delivery'])).size).toBe(1);
    for (const request of requests) {
      const timestamp = request.headers['x-replywatch-timestamp'] as string;
      const signature = request.headers['x-replywatch-signature'] as string;
      // The method docs/escalation.md gives receivers, done by hand...
      const expected = `v1=${createHmac('sha256', HOOK_SECRET).update(`${timestamp}.${request.body}`).digest('hex')}`;
      expect(signature).toBe(expected);
      // ...and with the library function.
      expect(
        verifyWebhookSignature({
          body: request.body,
          timestamp,
          signature,
          secret: HOOK_SECRET,
          nowMs: Date.now(),
        }),
      ).toBe(true);
    }
    const sent = (await timelineOf(alert.id)).events.filter((e) => e.kind === 'notification.sent');
    expect(sent).toHaveLength(1);
  });

  it('sends one digest instead of 50 e-mails when one target gets 50 breaches at once', async () => {
    const contactIds = Array.from({ length: 50 }, (_, i) => `${uniqueId('esc-d-')}-${i}`);
    await sla.publish(contactIds.map((contactId) => slaEvent(contactId, 'pol-d')));
    const digest = await waitFor(
      'the digest',
      () => mailTo('d-lead@example.com').find((m) => m.subject.includes('(digest)')),
      { timeoutMs: 30000 },
    );
    await waitFor('all 50 alerts', async () => {
      const { rows } = await stack.db.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM "${stack.id}".alert WHERE policy_id = 'pol-d'`,
      );
      return rows[0].count === 50;
    });
    const mails = mailTo('d-lead@example.com');
    // The fatigue limit (3 per 10 minutes) lets three through on their own; the rest are one digest.
    expect(mails).toHaveLength(4);
    expect(mails.filter((m) => m.subject.includes('(digest)'))).toHaveLength(1);
    expect(digest.subject).toBe('[Replywatch] 47 chat contacts need a reply (digest)');
    const listed = contactIds.filter((id) => digest.text.includes(`- ${id} (chat`));
    expect(listed).toHaveLength(47);
    const individually = contactIds.filter((id) =>
      mails.some((m) => m.subject.includes(`contact ${id} `)),
    );
    expect(individually).toHaveLength(3);
    expect(new Set([...listed, ...individually]).size).toBe(50);
  });

  it('re-opens an acknowledged alert whose customer still has no reply when the ack times out', async () => {
    const contactId = uniqueId('esc-e-');
    await sla.publish([slaEvent(contactId, 'pol-e')]);
    await waitFor('the level 1 e-mail', () => mailTo('e-first@example.com')[0]);
    const alert = await alertOf(contactId);
    const response = await ops(`/v1/alerts/${alert.id}/ack`, {
      method: 'POST',
      body: JSON.stringify({ by: 'Erin Lead' }),
    });
    expect(response.status).toBe(200);
    const ack = (await response.json()) as { acknowledgedBy: string; expiresAt: string };
    expect(ack.acknowledgedBy).toMatch(/^Erin Lead \(api key [0-9a-f]{12}\)$/);
    const expiresAt = Date.parse(ack.expiresAt);

    const level2 = await waitFor(
      'level 2 after the ack lapsed',
      () => mailTo('e-second@example.com')[0],
      {
        timeoutMs: 15000,
      },
    );
    expect(level2.subject).toContain(contactId);
    const timeline = await timelineOf(alert.id);
    expect(timeline.alert.state).toBe('open');
    const unack = timeline.events.find((event) => event.kind === 'alert.unacknowledged');
    expect(unack?.detail).toMatchObject({ reason: 'ack_timeout' });
    expect(Date.parse(unack!.at)).toBeGreaterThanOrEqual(expiresAt);
    // While acknowledged, level 2 (due a second after level 1) waited.
    const steps = timeline.events.filter((event) => event.kind === 'step.started');
    expect(Date.parse(steps[1].at)).toBeGreaterThanOrEqual(expiresAt);
  });

  it('resolves on sla.met: the chain stops and the person paged gets a short resolved note', async () => {
    const contactId = uniqueId('esc-f-');
    const breach = slaEvent(contactId, 'pol-f');
    await sla.publish([breach]);
    await waitFor('the level 1 e-mail', () => mailTo('f-first@example.com')[0]);
    const alert = await alertOf(contactId);
    const level2DueAt = Date.parse((await timelineOf(alert.id)).alert.nextStepAt!);
    await sla.publish([
      slaEvent(contactId, 'pol-f', { type: 'sla.met', eventId: `${contactId}:met` }),
    ]);
    const note = await waitFor('the resolved note', () =>
      mailTo('f-first@example.com').find((m) => m.subject.startsWith('[Replywatch] Resolved:')),
    );
    expect(note.text).toContain('an agent replied');
    await untilPast(level2DueAt + 1500);
    expect(mailTo('f-second@example.com')).toEqual([]);
    const timeline = await timelineOf(alert.id);
    expect(timeline.alert.state).toBe('resolved');
    expect(timeline.events.map((e) => e.kind)).toContain('alert.resolved');
  });

  it('keeps a running alert on the chain it started with; a saved change applies to new alerts', async () => {
    const first = uniqueId('esc-g-');
    await sla.publish([slaEvent(first, 'pol-g')]);
    await waitFor('level 1 of the first alert', () =>
      mailTo('g-first@example.com').find((m) => m.subject.includes(first)),
    );
    // Save a new document (as the ops API will): the chain now pages g-second instead.
    const changed = escalationDocument(receiver.url);
    changed.chains = changed.chains.map((chain) =>
      chain.id === 'g-snapshot'
        ? {
            ...chain,
            levels: chain.levels.map((level) => ({
              ...level,
              notify: [{ target: 'person:g-second' }],
            })),
          }
        : chain,
    );
    await stack.db.query(
      `INSERT INTO "${stack.id}".escalation_document (version, document, saved_by) VALUES ('v2', $1, 'test')`,
      [JSON.stringify(changed)],
    );
    await waitFor('the saved document in force', async () => {
      const health = (await (await fetch(`${stack.urls.escalation}/health`)).json()) as {
        checks: Record<string, { detail?: string }>;
      };
      return health.checks['escalation-document']?.detail?.startsWith('api:');
    });
    const switchedAt = Date.now();
    const second = uniqueId('esc-g-');
    await sla.publish([slaEvent(second, 'pol-g')]);
    await waitFor('level 1 of the second alert, on the new chain', () =>
      mailTo('g-second@example.com').find((m) => m.subject.includes(second)),
    );
    await waitFor(
      'level 2 of the first alert, on its old chain',
      () => mailTo('g-first@example.com').filter((m) => m.subject.includes(first)).length === 2,
    );
    expect(mailTo('g-second@example.com').filter((m) => m.subject.includes(first))).toEqual([]);
    // The first alert's level 2 ran after the change was in force: the snapshot, not luck.
    const steps = (await timelineOf((await alertOf(first)).id)).events.filter(
      (event) => event.kind === 'step.started',
    );
    expect(Date.parse(steps[1].at)).toBeGreaterThan(switchedAt);
  });

  it("lapses an acknowledgement shortly before the contact's next breach, learnt from a later SLA event", async () => {
    const contactId = uniqueId('esc-h-');
    await sla.publish([slaEvent(contactId, 'pol-h')]);
    await waitFor('the alert e-mail', () => mailTo('h-lead@example.com')[0]);
    const alert = await alertOf(contactId);
    const acked = await ops(`/v1/alerts/${alert.id}/ack`, { method: 'POST' });
    // No ack timeout and no next breach known: the acknowledgement holds.
    expect(((await acked.json()) as { expiresAt: string | null }).expiresAt).toBeNull();
    // A warning for the contact's resolution target says its next breach is 2 s away.
    const nextDueAt = new Date(Date.now() + 2000).toISOString();
    await sla.publish([
      slaEvent(contactId, 'pol-h', {
        type: 'sla.warning',
        target: 'resolution',
        eventId: `${contactId}:resolution:warning`,
        dueAt: nextDueAt,
        nextDueAt,
      }),
    ]);
    const reopened = await waitFor(
      're-opened before the next breach',
      async () => {
        const timeline = await timelineOf(alert.id);
        return timeline.events.find((event) => event.kind === 'alert.unacknowledged');
      },
      { timeoutMs: 15000 },
    );
    expect(reopened.detail).toMatchObject({ reason: 'next_breach' });
    expect(Date.parse(reopened.at)).toBeLessThanOrEqual(Date.parse(nextDueAt) + 1000);
    // The chain had run out, so its last level pages again.
    await waitFor('the second page', () => mailTo('h-lead@example.com').length === 2);
  });

  it('pages through alerts newest first with a cursor', async () => {
    const contactIds = Array.from({ length: 5 }, (_, i) => `${uniqueId('esc-p-')}-${i}`);
    for (const contactId of contactIds) {
      // One by one, so creation order (newest first) is known.
      await sla.publish([slaEvent(contactId, 'pol-p', { channel: 'social' })]);
      await alertOf(contactId);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `/v1/alerts?channel=social&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await (await ops(query)).json()) as {
        items: { contactId: string }[];
        nextCursor: string | null;
      };
      seen.push(...page.items.map((item) => item.contactId));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...contactIds].reverse());
    const bad = await ops('/v1/alerts?cursor=bm9wZQ');
    expect(bad.status).toBe(400);
  });

  it('records met and breached targets and reports attainment and reply-time percentiles', async () => {
    const id = uniqueId('esc-r-');
    const met = (n: number, elapsedSeconds: number, withinTarget: boolean) =>
      slaEvent(`${id}-${n}`, 'pol-r', {
        type: 'sla.met',
        eventId: `${id}-${n}:met`,
        elapsedSeconds,
        withinTarget,
      });
    const events = [
      met(1, 30, true),
      met(2, 60, true),
      met(3, 90, true),
      met(4, 700, false), // late: breached first, then answered
      slaEvent(`${id}-4`, 'pol-r', { eventId: `${id}-4:breached` }),
    ];
    await sla.publish(events);
    await sla.publish([events[0]]); // a redelivery counts once
    const from = new Date(Date.now() - 3600000).toISOString();
    const report = await waitFor('the report to include all five', async () => {
      const response = await ops(`/v1/reports/sla?groupBy=policy&from=${from}`);
      const body = (await response.json()) as {
        groupBy: string;
        rows: { key: string; metInTime: number; breached: number }[];
      };
      const row = body.rows.find((r) => r.key === 'pol-r');
      return row && row.metInTime + row.breached === 4 ? body : undefined;
    });
    expect(report.groupBy).toBe('policy');
    expect(report.rows.find((r) => r.key === 'pol-r')).toEqual({
      key: 'pol-r',
      metInTime: 3,
      breached: 1,
      attainmentPercent: 75,
      p50Seconds: 75,
      p90Seconds: 517,
    });
    const { rows } = await stack.db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${stack.id}".sla_outcome WHERE contact_id LIKE $1`,
      [`${id}-%`],
    );
    expect(rows[0].count).toBe(5);

    const bad = await ops('/v1/reports/sla?groupBy=week&from=2026-02-01&to=2026-01-01');
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { details: { path: string }[] } };
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['from', 'groupBy']);
  });

  it('keeps the audit trail append-only', async () => {
    for (const table of ['alert_event', 'notification_attempt', 'ack_token_use']) {
      await expect(stack.db.query(`DELETE FROM "${stack.id}".${table}`)).rejects.toThrow(
        `${table} is append-only`,
      );
    }
    await expect(
      stack.db.query(`UPDATE "${stack.id}".alert_event SET kind = 'rewritten'`),
    ).rejects.toThrow('append-only');
    await expect(stack.db.query(`TRUNCATE "${stack.id}".notification_attempt`)).rejects.toThrow(
      'append-only',
    );
  });

  it('answers alert API errors with a reason', async () => {
    expect((await fetch(`${stack.urls.ops}/v1/alerts`)).status).toBe(401);
    const badQuery = await ops('/v1/alerts?state=sleeping&limit=0');
    expect(badQuery.status).toBe(400);
    const body = (await badQuery.json()) as {
      error: { code: string; details: { path: string }[] };
    };
    expect(body.error.code).toBe('OPS.INVALID_QUERY');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['limit', 'state']);
    const missing = await ops('/v1/alerts/00000000-0000-4000-8000-000000000000/ack', {
      method: 'POST',
    });
    expect(missing.status).toBe(404);
    expect((await ops('/v1/alerts/not-a-uuid/timeline')).status).toBe(404);
  });
});
