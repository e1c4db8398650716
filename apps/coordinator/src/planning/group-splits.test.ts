import { describe, expect, it } from 'vitest';
import type { SplitInfo } from '@tributary/protocol';
import { groupSplits } from './group-splits.ts';

const splits = (rows: readonly (number | undefined)[]): SplitInfo[] =>
  rows.map((estimatedRows, i) => ({
    info: { rowGroup: i },
    ...(estimatedRows === undefined ? {} : { estimatedRows }),
  }));
const sizes = (groups: SplitInfo[][]) => groups.map((g) => g.length);
const order = (groups: SplitInfo[][]) => groups.flat().map((s) => s.info.rowGroup);

describe('groupSplits', () => {
  it('spreads equal splits as evenly as whole splits allow', () => {
    expect(sizes(groupSplits(splits(Array(13).fill(1000)), 4)).sort()).toEqual([3, 3, 3, 4]);
    expect(sizes(groupSplits(splits(Array(49).fill(122_880)), 4)).sort()).toEqual([12, 12, 12, 13]);
  });

  it('keeps the splits in order, each once', () => {
    const input = splits(Array(23).fill(10));
    expect(order(groupSplits(input, 5))).toEqual(input.map((s) => s.info.rowGroup));
  });

  it('weighs splits by their estimated rows: a short last row group joins a group', () => {
    // Like TPC-H orders at SF 1: 12 full row groups and a short one.
    const groups = groupSplits(splits([...Array(12).fill(122_880), 25_440]), 4);
    const rows = groups.map((g) => g.reduce((n, s) => n + s.estimatedRows!, 0));
    expect(Math.max(...rows) / Math.min(...rows)).toBeLessThan(1.4);
  });

  it('counts splits when some do not know their rows', () => {
    expect(sizes(groupSplits(splits([5, undefined, 5, 5, 5, 5]), 3))).toEqual([2, 2, 2]);
  });

  it('gives one split a group when there are no more splits than groups', () => {
    expect(sizes(groupSplits(splits([1, 2]), 4))).toEqual([1, 1]);
  });

  it('leaves no group empty when one split outweighs the rest', () => {
    const groups = groupSplits(splits([1_000_000, 1, 1, 1]), 3);
    expect(groups.every((g) => g.length > 0)).toBe(true);
    expect(order(groups)).toEqual([0, 1, 2, 3]);
  });
});
