import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles.ts';

describe('percentile', () => {
  it('takes the nearest rank, never interpolating', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([10, 20, 30], 50)).toBe(20);
    expect(percentile([10, 20], 50)).toBe(10);
  });

  it('gives the maximum as p99 of fewer than 100 values', () => {
    expect(percentile([1, 2, 3, 4, 5], 99)).toBe(5);
  });

  it('is NaN for no values', () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe('summarize', () => {
  it('sorts a copy and reports count, p50, p99 and max', () => {
    const values = [5, 1, 4, 2, 3];
    expect(summarize(values)).toEqual({ count: 5, p50: 3, p99: 5, max: 5 });
    expect(values).toEqual([5, 1, 4, 2, 3]);
  });

  it('summarizes nothing as zero count and NaNs', () => {
    const s = summarize([]);
    expect(s.count).toBe(0);
    expect(s.p50).toBeNaN();
    expect(s.max).toBeNaN();
  });
});
