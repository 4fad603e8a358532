import { postEvents } from './support/ingest-client';
import { startStack, TEST_OPS_KEY } from './support/stack';
import type { Stack } from './support/stack';
import { uniqueId } from './support/unique';
import { waitFor } from './support/wait-for';

interface QueueContact {
  contactId: string;
  channel: string;
  priority: string;
  team: string | null;
  policyId: string;
  state: string;
  customerName: string | null;
  waitingSince: string;
  nextDeadlineAt: string | null;
  secondsLeft: number | null;
}
interface QueueBody {
  total: number;
  contacts: QueueContact[];
  nextCursor: string | null;
}
interface ErrorBody {
  error: { code: string; details?: { path: string }[] };
}

const MINUTE = 60_000;

/**
 * `GET /v1/queue` over the queue view the real SLA service keeps in Redis: contacts are driven
 * into each state through ingest (occurredAt in the past puts them straight into at-risk or
 * breached), then listed with every filter, both orders and cursor paging.
 */
describe('ops API: GET /v1/queue filters, orders and pages the waiting contacts', () => {
  let stack: Stack;
  const run = uniqueId('q');
  const id = (name: string) => `${run}-${name}`;

  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
  const opened = (contactId: string, channel: string, occurredAt: string, extra = {}) => ({
    eventId: `${contactId}-open`,
    type: 'contact.opened',
    contactId,
    channel,
    occurredAt,
    customer: { email: `${contactId}@example.com` },
    ...extra,
  });

  const queue = async (query: string, key: string | null = TEST_OPS_KEY) => {
    const res = await fetch(`${stack.urls.ops}/v1/queue${query}`, {
      headers: key === null ? {} : { authorization: `Bearer ${key}` },
    });
    return { status: res.status, body: (await res.json()) as QueueBody & ErrorBody };
  };
  const ids = (body: QueueBody) => body.contacts.map((contact) => contact.contactId);
  const mine = (body: QueueBody) => ids(body).filter((contactId) => contactId.startsWith(run));

  /** Every page of a query, following nextCursor. */
  const allPages = async (query: string) => {
    const seen: QueueContact[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body }: { status: number; body: QueueBody } = await queue(
        `${query}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(status).toBe(200);
      seen.push(...body.contacts);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 100);
    return { contacts: seen, pages };
  };

  beforeAll(async () => {
    stack = await startStack(
      {
        policies: [
          {
            id: 'vip',
            match: { priority: ['urgent'] },
            targets: { first_response: { within: '1h', warnAt: ['50%'] }, resolution: '8h' },
          },
          {
            id: 'standard',
            targets: { first_response: { within: '1h', warnAt: ['50%'] }, resolution: '8h' },
          },
        ],
      },
      ['ingest', 'sla', 'ops'],
    );
    const tied = ago(20 * MINUTE);
    const events = [
      opened(id('waiting-chat'), 'chat', ago(5 * MINUTE)),
      opened(id('at-risk-email'), 'email', ago(40 * MINUTE)),
      opened(id('breached-email'), 'email', ago(2 * 60 * MINUTE)),
      opened(id('urgent-phone'), 'phone', ago(10 * MINUTE), { priority: 'urgent' }),
      opened(id('paused-social'), 'social', ago(8 * MINUTE)),
      {
        eventId: `${id('paused-social')}-reply`,
        type: 'agent.replied',
        contactId: id('paused-social'),
        channel: 'social',
        occurredAt: ago(7 * MINUTE),
      },
      {
        eventId: `${id('paused-social')}-pause`,
        type: 'contact.waiting_on_customer',
        contactId: id('paused-social'),
        channel: 'social',
        occurredAt: ago(6 * MINUTE),
      },
      opened(id('billing-chat'), 'chat', ago(3 * MINUTE)),
      {
        eventId: `${id('billing-chat')}-assign`,
        type: 'contact.assigned',
        contactId: id('billing-chat'),
        channel: 'chat',
        occurredAt: ago(2 * MINUTE),
        data: { team: 'billing|EU' },
      },
      // 23 contacts opened at the same instant: ties that paging must neither skip nor repeat.
      ...Array.from({ length: 23 }, (_, index) =>
        opened(id(`tied-${String(index).padStart(2, '0')}`), 'chat', tied),
      ),
    ];
    const res = await postEvents(stack.urls.ingest!, events);
    expect(res.status).toBe(202);
    await waitFor('all 29 contacts in the queue view', async () => {
      const { body } = await queue('?limit=500');
      return mine(body).length === 29 ? body : undefined;
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('puts each contact in its state: waiting, at-risk, breached, paused', async () => {
    const { body } = await queue('?limit=500');
    const byId = new Map(body.contacts.map((contact) => [contact.contactId, contact]));
    expect(byId.get(id('waiting-chat'))).toMatchObject({
      state: 'waiting',
      channel: 'chat',
      priority: 'normal',
      policyId: 'standard',
      team: null,
      customerName: `${id('waiting-chat')}@example.com`,
    });
    expect(byId.get(id('at-risk-email'))?.state).toBe('at-risk');
    expect(byId.get(id('breached-email'))?.state).toBe('breached');
    // Paused: the resolution clock stops, so nothing is due.
    expect(byId.get(id('paused-social'))?.secondsLeft).toBeNull();
    expect(byId.get(id('paused-social'))?.state).toBe('paused');
    expect(byId.get(id('urgent-phone'))).toMatchObject({ policyId: 'vip', priority: 'urgent' });
    expect(byId.get(id('billing-chat'))?.team).toBe('billing|EU');
    expect(body.total).toBe(29);
  });

  it('filters by channel, priority, team, policy and state, alone and combined', async () => {
    expect(mine((await queue('?channel=email')).body).sort()).toEqual(
      [id('at-risk-email'), id('breached-email')].sort(),
    );
    expect(mine((await queue('?state=breached')).body)).toEqual([id('breached-email')]);
    expect(mine((await queue('?state=at-risk')).body)).toEqual([id('at-risk-email')]);
    expect(mine((await queue('?state=paused')).body)).toEqual([id('paused-social')]);
    expect(mine((await queue('?priority=urgent')).body)).toEqual([id('urgent-phone')]);
    expect(mine((await queue('?policy=vip')).body)).toEqual([id('urgent-phone')]);
    const team = await queue(`?team=${encodeURIComponent('billing|EU')}`);
    expect(mine(team.body)).toEqual([id('billing-chat')]);
    expect(team.body.total).toBe(1);
    const combined = await queue('?channel=chat&state=waiting&policy=standard&priority=normal');
    expect(combined.body.total).toBe(25);
    expect(mine((await queue('?channel=email&state=waiting')).body)).toEqual([]);
    expect((await queue('?channel=email&state=waiting')).body.total).toBe(0);
  });

  it('sorts by wait (longest first) and by time left (nearest deadline first, none last)', async () => {
    const byWait = mine((await queue('?limit=500')).body);
    expect(byWait[0]).toBe(id('breached-email'));
    expect(byWait[1]).toBe(id('at-risk-email'));
    expect(byWait.at(-1)).toBe(id('billing-chat'));
    const byTimeLeft = (await queue('?limit=500&sort=time-left')).body.contacts;
    const deadlines = byTimeLeft.map((contact) =>
      contact.nextDeadlineAt === null ? Infinity : Date.parse(contact.nextDeadlineAt),
    );
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    // The paused contact has no running deadline: it comes last.
    expect(byTimeLeft.at(-1)?.contactId).toBe(id('paused-social'));
  });

  it('pages through ties with a cursor, each contact exactly once, in order', async () => {
    for (const sort of ['wait', 'time-left']) {
      const whole = (await queue(`?limit=500&sort=${sort}`)).body.contacts.map((c) => c.contactId);
      const { contacts, pages } = await allPages(`?limit=4&sort=${sort}`);
      expect(contacts.map((c) => c.contactId)).toEqual(whole);
      expect(pages).toBe(Math.ceil(whole.length / 4));
    }
    const tiedOnly = await allPages('?limit=5&channel=chat&state=waiting&priority=normal');
    expect(new Set(tiedOnly.contacts.map((c) => c.contactId)).size).toBe(25);
  });

  it('moves a contact between segments as it changes, and drops it when resolved', async () => {
    const contactId = id('waiting-chat');
    const post = (type: string, data?: object) =>
      postEvents(stack.urls.ingest!, {
        eventId: `${contactId}-${type}`,
        type,
        contactId,
        channel: 'chat',
        occurredAt: new Date().toISOString(),
        ...(data ? { data } : {}),
      });
    expect((await post('contact.assigned', { team: 'support' })).status).toBe(202);
    await waitFor('the contact under team=support', async () =>
      mine((await queue('?team=support')).body).includes(contactId),
    );
    expect((await post('contact.resolved')).status).toBe(202);
    await waitFor('the contact gone from the queue', async () => {
      const { body } = await queue('?limit=500');
      return !ids(body).includes(contactId) && body.total === 28;
    });
    expect((await queue('?team=support')).body.total).toBe(0);
  });

  it('answers 400 naming each bad parameter, and 401 without a key', async () => {
    const bad = await queue('?channel=fax&sort=random&state=lost&limit=0&team=');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('OPS.INVALID_QUERY');
    expect(bad.body.error.details?.map((detail) => detail.path).sort()).toEqual(
      ['channel', 'limit', 'sort', 'state', 'team'].sort(),
    );
    const cursor = (await queue('?limit=1')).body.nextCursor!;
    const wrongSort = await queue(`?sort=time-left&cursor=${encodeURIComponent(cursor)}`);
    expect(wrongSort.status).toBe(400);
    expect(wrongSort.body.error.details?.[0].path).toBe('cursor');
    expect((await queue('?cursor=not-a-cursor')).status).toBe(400);
    const anonymous = await queue('', null);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('OPS.UNAUTHENTICATED');
  });
});
