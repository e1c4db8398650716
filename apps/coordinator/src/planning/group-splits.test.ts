import { describe, expect, it } from 'vitest';
import type { SplitInfo } from '@tributary/protocol';
import { groupSplits } from './group-splits.ts';

const splits = (count: number): SplitInfo[] =>
  Array.from({ length: count }, (_, i) => ({ info: { rowGroup: i }, estimatedRows: 100 }));
const sizes = (groups: SplitInfo[][]) => groups.map((g) => g.length);

describe('groupSplits', () => {
  it('cuts the splits into slices of consecutive splits that differ by one at most, in order', () => {
    const groups = groupSplits(splits(13), 4);
    expect(sizes(groups)).toEqual([4, 3, 3, 3]);
    expect(groups.flat().map((s) => s.info.rowGroup)).toEqual([...Array(13).keys()]);
  });

  it('makes as many groups as the target when there are more splits', () => {
    expect(sizes(groupSplits(splits(10), 8))).toEqual([2, 2, 1, 1, 1, 1, 1, 1]);
    expect(sizes(groupSplits(splits(49), 4))).toEqual([13, 12, 12, 12]);
    expect(groupSplits([], 4)).toEqual([]);
  });

  it('gives one split a group when there are no more splits than the target', () => {
    expect(sizes(groupSplits(splits(2), 4))).toEqual([1, 1]);
  });
});
