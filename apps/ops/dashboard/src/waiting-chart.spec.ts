import { axisTop, mergeWaiting, waitingChart } from './waiting-chart';

const MINUTE = 60000;
const NOW = Date.parse('2026-03-02T10:00:00.000Z');

describe('waiting chart', () => {
  it('appends the live points newer than the last sample and keeps the last hour', () => {
    const history = [
      { at: NOW - 61 * MINUTE, waiting: 9 },
      { at: NOW - 30 * MINUTE, waiting: 2 },
      { at: NOW - MINUTE, waiting: 3 },
    ];
    const live = [
      { at: NOW - 2 * MINUTE, waiting: 5 },
      { at: NOW - 10000, waiting: 4 },
    ];
    expect(mergeWaiting(history, live, NOW)).toEqual([
      { at: NOW - 30 * MINUTE, waiting: 2 },
      { at: NOW - MINUTE, waiting: 3 },
      { at: NOW - 10000, waiting: 4 },
    ]);
  });

  it.each([
    [0, 4],
    [4, 4],
    [5, 6],
    [7, 8],
    [9, 10],
    [10, 10],
    [11, 20],
    [21, 40],
    [61, 80],
    [120, 200],
    [999, 1000],
  ])('puts the axis top for a peak of %p at %p', (peak, top) => {
    expect(axisTop(peak)).toBe(top);
  });

  it('draws a step line from the first point to now and closes the area at the bottom', () => {
    const chart = waitingChart(
      [
        { at: NOW - 30 * MINUTE, waiting: 2 },
        { at: NOW - 15 * MINUTE, waiting: 4 },
      ],
      NOW,
      600,
      100,
    );
    expect(chart).toEqual({
      line: 'M300 50 H450 V0 H600',
      area: 'M300 50 H450 V0 H600 V100 H300 Z',
      top: 4,
      peak: 4,
      latest: 4,
    });
  });

  it('draws nothing without points in the window', () => {
    expect(waitingChart([{ at: NOW - 2 * 60 * MINUTE, waiting: 3 }], NOW, 600, 100)).toEqual({
      line: '',
      area: '',
      top: 4,
      peak: 0,
      latest: null,
    });
  });
});
