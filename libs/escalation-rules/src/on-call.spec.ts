import fc from 'fast-check';
import { calendarSchema } from '@replywatch/sla-clock';
import { isOnShift, onCallAt } from './on-call';
import type { Rotation } from './escalation-document.schema';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const rotation: Rotation = {
  id: 'primary',
  people: ['alice', 'bob', 'carol'],
  start: '2026-11-23T09:00:00Z',
  every: DAY,
};
const start = at(rotation.start);

describe('onCallAt', () => {
  it('gives the first person the first turn, then the next one each turn', () => {
    expect(onCallAt(rotation, start)).toBe('alice');
    expect(onCallAt(rotation, start + DAY - 1)).toBe('alice');
    expect(onCallAt(rotation, start + DAY + HOUR)).toBe('bob');
    expect(onCallAt(rotation, start + 2 * DAY + HOUR)).toBe('carol');
  });

  it('wraps around after the last person', () => {
    expect(onCallAt(rotation, start + 3 * DAY)).toBe('alice');
    expect(onCallAt(rotation, start + 4 * DAY + HOUR)).toBe('bob');
    expect(onCallAt(rotation, start + 300 * DAY + HOUR)).toBe('alice');
  });

  it('hands over at the exact boundary to the next person', () => {
    expect(onCallAt(rotation, start + DAY - 1)).toBe('alice');
    expect(onCallAt(rotation, start + DAY)).toBe('bob');
    expect(onCallAt(rotation, start + 3 * DAY)).toBe('alice');
  });

  it('counts turns backwards before the start', () => {
    expect(onCallAt(rotation, start - 1)).toBe('carol');
    expect(onCallAt(rotation, start - DAY)).toBe('carol');
    expect(onCallAt(rotation, start - DAY - 1)).toBe('bob');
    expect(onCallAt(rotation, start - 2 * DAY - HOUR)).toBe('alice');
    expect(onCallAt(rotation, start - 3 * DAY)).toBe('alice');
    expect(onCallAt(rotation, start - 3 * DAY - 1)).toBe('carol');
    expect(onCallAt(rotation, start - 301 * DAY)).toBe('carol'); // turn -301 ≡ 2 (mod 3)
    expect(onCallAt(rotation, start - 302 * DAY)).toBe('bob');
  });

  it('reads the start with its offset', () => {
    const berlin: Rotation = { ...rotation, start: '2026-11-23T10:00:00+01:00' };
    expect(onCallAt(berlin, start - 1)).toBe('carol');
    expect(onCallAt(berlin, start)).toBe('alice');
  });

  it('always names the only person of a one-person rotation', () => {
    const solo: Rotation = { ...rotation, people: ['dana'] };
    expect(onCallAt(solo, start - 5 * DAY - 7)).toBe('dana');
    expect(onCallAt(solo, start + 11 * DAY + 7)).toBe('dana');
  });

  it('repeats after every person has had a turn (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uuid(), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 1_000, max: 30 * DAY }),
        fc.integer({ min: -(2 ** 40), max: 2 ** 40 }),
        fc.integer({ min: -(2 ** 42), max: 2 ** 42 }),
        (people, every, offset, t) => {
          const r: Rotation = {
            id: 'r',
            people,
            start: new Date(Date.UTC(2026, 0, 1) + offset).toISOString(),
            every,
          };
          const now = Date.UTC(2026, 0, 1) + t;
          const name = onCallAt(r, now);
          expect(people).toContain(name);
          expect(onCallAt(r, now + people.length * every)).toBe(name);
          expect(onCallAt(r, now - people.length * every)).toBe(name);
        },
      ),
      { seed: 20261124, numRuns: 500 },
    );
  });
});

describe('isOnShift', () => {
  const office = calendarSchema.parse({
    id: 'office',
    timeZone: 'Europe/Berlin',
    weekly: {
      mon: [['09:00', '17:00']],
      tue: [['09:00', '17:00']],
      wed: [['09:00', '17:00']],
      thu: [['09:00', '17:00']],
      fri: [['09:00', '17:00']],
    },
  });

  it('is always on shift without a calendar', () => {
    expect(isOnShift(undefined, at('2026-11-28T03:00:00Z'))).toBe(true);
    expect(isOnShift(undefined, at('2026-11-23T10:00:00Z'))).toBe(true);
  });

  it('is on shift during working hours', () => {
    // Monday 2026-11-23, Berlin is UTC+1 in winter.
    expect(isOnShift(office, at('2026-11-23T10:00:00+01:00'))).toBe(true);
    expect(isOnShift(office, at('2026-11-23T09:00:00+01:00'))).toBe(true);
    expect(isOnShift(office, at('2026-11-23T16:59:59.999+01:00'))).toBe(true);
  });

  it('is off shift from the end of the hours, which is not included', () => {
    expect(isOnShift(office, at('2026-11-23T17:00:00+01:00'))).toBe(false);
    expect(isOnShift(office, at('2026-11-23T08:59:59.999+01:00'))).toBe(false);
  });

  it('is off shift at night and on the weekend', () => {
    expect(isOnShift(office, at('2026-11-24T03:00:00+01:00'))).toBe(false);
    expect(isOnShift(office, at('2026-11-28T10:00:00+01:00'))).toBe(false);
    expect(isOnShift(office, at('2026-11-29T12:00:00+01:00'))).toBe(false);
  });

  it('follows the local clock across daylight saving time', () => {
    // Monday 2026-07-06, Berlin is UTC+2 in summer: 10:00 local is 08:00Z.
    expect(isOnShift(office, at('2026-07-06T08:00:00Z'))).toBe(true);
    expect(isOnShift(office, at('2026-07-06T15:00:00Z'))).toBe(false);
  });

  it('is always on shift with an always-open calendar', () => {
    const always = calendarSchema.parse({ id: 'always', alwaysOpen: true });
    expect(isOnShift(always, at('2026-11-28T03:00:00Z'))).toBe(true);
  });
});
