import type { CalendarInput, PolicyFileInput } from '@replywatch/sla-clock';
import { startStack, TEST_ADMIN_KEY, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { waitFor } from './support/wait-for';

/** Calendars managed through the ops API: one section of the policy document, checked as a whole. */
describe('ops API /v1/calendars', () => {
  let stack: Stack;
  const office: CalendarInput = {
    id: 'office',
    timeZone: 'Europe/Berlin',
    weekly: { mon: [['08:00', '18:00']], tue: [['08:00', '18:00']] },
  };
  const initial: PolicyFileInput = {
    calendars: [office],
    policies: [
      { id: 'vip', match: { tier: ['vip'] }, targets: { first_response: '15m' } },
      { id: 'default', calendar: 'office', targets: { first_response: '1h' } },
    ],
  };

  beforeAll(async () => {
    stack = await startStack(initial, ['sla', 'ops']);
  });
  afterAll(async () => stack?.close());

  const call = (path: string, method: string, key: string | undefined, body?: unknown) =>
    fetch(`${stack.urls.ops}${path}`, {
      method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const calendars = (method: string, key: string | undefined, body?: unknown) =>
    call('/v1/calendars', method, key, body);
  const errorOf = async (response: Response) =>
    ((await response.json()) as { error: { code: string; details: { path: string }[] } }).error;

  it('shows the calendars of the policy file the services started with', async () => {
    const response = await calendars('GET', TEST_OPS_KEY);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ source: 'file', calendars: [office] });
  });

  it('needs a key to read, and an admin key to change', async () => {
    expect((await calendars('GET', undefined)).status).toBe(401);
    expect((await calendars('PUT', undefined, { calendars: [office] })).status).toBe(401);
    const forbidden = await calendars('PUT', TEST_OPS_KEY, { calendars: [office] });
    expect(forbidden.status).toBe(403);
    expect((await errorOf(forbidden)).code).toBe('OPS.FORBIDDEN');
  });

  it('refuses calendars that are invalid or that leave a policy without its calendar', async () => {
    const removed = await calendars('PUT', TEST_ADMIN_KEY, {
      calendars: [{ ...office, id: 'office-2' }],
    });
    expect(removed.status).toBe(400);
    const removedError = await errorOf(removed);
    expect(removedError.code).toBe('OPS.INVALID_CALENDARS');
    expect(removedError.details).toEqual([
      {
        path: 'policies.1.calendar',
        code: 'invalid',
        message: 'no calendar with id "office" in "calendars"',
      },
    ]);

    const invalid = await calendars('PUT', TEST_ADMIN_KEY, {
      calendars: [office, { id: 'night', timeZone: 'Mars/Olympus', weekly: { mon: 'all' } }],
    });
    expect(invalid.status).toBe(400);
    const invalidError = await errorOf(invalid);
    expect(invalidError.code).toBe('OPS.INVALID_CALENDARS');
    expect(invalidError.details.map((d) => d.path)).toEqual(
      expect.arrayContaining(['calendars.1.timeZone', 'calendars.1.weekly.mon']),
    );

    const notAList = await calendars('PUT', TEST_ADMIN_KEY, { calendars: { office } });
    expect(notAList.status).toBe(400);
    expect((await errorOf(notAList)).details.map((d) => d.path)).toEqual(['calendars']);
    const unknownField = await calendars('PUT', TEST_ADMIN_KEY, { calendars: [office], x: 1 });
    expect(unknownField.status).toBe(400);
    expect((await errorOf(unknownField)).details.map((d) => d.path)).toEqual(['x']);

    expect(await (await calendars('GET', TEST_OPS_KEY)).json()).toEqual({
      source: 'file',
      calendars: [office],
    });
  });

  it('saves valid calendars into the policy document, which the SLA service then uses', async () => {
    const longerHours: CalendarInput = {
      ...office,
      weekly: { ...office.weekly, wed: [['08:00', '20:00']] },
      holidays: [{ date: '2026-12-25' }],
    };
    const weekend: CalendarInput = {
      id: 'weekend',
      timeZone: 'UTC',
      weekly: { sat: [['10:00', '14:00']] },
    };
    const saved = await calendars('PUT', TEST_ADMIN_KEY, { calendars: [longerHours, weekend] });
    expect(saved.status).toBe(200);
    const expected = { source: 'api', calendars: [longerHours, weekend] };
    expect(await saved.json()).toEqual(expected);
    expect(await (await calendars('GET', TEST_OPS_KEY)).json()).toEqual(expected);

    // The rest of the policy document is kept as it was.
    expect(await (await call('/v1/policies', 'GET', TEST_OPS_KEY)).json()).toEqual({
      source: 'api',
      document: {
        calendars: [longerHours, weekend],
        policies: initial.policies.map((policy) => ({ ...policy, version: 1 })),
      },
    });

    await waitFor('the SLA service on the saved document', async () => {
      const health = (await (await fetch(`${stack.urls.sla}/health`)).json()) as {
        checks: { policies: { detail: string } };
      };
      return health.checks.policies.detail === 'api: vip@1, default@1';
    });

    // A GET answer can be sent back as it is.
    const roundTrip = await calendars('PUT', TEST_ADMIN_KEY, expected);
    expect(roundTrip.status).toBe(200);
  });
});
