import { describe, expect, it } from 'vitest';
import { estimateDistinct, rangesDisjoint, unionDistinct } from './estimate-distinct.ts';
import { ColumnSample } from './column-sample.ts';
import { combineTableStatistics } from './combine-table-statistics.ts';

/** Frequencies of a sample of `n` of the values 0..N-1 where value v is `population[v]`. */
function sampleFrequencies(population: number[], n: number, seed = 7): number[] {
  let state = seed;
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const v = population[Math.floor((state / 2 ** 32) * population.length)];
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.values()];
}

describe('estimateDistinct (Duj1)', () => {
  it('gives N for a sample of unique values and the sample count for heavily repeated ones', () => {
    expect(estimateDistinct(new Array(1000).fill(1), 1000, 50_000)).toBe(50_000);
    expect(estimateDistinct([400, 300, 300], 1000, 50_000)).toBe(3);
    expect(estimateDistinct([], 0, 10)).toBe(0);
    expect(estimateDistinct([2, 1], 3, 3)).toBe(2);
  });

  it('estimates a key repeated four times within a factor of 1.5 from a 10% sample', () => {
    const population = Array.from({ length: 400_000 }, (_, i) => i >> 2);
    const estimate = estimateDistinct(sampleFrequencies(population, 40_000), 40_000, 400_000);
    expect(estimate).toBeGreaterThan(100_000 / 1.5);
    expect(estimate).toBeLessThan(100_000 * 1.5);
  });
});

describe('unionDistinct and rangesDisjoint', () => {
  it('keeps a shared small domain, adds up parts of a large one', () => {
    expect(
      unionDistinct([
        { distinct: 50, rows: 100_000 },
        { distinct: 50, rows: 100_000 },
      ]),
    ).toBe(50);
    expect(
      unionDistinct([
        { distinct: 1000, rows: 1000 },
        { distinct: 1000, rows: 1000 },
      ]),
    ).toBe(2000);
    const union = unionDistinct([
      { distinct: 19_958, rows: 122_880 },
      { distinct: 19_957, rows: 122_880 },
    ]);
    expect(union).toBeGreaterThanOrEqual(19_958);
    expect(union).toBeLessThan(20_100);
  });

  it('tells ranges that only touch from overlapping ones', () => {
    expect(
      rangesDisjoint([
        { min: 10, max: 20 },
        { min: 1, max: 10 },
      ]),
    ).toBe(true);
    expect(
      rangesDisjoint([
        { min: 1, max: 11 },
        { min: 10, max: 20 },
      ]),
    ).toBe(false);
    expect(
      rangesDisjoint([
        { min: 'a', max: 'c' },
        { min: 'd', max: 'f' },
      ]),
    ).toBe(true);
    expect(rangesDisjoint([{ min: 1, max: 2 }, {}])).toBe(false);
  });
});

describe('ColumnSample', () => {
  it('is exact when the sample is every row', () => {
    const s = new ColumnSample(true);
    for (const v of [3, 1, null, 3, 2]) s.add(v);
    expect(s.statistics(5)).toEqual({ min: 1, max: 3, nullCount: 1, distinctCount: 3 });
  });

  it('extrapolates a clustered column from pieces at the rate its values change', () => {
    // A sorted key with four rows each, 1M rows, sampled in 4 pieces of 1000 consecutive rows.
    const s = new ColumnSample(true);
    for (const start of [0, 250_000, 500_000, 999_000]) {
      s.startPart();
      for (let r = start; r < start + 1000; r++) s.add(r >> 2);
    }
    const stats = s.statistics(1_000_000);
    expect(stats.sampled).toBe(true);
    expect(stats.distinctCount).toBeGreaterThan(240_000);
    expect(stats.distinctCount).toBeLessThan(260_000);
    expect(stats.min).toBe(0);
    expect(stats.max).toBe(249_999);
  });

  it('estimates a spread column from the frequencies over all pieces, and scales NULLs', () => {
    const s = new ColumnSample(false);
    for (let part = 0; part < 4; part++) {
      s.startPart();
      for (let r = 0; r < 1000; r++) s.add(r % 10 === 0 ? null : `v${(r * 7 + part) % 50}`);
    }
    const stats = s.statistics(100_000);
    expect(stats.distinctCount).toBe(50);
    expect(stats.nullCount).toBe(10_000);
  });
});

describe('combineTableStatistics (the files of a folder)', () => {
  it('adds rows and NULLs, takes the extreme bounds and a distinct count between the largest and the sum', () => {
    const combined = combineTableStatistics([
      {
        rowCount: 100,
        columns: {
          k: { min: 1, max: 100, nullCount: 0, distinctCount: 100 },
          s: { min: 'a', max: 'm', nullCount: 2, distinctCount: 5 },
        },
      },
      {
        rowCount: 50,
        columns: {
          k: { min: 101, max: 150, nullCount: 1, distinctCount: 49 },
          s: { min: 'b', max: 'z', nullCount: 0, distinctCount: 5, sampled: true },
        },
      },
    ]);
    expect(combined.rowCount).toBe(150);
    expect(combined.columns!.k).toEqual({ min: 1, max: 150, nullCount: 1, distinctCount: 149 });
    expect(combined.columns!.s).toMatchObject({ min: 'a', max: 'z', nullCount: 2, sampled: true });
    expect(combined.columns!.s.distinctCount).toBeGreaterThanOrEqual(5);
    expect(combined.columns!.s.distinctCount).toBeLessThanOrEqual(10);
  });
});
