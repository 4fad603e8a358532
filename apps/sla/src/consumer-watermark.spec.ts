import type { Kafka } from 'kafkajs';
import { ConsumerWatermark } from './consumer-watermark';

/** A topic of two partitions whose end offsets and group commits the test moves by hand. */
function fakeKafka() {
  const state = { ends: [0n, 0n], committed: [-1n, -1n] };
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchTopicOffsets: async () =>
      state.ends.map((end, partition) => ({
        partition,
        offset: String(end),
        high: String(end),
        low: '0',
      })),
    fetchOffsets: async () => [
      {
        topic: 'contact-events.v1',
        partitions: state.committed.map((offset, partition) => ({
          partition,
          offset: String(offset),
          metadata: null,
        })),
      },
    ],
  };
  return { state, kafka: { admin: () => admin } as unknown as Pick<Kafka, 'admin'> };
}

describe('ConsumerWatermark', () => {
  const options = { topic: 'contact-events.v1', groupId: 'sla', pollMs: 1000, maxHoldMs: 60000 };

  it('holds deadlines at most maxHoldMs before it has read anything', () => {
    const { kafka } = fakeKafka();
    const watermark = new ConsumerWatermark(kafka, options, () => 1_000_000);
    expect(watermark.horizon(1_000_000)).toBe(940_000);
  });

  it('moves to the instant whose end offsets the group has committed, not before', async () => {
    const { state, kafka } = fakeKafka();
    let now = 1_000_000;
    const watermark = new ConsumerWatermark(kafka, options, () => now);
    state.ends = [10n, 0n]; // partition 1 is empty: nothing to wait for there
    await watermark.pollOnce(); // noted at 1_000_000; nothing committed yet
    expect(watermark.horizon(now)).toBe(now - 60000);

    now = 1_000_500;
    state.ends = [14n, 3n];
    state.committed = [10n, -1n]; // the first note is covered, the second is not
    await watermark.pollOnce();
    expect(watermark.horizon(now)).toBe(1_000_000);

    now = 1_001_000;
    state.committed = [14n, 3n];
    await watermark.pollOnce();
    expect(watermark.horizon(now)).toBe(1_001_000);
    expect(watermark.horizon(1_000_800)).toBe(1_000_800); // never after now
  });

  it('lets a waiting timer go once the watermark passes its deadline, or after its wait', async () => {
    const { state, kafka } = fakeKafka();
    let now = 2_000_000;
    const watermark = new ConsumerWatermark(kafka, options, () => now);
    state.ends = [5n, 0n];
    let released = false;
    const waiting = watermark.waitUntil(2_000_000, 60000).then(() => {
      released = true;
    });
    await watermark.pollOnce();
    expect(released).toBe(false); // offset 5 not committed yet

    now = 2_000_100;
    state.committed = [5n, -1n];
    await watermark.pollOnce();
    await waiting;
    expect(released).toBe(true);

    const started = Date.now();
    await watermark.waitUntil(9_000_000, 50); // never reached: gives up after its wait
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
    await watermark.stop();
  });
});
