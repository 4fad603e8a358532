import { slackMessage, teamsMessage } from './chat-message.template';
import type { AlertView, NotificationMessage } from './notification-message';

type Block = {
  type: string;
  text?: { type: string; text: string };
  fields?: { type: string; text: string }[];
};
type Card = {
  type: string;
  version: string;
  body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
  actions?: { type: string; title: string; url: string }[];
};

const dashboardUrl = 'http://127.0.0.1:3001/';
const now = Date.parse('2026-03-02T09:12:30Z');
const alert: AlertView = {
  alertId: 'a-1',
  contactId: 'chat-8812',
  channel: 'chat',
  priority: 'high',
  target: 'first_response',
  policyId: 'chat-and-social',
  trigger: 'sla.breached',
  startedAt: new Date('2026-03-02T09:00:00Z'),
  dueAt: new Date('2026-03-02T09:10:00Z'),
  level: 1,
  ackUrl: 'https://rw.example/ack/a-1?token=t0k3n',
};
const page: NotificationMessage = { kind: 'page', alert, dashboardUrl };
const resolved: NotificationMessage = {
  kind: 'resolved',
  alert: { ...alert, ackUrl: undefined },
  resolvedBy: 'sla.met',
  dashboardUrl,
};
const digestOf = (count: number): NotificationMessage => ({
  kind: 'digest',
  dashboardUrl,
  alerts: Array.from({ length: count }, (_, i) => ({
    ...alert,
    alertId: `a-${i}`,
    contactId: `chat-${i}`,
    startedAt: new Date(Date.parse('2026-03-02T09:00:00Z') + i * 1000),
    ackUrl: `https://rw.example/ack/a-${i}?token=${'x'.repeat(64)}`,
  })),
});

const slackBlocks = (message: NotificationMessage) => slackMessage(message, now).blocks as Block[];
const cardOf = (message: NotificationMessage) => {
  const envelope = teamsMessage(message, now) as {
    attachments: { content: Card }[];
  };
  return envelope.attachments[0].content;
};

describe('slackMessage', () => {
  it('carries the headline as notification text and blocks for the message', () => {
    const message = slackMessage(page, now);
    expect(message.text).toBe('No reply: chat contact chat-8812 has waited 12m 30s');
    const blocks = message.blocks as Block[];
    expect(blocks[0]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*No reply: chat contact chat-8812 has waited 12m 30s*' },
    });
  });

  it('shows a page as a fields section and a section of links', () => {
    const blocks = slackBlocks(page);
    expect(blocks).toHaveLength(3);
    const fields = blocks[1].fields!;
    expect(blocks[1].type).toBe('section');
    expect(fields.length).toBeGreaterThan(0);
    expect(fields.length).toBeLessThanOrEqual(10);
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Contact:*\nchat-8812' });
    expect(fields).toContainEqual({ type: 'mrkdwn', text: '*Level:*\n1' });
    const links = blocks[2].text!;
    expect(links.type).toBe('mrkdwn');
    expect(links.text).toContain(`<${alert.ackUrl}|Acknowledge>`);
    expect(links.text).toContain('<http://127.0.0.1:3001/?contact=chat-8812|Open in dashboard>');
  });

  it('leaves the acknowledge link out when there is no ackUrl', () => {
    const blocks = slackBlocks({
      kind: 'page',
      alert: { ...alert, ackUrl: undefined },
      dashboardUrl,
    });
    expect(blocks[2].text!.text).toBe(
      '<http://127.0.0.1:3001/?contact=chat-8812|Open in dashboard>',
    );
  });

  it('escapes <, > and & in contact ids in mrkdwn', () => {
    const contactId = 'chat-<8812>&<!channel>';
    const escaped = 'chat-&lt;8812&gt;&amp;&lt;!channel&gt;';
    const blocks = slackBlocks({ kind: 'page', alert: { ...alert, contactId }, dashboardUrl });
    expect(blocks[0].text!.text).toContain(escaped);
    expect(blocks[1].fields).toContainEqual({ type: 'mrkdwn', text: `*Contact:*\n${escaped}` });
    expect(JSON.stringify(blocks)).not.toContain(contactId);
    // The dashboard link carries the id URL-encoded, so it cannot break the <url|label> syntax.
    expect(blocks[2].text!.text).toContain(
      '<http://127.0.0.1:3001/?contact=chat-%3C8812%3E%26%3C%21channel%3E|Open in dashboard>',
    );

    const digest = slackBlocks({
      kind: 'digest',
      alerts: [{ ...alert, contactId }],
      dashboardUrl,
    });
    expect(digest[1].text!.text).toContain(`• ${escaped} (chat, high)`);
    expect(JSON.stringify(digest)).not.toContain(contactId);
  });

  it('splits a 300-alert digest into sections of at most 3000 characters, 50 blocks at most', () => {
    const message = slackMessage(digestOf(300), now);
    expect(message.text).toBe('300 contacts need a reply (digest)');
    const blocks = message.blocks as Block[];
    expect(blocks.length).toBeLessThanOrEqual(50);
    expect(blocks.length).toBeGreaterThan(3);
    for (const block of blocks) {
      expect(block.type).toBe('section');
      expect(block.text!.type).toBe('mrkdwn');
      expect(block.text!.text.length).toBeLessThanOrEqual(3000);
    }
    const listed = blocks
      .slice(1, -1)
      .map((b) => b.text!.text)
      .join('');
    for (let i = 0; i < 300; i += 1) {
      expect(listed).toContain(`• chat-${i} (chat, high)`);
      expect(listed).toContain(`<https://rw.example/ack/a-${i}?token=`);
    }
    expect(blocks[blocks.length - 1].text!.text).toBe(`<${dashboardUrl}|Open the dashboard>`);
  });

  it('keeps within 50 blocks and 3000 characters even when the lines would need more', () => {
    const message = digestOf(300);
    if (message.kind !== 'digest') throw new Error('digest expected');
    const long = message.alerts.map((a) => ({ ...a, ackUrl: `${a.ackUrl}${'y'.repeat(1500)}` }));
    const blocks = slackBlocks({ ...message, alerts: long });
    expect(blocks.length).toBeLessThanOrEqual(50);
    for (const block of blocks) expect(block.text!.text.length).toBeLessThanOrEqual(3000);
  });

  it('sends a resolved note as a single section', () => {
    const message = slackMessage(resolved, now);
    expect(message.text).toBe('Resolved: chat contact chat-8812 is no longer waiting');
    expect(message.blocks).toEqual([
      {
        type: 'section',
        text: { type: 'mrkdwn', text: '*Resolved: chat contact chat-8812 is no longer waiting*' },
      },
    ]);
  });
});

describe('teamsMessage', () => {
  it('wraps an Adaptive Card 1.4 in a message envelope', () => {
    for (const message of [page, resolved, digestOf(3)]) {
      expect(teamsMessage(message, now)).toEqual({
        type: 'message',
        attachments: [
          {
            contentType: 'application/vnd.microsoft.card.adaptive',
            contentUrl: null,
            content: expect.objectContaining({ type: 'AdaptiveCard', version: '1.4' }),
          },
        ],
      });
    }
  });

  it('shows a page as a FactSet with acknowledge and dashboard actions', () => {
    const card = cardOf(page);
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: 'No reply: chat contact chat-8812 has waited 12m 30s',
    });
    const factSet = card.body.find((b) => b.type === 'FactSet')!;
    expect(factSet.facts).toContainEqual({ title: 'Contact', value: 'chat-8812' });
    expect(factSet.facts).toContainEqual({ title: 'Level', value: '1' });
    expect(card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Acknowledge', url: alert.ackUrl },
      {
        type: 'Action.OpenUrl',
        title: 'Open in dashboard',
        url: 'http://127.0.0.1:3001/?contact=chat-8812',
      },
    ]);
  });

  it('shows a digest as a FactSet with one fact per alert', () => {
    const card = cardOf(digestOf(3));
    expect(card.body[0].text).toBe('3 contacts need a reply (digest)');
    const factSet = card.body.find((b) => b.type === 'FactSet')!;
    expect(factSet.facts).toHaveLength(3);
    expect(factSet.facts!.map((f) => f.title)).toEqual(['chat-0', 'chat-1', 'chat-2']);
    expect(factSet.facts![1].value).toContain('chat, high, waited 12m 29s');
    expect(factSet.facts![1].value).toContain('[Acknowledge](https://rw.example/ack/a-1?token=');
  });

  it('has no actions on a resolved note', () => {
    const card = cardOf(resolved);
    expect(card.actions).toBeUndefined();
    expect(card.body).toEqual([
      expect.objectContaining({
        type: 'TextBlock',
        text: 'Resolved: chat contact chat-8812 is no longer waiting',
      }),
    ]);
  });
});

describe('slackMessage limits after escaping', () => {
  it('keeps sections and fields within limits and never cuts an entity in half', () => {
    const ampersands: NotificationMessage = {
      kind: 'page',
      alert: { ...alert, contactId: '&'.repeat(1000) },
      dashboardUrl,
    };
    const blocks = slackBlocks(ampersands);
    const texts = blocks.flatMap((block) => [
      ...(block.text ? [block.text.text] : []),
      ...(block.fields ?? []).map((field) => field.text),
    ]);
    expect(blocks[0].text!.text.length).toBeLessThanOrEqual(3000);
    for (const field of blocks[1].fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    for (const text of texts) expect(text).not.toMatch(/&a?m?p?…/);
  });
});
