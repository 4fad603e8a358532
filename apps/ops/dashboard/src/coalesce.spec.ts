import { coalesce } from './coalesce';

describe('coalesce', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  it('runs once, delayMs after the first call of a burst', () => {
    const action = jest.fn();
    const schedule = coalesce(action, 300, 2000);
    schedule();
    jest.advanceTimersByTime(100);
    schedule();
    schedule();
    jest.advanceTimersByTime(199);
    expect(action).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(action).toHaveBeenCalledTimes(1);
  });

  it('keeps minGapMs between runs, however often it is called', () => {
    const runs: number[] = [];
    const schedule = coalesce(() => runs.push(Date.now()), 300, 2000);
    for (let t = 0; t < 6000; t += 250) {
      schedule();
      jest.advanceTimersByTime(250);
    }
    jest.advanceTimersByTime(2000);
    expect(runs).toEqual([300, 2300, 4300, 6300]);
  });

  it('waits only delayMs when the last run is long past', () => {
    const action = jest.fn();
    const schedule = coalesce(action, 300, 2000);
    schedule();
    jest.advanceTimersByTime(300);
    jest.advanceTimersByTime(5000);
    schedule();
    jest.advanceTimersByTime(300);
    expect(action).toHaveBeenCalledTimes(2);
  });
});
