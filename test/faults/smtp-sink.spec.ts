import nodemailer from 'nodemailer';
import { renderEmail } from '../../apps/escalation/src/alert-email.template';
import type { AlertView } from '../../apps/escalation/src/notification-message';
import { parseMail } from './smtp-sink';

/** The fault suite counts e-mails by what it parses out of them: parse what the service sends. */
describe('fault suite SMTP sink: parseMail', () => {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const alert: AlertView = {
    alertId: '3f6c1d2e-8a4b-4c1e-9d7a-2b5e6f7a8c90',
    contactId: 'killsla-mwufr8glbb00e5-2052',
    channel: 'email',
    priority: 'normal',
    target: 'first_response',
    policyId: 'faults',
    trigger: 'sla.breached',
    startedAt: new Date('2026-11-24T08:00:00Z'),
    dueAt: new Date('2026-11-24T08:00:10Z'),
    level: 2,
    // A long token with `--` in it: quoted-printable wraps it, a line may start with `--`.
    ackUrl: `http://127.0.0.1:3001/ack/${'eyJ--abc_'.repeat(30)}`,
  };

  async function raw(message: Parameters<typeof renderEmail>[0], id: string): Promise<string> {
    const email = renderEmail(message, Date.parse('2026-11-24T08:00:30Z'));
    const info = (await transport.sendMail({
      from: 'Replywatch <alerts@replywatch.local>',
      to: 'second@faults.example.com',
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<${id}@replywatch>`,
    })) as { message: Buffer };
    return info.message.toString('utf8');
  }

  it('reads the notification id, alert, level and kind of a page', async () => {
    const id = '9b2f4c8e-1d3a-4e5f-8a6b-7c9d0e1f2a3b';
    const mail = parseMail(
      await raw({ kind: 'page', alert, dashboardUrl: 'http://127.0.0.1:3001/' }, id),
      ['second@faults.example.com'],
      1,
    );
    expect(mail).toEqual({
      notificationId: id,
      to: ['second@faults.example.com'],
      alertId: alert.alertId,
      kind: 'page',
      level: 2,
      receivedAt: 1,
    });
  });

  it('tells a resolved note from a page', async () => {
    const mail = parseMail(
      await raw(
        { kind: 'resolved', alert, resolvedBy: 'sla.met', dashboardUrl: 'http://127.0.0.1:3001/' },
        'c0ffee00-1d3a-4e5f-8a6b-7c9d0e1f2a3b',
      ),
      ['first@faults.example.com'],
      2,
    );
    expect(mail).toMatchObject({ alertId: alert.alertId, kind: 'resolved', level: undefined });
  });
});
