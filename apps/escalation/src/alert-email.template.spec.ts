import { renderAlertEmail } from './alert-email.template';

describe('alert e-mail', () => {
  const input = {
    alertId: 'a-1',
    contactId: 'chat-<8812>',
    channel: 'chat',
    priority: 'high',
    target: 'first_response',
    policyId: 'chat-and-social',
    startedAt: new Date('2026-03-02T09:00:00Z'),
    dueAt: new Date('2026-03-02T09:10:00Z'),
    dashboardUrl: 'http://127.0.0.1:3001/',
  };

  it('says who waits, on which channel, for how long, and links the dashboard', () => {
    const email = renderAlertEmail(input, Date.parse('2026-03-02T09:12:30Z'));
    expect(email.subject).toBe(
      '[Replywatch] No reply: chat contact chat-<8812> has waited 12m 30s',
    );
    expect(email.text).toContain(
      'Due:       2026-03-02T09:10:00.000Z (first response, policy chat-and-social)',
    );
    expect(email.text).toContain('Dashboard: http://127.0.0.1:3001/?contact=chat-%3C8812%3E');
  });

  it('escapes contact ids in HTML', () => {
    const email = renderAlertEmail(input, Date.parse('2026-03-02T09:12:30Z'));
    expect(email.html).toContain('chat-&#60;8812&#62;');
    expect(email.html).not.toContain('<8812>');
  });
});
