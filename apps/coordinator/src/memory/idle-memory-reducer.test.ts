import { afterEach, describe, expect, it, vi } from 'vitest';
import { IdleMemoryReducer } from './idle-memory-reducer.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('IdleMemoryReducer', () => {
  it('releases once after the last query has been over for the idle time, not while any runs', () => {
    vi.useFakeTimers();
    const release = vi.fn();
    const reducer = new IdleMemoryReducer(release, 1000);
    reducer.begin();
    reducer.begin();
    reducer.end();
    vi.advanceTimersByTime(5000);
    expect(release).not.toHaveBeenCalled(); // one query still runs
    reducer.end();
    vi.advanceTimersByTime(999);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(release).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000);
    expect(release).toHaveBeenCalledTimes(1); // nothing ran since: nothing to give back
  });

  it('starts the idle time over when a query comes in before it ran out', () => {
    vi.useFakeTimers();
    const release = vi.fn();
    const reducer = new IdleMemoryReducer(release, 1000);
    reducer.begin();
    reducer.end();
    vi.advanceTimersByTime(600);
    reducer.begin();
    vi.advanceTimersByTime(600);
    reducer.end();
    vi.advanceTimersByTime(600);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(400);
    expect(release).toHaveBeenCalledTimes(1);
    reducer.close();
  });
});
