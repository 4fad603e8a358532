import type { AlertView, NotificationMessage } from './notification-message';
import { webhookPayload } from './webhook-payload';

const dashboardUrl = 'http://127.0.0.1:3001/';
const now = Date.parse('2026-03-02T09:12:30.750Z');
const alert: AlertView = {
  alertId: 'a-1',
  contactId: 'chat-<8812>',
  channel: 'chat',
  priority: 'high',
  target: 'first_response',
  policyId: 'chat-and-social',
  trigger: 'sla.breached',
  startedAt: new Date('2026-03-02T09:00:00.250Z'),
  dueAt: new Date('2026-03-02T09:10:00Z'),
};
const alertJson = {
  id: 'a-1',
  trigger: 'sla.breached',
  contactId: 'chat-<8812>',
  channel: 'chat',
  priority: 'high',
  target: 'first_response',
  policyId: 'chat-and-social',
  startedAt: '2026-03-02T09:00:00.250Z',
  dueAt: '2026-03-02T09:10:00.000Z',
  waitingSeconds: 750,
};

const roundTrips = (payload: Record<string, unknown>) =>
  expect(JSON.parse(JSON.stringify(payload))).toEqual(payload);

describe('webhookPayload', () => {
  it('describes a page with its level and acknowledge URL', () => {
    const ackUrl = 'https://rw.example/ack/a-1?token=t0k3n';
    const message: NotificationMessage = {
      kind: 'page',
      alert: { ...alert, level: 2, ackUrl },
      dashboardUrl,
    };
    const payload = webhookPayload(message, 'delivery-1', now);
    expect(payload).toEqual({
      type: 'alert.page',
      schemaVersion: 1,
      deliveryId: 'delivery-1',
      sentAt: '2026-03-02T09:12:30.750Z',
      dashboardUrl,
      alert: { ...alertJson, level: 2, acknowledgeUrl: ackUrl },
    });
    roundTrips(payload);
  });

  it('leaves level and acknowledgeUrl out when the alert has none', () => {
    const payload = webhookPayload({ kind: 'page', alert, dashboardUrl }, 'delivery-2', now);
    expect(payload.alert).toEqual(alertJson);
    expect(payload.alert).not.toHaveProperty('level');
    expect(payload.alert).not.toHaveProperty('acknowledgeUrl');
    roundTrips(payload);
  });

  it('floors waitingSeconds to whole seconds since the alert started', () => {
    const payload = webhookPayload(
      { kind: 'page', alert, dashboardUrl },
      'delivery-3',
      Date.parse('2026-03-02T09:00:01.249Z'),
    );
    expect((payload.alert as { waitingSeconds: number }).waitingSeconds).toBe(0);
    const later = webhookPayload(
      { kind: 'page', alert, dashboardUrl },
      'delivery-3',
      Date.parse('2026-03-02T09:00:01.250Z'),
    );
    expect((later.alert as { waitingSeconds: number }).waitingSeconds).toBe(1);
  });

  it('describes a resolved note with what resolved it', () => {
    const message: NotificationMessage = {
      kind: 'resolved',
      alert: { ...alert, level: 1 },
      resolvedBy: 'sla.met',
      dashboardUrl,
    };
    const payload = webhookPayload(message, 'delivery-4', now);
    expect(payload).toEqual({
      type: 'alert.resolved',
      schemaVersion: 1,
      deliveryId: 'delivery-4',
      sentAt: '2026-03-02T09:12:30.750Z',
      dashboardUrl,
      resolvedBy: 'sla.met',
      alert: { ...alertJson, level: 1 },
    });
    roundTrips(payload);
  });

  it('describes a digest with one entry per alert', () => {
    const alerts: AlertView[] = [
      { ...alert, ackUrl: 'https://rw.example/ack/a-1' },
      {
        ...alert,
        alertId: 'a-2',
        contactId: 'email-77',
        channel: 'email',
        priority: 'normal',
        target: 'next_response',
        policyId: 'email',
        trigger: 'sla.warning',
        startedAt: new Date('2026-03-02T08:00:00Z'),
        dueAt: new Date('2026-03-02T10:00:00Z'),
        level: 3,
      },
    ];
    const payload = webhookPayload({ kind: 'digest', alerts, dashboardUrl }, 'delivery-5', now);
    expect(payload).toEqual({
      type: 'alert.digest',
      schemaVersion: 1,
      deliveryId: 'delivery-5',
      sentAt: '2026-03-02T09:12:30.750Z',
      dashboardUrl,
      alerts: [
        { ...alertJson, acknowledgeUrl: 'https://rw.example/ack/a-1' },
        {
          id: 'a-2',
          trigger: 'sla.warning',
          contactId: 'email-77',
          channel: 'email',
          priority: 'normal',
          target: 'next_response',
          policyId: 'email',
          startedAt: '2026-03-02T08:00:00.000Z',
          dueAt: '2026-03-02T10:00:00.000Z',
          waitingSeconds: 4350,
          level: 3,
        },
      ],
    });
    roundTrips(payload);
  });
});
