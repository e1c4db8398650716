import { describe, expect, it } from 'vitest';
import { LONG_QUERIES, SHORT_QUERIES, drawMix, seededRandom } from './load-mix.ts';

describe('seededRandom', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const first = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(first).size).toBeGreaterThan(990);
  });

  it('differs between seeds', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });
});

describe('drawMix', () => {
  it('draws the same queries for the same seed, and other ones for another seed', () => {
    const names = (seed: number) => drawMix({ count: 200, longShare: 0.2, seed }).map((q) => q.name);
    expect(names(7)).toEqual(names(7));
    expect(names(8)).not.toEqual(names(7));
  });

  it('draws about the long share of long queries, and every query of both classes', () => {
    const mix = drawMix({ count: 20_000, longShare: 0.2, seed: 1 });
    const longShare = mix.filter((q) => q.class === 'long').length / mix.length;
    expect(longShare).toBeGreaterThan(0.19);
    expect(longShare).toBeLessThan(0.21);
    const drawn = new Set(mix.map((q) => q.name));
    for (const q of [...SHORT_QUERIES, ...LONG_QUERIES]) expect(drawn).toContain(q.name);
  });

  it('draws one class only at the ends of the range', () => {
    expect(drawMix({ count: 500, longShare: 0, seed: 3 }).every((q) => q.class === 'short')).toBe(true);
    expect(drawMix({ count: 500, longShare: 1, seed: 3 }).every((q) => q.class === 'long')).toBe(true);
  });

  it('refuses a share outside 0..1', () => {
    expect(() => drawMix({ count: 1, longShare: 1.5, seed: 1 })).toThrow(RangeError);
    expect(() => drawMix({ count: 1, longShare: Number.NaN, seed: 1 })).toThrow(RangeError);
  });

  it('has unique names and knows which queries order their rows', () => {
    const all = [...SHORT_QUERIES, ...LONG_QUERIES];
    expect(new Set(all.map((q) => q.name)).size).toBe(all.length);
    expect(SHORT_QUERIES.find((q) => q.name === 'top-10 customers')?.ordered).toBe(true);
    expect(SHORT_QUERIES.find((q) => q.name === 'region lookup (csv)')?.ordered).toBe(false);
  });
});
