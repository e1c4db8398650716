import { describe, expect, it } from 'vitest';
import { SegmentTreeSum } from './window-segment-tree.ts';

describe('SegmentTreeSum', () => {
  it('sums any range of a partition, skipping invalid rows', () => {
    const values = Float64Array.from([9, 1, 2, 3, 4, 5, 6, 7]);
    const tree = new SegmentTreeSum(values, (i) => i !== 4, 1, 8);
    const direct = (s: number, e: number) => {
      let sum = 0;
      for (let k = s; k < e; k++) if (k + 1 !== 4) sum += values[k + 1];
      return sum;
    };
    for (let s = 0; s <= 7; s++) for (let e = s; e <= 7; e++) expect(tree.sum(s, e)).toBe(direct(s, e));
  });

  it('keeps the digits of small frames after huge rows', () => {
    const values = Float64Array.from([1e17, 0.1, 0.2, 0.3]);
    const tree = new SegmentTreeSum(values, () => true, 0, 4);
    expect(tree.sum(1, 3)).toBe(0.1 + 0.2);
  });
});
