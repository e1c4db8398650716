import type { SplitInfo } from '@tributary/protocol';

/**
 * A scan's splits in at most `target` groups of consecutive splits, so tasks keep the file
 * order: equal slices of the split count (13 row groups over 4 tasks: 4, 4, 4 and 1).
 * Groups even in rows would finish together, but then a query's tasks on one executor
 * reach their peak memory at once: a sort of all of lineitem SF 0.1 under an 8 MB query
 * budget (e2e/memory-limit.test.ts) then fails in its exchange output instead of spilling.
 * Balancing waits for exchange buffers that wait or spill under pressure.
 */
export function groupSplits(splits: readonly SplitInfo[], target: number): SplitInfo[][] {
  if (splits.length <= target) return splits.map((s) => [s]);
  const out: SplitInfo[][] = [];
  const size = Math.ceil(splits.length / target);
  for (let i = 0; i < splits.length; i += size) out.push(splits.slice(i, i + size));
  return out;
}
