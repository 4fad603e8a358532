import { renderEmail } from './alert-email.template';
import type { AlertView } from './notification-message';

describe('alert e-mail', () => {
  const alert: AlertView = {
    alertId: 'a-1',
    contactId: 'chat-<8812>',
    channel: 'chat',
    priority: 'high',
    target: 'first_response',
    policyId: 'chat-and-social',
    trigger: 'sla.breached',
    startedAt: new Date('2026-03-02T09:00:00Z'),
    dueAt: new Date('2026-03-02T09:10:00Z'),
  };
  const page = { kind: 'page' as const, alert, dashboardUrl: 'http://127.0.0.1:3001/' };

  it('says who waits, on which channel, for how long, and links the dashboard', () => {
    const email = renderEmail(page, Date.parse('2026-03-02T09:12:30Z'));
    expect(email.subject).toBe(
      '[Replywatch] No reply: chat contact chat-<8812> has waited 12m 30s',
    );
    expect(email.text).toContain(
      'Due:       2026-03-02T09:10:00.000Z (first response, policy chat-and-social)',
    );
    expect(email.text).toContain('Dashboard: http://127.0.0.1:3001/?contact=chat-%3C8812%3E');
  });

  it('escapes contact ids in HTML', () => {
    const email = renderEmail(page, Date.parse('2026-03-02T09:12:30Z'));
    expect(email.html).toContain('chat-&#60;8812&#62;');
    expect(email.html).not.toContain('<8812>');
  });

  describe('page', () => {
    const dashboardUrl = 'http://127.0.0.1:3001/';
    const now = Date.parse('2026-03-02T09:08:00Z');

    it('warns before a breach with the time left', () => {
      const email = renderEmail(
        { kind: 'page', alert: { ...alert, trigger: 'sla.warning' }, dashboardUrl },
        now,
      );
      expect(email.subject).toBe(
        '[Replywatch] About to breach: chat contact chat-<8812> has waited 8m, first response due in 2m',
      );
      expect(email.text).toContain(
        'A customer on chat has waited 8m; their first response is due at 2026-03-02T09:10:00.000Z.',
      );
      expect(email.text).toContain('Waiting:   8m (since 2026-03-02T09:00:00.000Z)');
    });

    it('links the acknowledge URL in text and as an escaped link in HTML', () => {
      const ackUrl = 'https://rw.example/ack?alert=a-1&token=abc"x';
      const email = renderEmail({ kind: 'page', alert: { ...alert, ackUrl }, dashboardUrl }, now);
      expect(email.text).toContain(`Acknowledge: ${ackUrl}`);
      expect(email.html).toContain(
        '<a href="https://rw.example/ack?alert=a-1&#38;token=abc&#34;x"><b>Acknowledge</b></a>',
      );
      expect(email.html).not.toContain(ackUrl);
    });

    it('has no acknowledge link without an ackUrl', () => {
      const email = renderEmail(page, now);
      expect(email.text).not.toContain('Acknowledge');
      expect(email.html).not.toContain('Acknowledge');
    });

    it('shows the chain level when the page came from a chain step', () => {
      const email = renderEmail({ kind: 'page', alert: { ...alert, level: 2 }, dashboardUrl }, now);
      expect(email.text).toContain('Level:     2');
      expect(email.html).toContain('<tr><th align="left">Level</th><td>2</td></tr>');
      expect(renderEmail(page, now).text).not.toContain('Level:');
    });

    it('names the silent connector, not a customer, for a source-silent alert', () => {
      const source: AlertView = {
        ...alert,
        alertId: 'a-src',
        contactId: 'source:twilio:main',
        channel: 'sms',
        target: 'source_silent',
        trigger: 'source.silent',
        startedAt: new Date('2026-03-02T08:30:00Z'),
        dueAt: new Date('2026-03-02T09:00:00Z'),
      };
      const email = renderEmail({ kind: 'page', alert: source, dashboardUrl }, now);
      expect(email.subject).toBe(
        '[Replywatch] Connector twilio:main silent for 38m: contacts may be going unseen',
      );
      expect(email.text).toContain('No contact event has arrived from twilio:main (sms) for 38m');
      expect(email.text).toContain('Source:    twilio:main');
      expect(email.text).toContain('Last seen: 2026-03-02T08:30:00.000Z');
      expect(email.text).toContain('Silent at: 2026-03-02T09:00:00.000Z');
      expect(email.text).toContain(`Dashboard: ${dashboardUrl}\n`);
      for (const row of ['Contact:', 'Priority:', 'Waiting:', 'Due:']) {
        expect(email.text).not.toContain(row);
      }
      expect(email.html).not.toContain('>Contact<');
      expect(email.html).not.toContain('>Priority<');
      expect(email.html).not.toContain('contact=');
    });
  });

  describe('resolved note', () => {
    const dashboardUrl = 'http://127.0.0.1:3001/';
    const now = Date.parse('2026-03-02T09:20:00Z');

    it('says an agent replied when the SLA was met', () => {
      const email = renderEmail(
        { kind: 'resolved', alert, resolvedBy: 'sla.met', dashboardUrl },
        now,
      );
      expect(email.subject).toBe(
        '[Replywatch] Resolved: chat contact chat-<8812> is no longer waiting',
      );
      expect(email.text).toBe(
        'chat contact chat-<8812> is no longer waiting (an agent replied). Nothing more to do for alert a-1.',
      );
      expect(email.html).toContain('chat-&#60;8812&#62;');
      expect(email.html).not.toContain('<8812>');
    });

    it('says events arrive again when a connector recovered', () => {
      const source: AlertView = {
        ...alert,
        contactId: 'source:twilio:main',
        target: 'source_silent',
        trigger: 'source.silent',
      };
      const email = renderEmail(
        { kind: 'resolved', alert: source, resolvedBy: 'source.recovered', dashboardUrl },
        now,
      );
      expect(email.subject).toBe('[Replywatch] Resolved: Connector twilio:main is sending again');
      expect(email.text).toBe(
        'Connector twilio:main is sending again (events arrive again). Nothing more to do for alert a-1.',
      );
    });
  });

  describe('digest', () => {
    const dashboardUrl = 'http://127.0.0.1:3001/';
    const now = Date.parse('2026-03-02T09:30:00Z');
    const alerts: AlertView[] = [1, 2, 3].map((n) => ({
      ...alert,
      alertId: `a-${n}`,
      contactId: `chat-<${n}>&co`,
      startedAt: new Date(Date.parse('2026-03-02T09:00:00Z') + n * 60_000),
      ackUrl: `https://rw.example/ack/${n}?t=x${n}`,
    }));

    it('sums up the alerts in the subject', () => {
      const email = renderEmail({ kind: 'digest', alerts, dashboardUrl }, now);
      expect(email.subject).toBe('[Replywatch] 3 chat contacts need a reply (digest)');
    });

    it('lists several channels comma-separated in the subject', () => {
      const mixed = [
        alerts[0],
        { ...alerts[1], channel: 'email' },
        { ...alerts[2], channel: 'chat' },
      ];
      const email = renderEmail({ kind: 'digest', alerts: mixed, dashboardUrl }, now);
      expect(email.subject).toBe('[Replywatch] 3 chat, email contacts need a reply (digest)');
    });

    it('has one line per alert with its acknowledge link', () => {
      const email = renderEmail({ kind: 'digest', alerts, dashboardUrl }, now);
      const lines = email.text.split('\n').filter((l) => l.startsWith('- '));
      expect(lines).toEqual([
        '- chat-<1>&co (chat, high): waited 29m, first response due 2026-03-02T09:10:00.000Z',
        '- chat-<2>&co (chat, high): waited 28m, first response due 2026-03-02T09:10:00.000Z',
        '- chat-<3>&co (chat, high): waited 27m, first response due 2026-03-02T09:10:00.000Z',
      ]);
      for (const a of alerts) {
        expect(email.text).toContain(`  Acknowledge: ${a.ackUrl}`);
        expect(email.html).toContain(`<a href="${a.ackUrl}">Acknowledge</a>`);
      }
      expect(email.html.match(/<li>/g)).toHaveLength(3);
      expect(email.text).toContain(`Dashboard: ${dashboardUrl}`);
    });

    it('escapes contact ids in HTML', () => {
      const email = renderEmail({ kind: 'digest', alerts, dashboardUrl }, now);
      for (const n of [1, 2, 3])
        expect(email.html).toContain(`<li>chat-&#60;${n}&#62;&#38;co (chat`);
      expect(email.html).not.toMatch(/<\d>/);
      expect(email.html).not.toContain('&co');
    });
  });
});
