import fc from 'fast-check';
import { contactLanes } from './contact-lanes';

interface Event {
  contactId: string;
  seq: number;
}

const events = fc
  .array(fc.constantFrom('c1', 'c2', 'c3', 'contact-4', 'ü-5', ''), { maxLength: 60 })
  .map((ids) => ids.map((contactId, seq): Event => ({ contactId, seq })));

describe('contactLanes', () => {
  it("keeps every event once, each contact's in one lane and in their order", () => {
    fc.assert(
      fc.property(events, fc.integer({ min: 1, max: 8 }), (chunk, count) => {
        const lanes = contactLanes(chunk, count);
        expect(lanes.length).toBeLessThanOrEqual(count);
        expect(lanes.every((lane) => lane.length > 0)).toBe(true);
        expect(
          lanes
            .flat()
            .map((e) => e.seq)
            .sort((a, b) => a - b),
        ).toEqual(chunk.map((e) => e.seq));
        for (const lane of lanes) {
          const seqs = lane.map((e) => e.seq);
          expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        }
        const laneOfContact = new Map<string, number>();
        lanes.forEach((lane, index) => {
          for (const e of lane) {
            expect(laneOfContact.get(e.contactId) ?? index).toBe(index);
            laneOfContact.set(e.contactId, index);
          }
        });
      }),
    );
  });

  it('spreads many contacts over every lane', () => {
    const chunk = Array.from({ length: 200 }, (_, seq) => ({ contactId: `contact-${seq}`, seq }));
    const lanes = contactLanes(chunk, 3);
    expect(lanes).toHaveLength(3);
    for (const lane of lanes) expect(lane.length).toBeGreaterThan(30);
  });
});
