import { describe, expect, it } from 'vitest';
import { gridWindow } from './grid-window.ts';

describe('gridWindow', () => {
  const base = { rowHeight: 28, viewportHeight: 560, overscan: 0 };

  it('draws the rows in view, at their own offsets, when the rows fit the height cap', () => {
    const w = gridWindow({ ...base, rowCount: 1000, scrollTop: 28 * 100 });
    expect(w.totalHeight).toBe(28_000);
    expect(w.first).toBe(100);
    expect(w.top).toBe(2800);
    expect(w.last).toBe(120);
  });

  it('adds overscan rows on both sides, within the row count', () => {
    const w = gridWindow({ ...base, overscan: 5, rowCount: 1000, scrollTop: 0 });
    expect(w.first).toBe(0);
    expect(w.last).toBe(25);
    const end = gridWindow({ ...base, overscan: 5, rowCount: 1000, scrollTop: 1e9 });
    expect(end.last).toBe(999);
  });

  it('compresses a million rows into the height cap and still reaches the last row', () => {
    const rowCount = 1_000_000;
    const top = gridWindow({ ...base, rowCount, scrollTop: 0 });
    expect(top.totalHeight).toBe(8_000_000);
    expect(top.first).toBe(0);
    const end = gridWindow({ ...base, rowCount, scrollTop: 8_000_000 - 560 });
    expect(end.last).toBe(rowCount - 1);
    // The last row's bottom is the viewport's bottom.
    expect(end.top + (rowCount - 1 - end.first + 1) * 28).toBeCloseTo(8_000_000, 6);
    const middle = gridWindow({ ...base, rowCount, scrollTop: (8_000_000 - 560) / 2 });
    expect(Math.abs(middle.first - (rowCount - 20) / 2)).toBeLessThanOrEqual(1);
  });

  it('moves forward monotonically as the scroll position grows', () => {
    let previous = -1;
    for (let scrollTop = 0; scrollTop < 8_000_000; scrollTop += 7919) {
      const w = gridWindow({ ...base, rowCount: 1_000_000, scrollTop });
      expect(w.first).toBeGreaterThanOrEqual(previous);
      // Row `first` starts at or above the viewport's top, and less than a row above it.
      expect(w.top).toBeLessThanOrEqual(scrollTop + 1e-6);
      expect(w.top).toBeGreaterThan(scrollTop - 28);
      previous = w.first;
    }
  });

  it('has nothing to draw for no rows', () => {
    expect(gridWindow({ ...base, rowCount: 0, scrollTop: 0 })).toMatchObject({
      first: 0,
      last: -1,
      totalHeight: 0,
    });
  });
});
