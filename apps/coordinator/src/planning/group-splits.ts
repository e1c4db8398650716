import type { SplitInfo } from '@tributary/protocol';

/**
 * A scan's splits in at most `target` groups of consecutive splits, so tasks keep the file
 * order: slices of the split count that differ by one split at most (13 row groups over 4
 * tasks: 4, 3, 3 and 3, not 4, 4, 4 and 1, which left one executor of two with 8 of them).
 * Groups even in rows would finish together, but then a query's tasks on one executor
 * reach their peak memory at once: a sort of all of lineitem SF 0.1 under an 8 MB query
 * budget (e2e/memory-limit.test.ts) then fails in its exchange output instead of spilling.
 * Balancing waits for exchange buffers that wait or spill under pressure.
 */
export function groupSplits(splits: readonly SplitInfo[], target: number): SplitInfo[][] {
  const groups = Math.min(Math.max(1, target), splits.length);
  const out: SplitInfo[][] = [];
  let start = 0;
  for (let g = 0; g < groups; g++) {
    const size = Math.floor(splits.length / groups) + (g < splits.length % groups ? 1 : 0);
    out.push(splits.slice(start, start + size));
    start += size;
  }
  return out;
}
