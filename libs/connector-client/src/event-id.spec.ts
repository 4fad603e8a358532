import { idSchema } from '@replywatch/contracts';
import { eventIdFrom } from './event-id';

describe('eventIdFrom', () => {
  const validId = idSchema(200);

  it('is the same for the same provider ids, across runs', () => {
    expect(eventIdFrom('zendesk', '4711', 'comment-9')).toBe('zendesk/4711/comment-9');
    expect(eventIdFrom('zendesk', '4711', 'comment-9')).toBe(
      eventIdFrom('zendesk', '4711', 'comment-9'),
    );
  });

  it('never gives two different id lists the same id', () => {
    expect(eventIdFrom('a/b', 'c')).not.toBe(eventIdFrom('a', 'b/c'));
    expect(eventIdFrom('a', 'b')).not.toBe(eventIdFrom('a/b'));
    expect(eventIdFrom('a%2Fb')).not.toBe(eventIdFrom('a/b'));
  });

  it('is printable ASCII without spaces, as the contract wants', () => {
    const id = eventIdFrom('mail', '<CAF=x y@mail.example.com>', 'Grüße ✉', '\u0000\n');
    expect(validId.safeParse(id).success).toBe(true);
    expect(decodeURIComponent(id.split('/')[1])).toBe('<CAF=x y@mail.example.com>');
  });

  it('stays within 200 characters with a digest when longer, still deterministic and distinct', () => {
    const long = 'm'.repeat(300);
    const id = eventIdFrom('mail', long);
    expect(id).toHaveLength(200);
    expect(validId.safeParse(id).success).toBe(true);
    expect(id.startsWith('mail/mmm')).toBe(true);
    expect(id).toMatch(/~[0-9a-f]{64}$/);
    expect(eventIdFrom('mail', long)).toBe(id);
    expect(eventIdFrom('mail', `${long}n`)).not.toBe(id);
  });

  it('keeps an id of exactly 200 characters as it is', () => {
    expect(eventIdFrom('x'.repeat(200))).toBe('x'.repeat(200));
  });

  it('refuses no ids or an empty one (it would collide)', () => {
    expect(() => eventIdFrom()).toThrow(RangeError);
    expect(() => eventIdFrom('zendesk', '')).toThrow(RangeError);
  });
});
