import { heartbeatVerdict, resolveHeartbeats, silentFromMs } from './heartbeat';
import { policyFileSchema } from './policy.schema';

const at = (iso: string) => Date.parse(iso);

const file = policyFileSchema.parse({
  calendars: [
    {
      id: 'office',
      timeZone: 'Europe/Berlin',
      weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] },
    },
  ],
  policies: [{ id: 'default', targets: { first_response: '1h' } }],
  heartbeats: [
    { source: 'twilio:main', silentAfter: '15m', calendar: 'office', channel: 'phone' },
    { source: 'crm', silentAfter: '10m' },
  ],
});
const [phone, crm] = resolveHeartbeats(file);

describe('heartbeats', () => {
  it('count the window around the clock without a calendar', () => {
    expect(silentFromMs(crm, at('2026-11-24T10:00:00Z'))).toBe(at('2026-11-24T10:10:00Z'));
  });

  it('count only open hours with a calendar: a phone line is not silent at night', () => {
    // Monday 16:50 Berlin (15:50Z): 10 minutes left today, 5 more from Tuesday 09:00 (08:00Z).
    expect(silentFromMs(phone, at('2026-11-23T15:50:00Z'))).toBe(at('2026-11-24T08:05:00Z'));
  });

  it('turn silent once the window has passed, and only once', () => {
    const last = at('2026-11-24T10:00:00Z');
    expect(heartbeatVerdict(crm, last, undefined, at('2026-11-24T10:09:59Z'))).toEqual({
      kind: 'unchanged',
    });
    expect(heartbeatVerdict(crm, last, undefined, at('2026-11-24T10:10:00Z'))).toEqual({
      kind: 'silent',
      silentFromMs: at('2026-11-24T10:10:00Z'),
    });
    expect(
      heartbeatVerdict(crm, last, at('2026-11-24T10:10:00Z'), at('2026-11-24T11:00:00Z')),
    ).toEqual({ kind: 'unchanged' });
  });

  it('recover when an event arrives after the silence began', () => {
    const silentSince = at('2026-11-24T10:10:00Z');
    expect(
      heartbeatVerdict(crm, at('2026-11-24T10:30:00Z'), silentSince, at('2026-11-24T10:30:01Z')),
    ).toEqual({ kind: 'recovered', silentFromMs: silentSince });
  });

  it('are validated: one heartbeat per source, calendars must exist, windows are durations', () => {
    const result = policyFileSchema.safeParse({
      policies: [{ id: 'default', targets: { first_response: '1h' } }],
      heartbeats: [
        { source: 'crm', silentAfter: '10m', calendar: 'nope' },
        { source: 'crm', silentAfter: 'soon' },
      ],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join('.'));
    expect(paths).toEqual(['heartbeats.1.silentAfter']);
  });

  it('report a duplicate source and an unknown calendar once the fields are valid', () => {
    const result = policyFileSchema.safeParse({
      policies: [{ id: 'default', targets: { first_response: '1h' } }],
      heartbeats: [
        { source: 'crm', silentAfter: '10m', calendar: 'nope' },
        { source: 'crm', silentAfter: '5m' },
      ],
    });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['heartbeats.0.calendar', 'no calendar with id "nope" in "calendars"'],
      ['heartbeats.1.source', 'source "crm" has two heartbeats'],
    ]);
  });
});
