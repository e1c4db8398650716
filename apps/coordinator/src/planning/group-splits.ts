import type { SplitInfo } from '@tributary/protocol';

/**
 * A scan's splits in at most `groups` groups of consecutive splits (tasks keep the file
 * order), as even in rows as whole splits allow: each split goes to the group its middle
 * row falls in, weighed by its estimated rows (by count when a split does not know). Equal
 * slices of the split count would give 13 row groups over 4 tasks as 4, 4, 4 and 1, and the
 * stage would wait on the three long ones.
 */
export function groupSplits(splits: readonly SplitInfo[], groups: number): SplitInfo[][] {
  if (splits.length <= groups) return splits.map((s) => [s]);
  const byRows = splits.every((s) => s.estimatedRows !== undefined && s.estimatedRows > 0);
  const weight = (s: SplitInfo) => (byRows ? s.estimatedRows! : 1);
  const total = splits.reduce((sum, s) => sum + weight(s), 0);
  const out: SplitInfo[][] = Array.from({ length: groups }, () => []);
  let before = 0;
  for (const split of splits) {
    const w = weight(split);
    out[Math.min(groups - 1, Math.floor(((before + w / 2) * groups) / total))].push(split);
    before += w;
  }
  return out.filter((g) => g.length > 0);
}
