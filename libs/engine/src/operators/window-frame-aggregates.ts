import { powerOfTen } from '@tributary/common';
import type { WindowCall } from '@tributary/plan';
import { exactValue, isValidAt, type NumericColumn } from './window-column-values.ts';
import type { PartitionRows } from './window-frame-bounds.ts';
import type { NumericOutput } from './window-output.ts';
import { SegmentTreeSum } from './window-segment-tree.ts';

const SAFE = 2 ** 53;

/**
 * Prefix sums over a whole chunk of the non-NULL count and of the values: any frame's count
 * or sum is the difference at its edges, in O(1), whatever the frame kind. Integer and
 * DECIMAL sums stay exact: `exact` holds BigInt prefixes when a double one outgrows 2^53.
 */
export interface FramePrefixes {
  readonly counts: Float64Array;
  readonly sums: Float64Array | undefined;
  readonly exact: bigint[] | undefined;
}

export function framePrefixes(call: WindowCall, arg: NumericColumn | undefined): FramePrefixes | undefined {
  if (call.fn === 'count_star' || !arg) return undefined;
  const { column, values } = arg;
  const n = column.length;
  const counts = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) counts[i + 1] = counts[i] + (isValidAt(column, i) ? 1 : 0);
  if (call.fn === 'count') return { counts, sums: undefined, exact: undefined };
  const sums = new Float64Array(n + 1);
  let safe = true;
  for (let i = 0; i < n; i++) {
    const v = isValidAt(column, i) ? values[i] : 0;
    sums[i + 1] = sums[i] + v;
    if (Math.abs(sums[i + 1]) >= SAFE || Math.abs(v) >= SAFE) safe = false;
  }
  if (safe || column.type.kind === 'DOUBLE') return { counts, sums, exact: undefined };
  const exact: bigint[] = [0n];
  for (let i = 0; i < n; i++) exact.push(exact[i] + (isValidAt(column, i) ? exactValue(column, i) : 0n));
  return { counts, sums: undefined, exact };
}

/**
 * COUNT(*), COUNT(x), SUM and AVG over each row's frame of one partition, from the chunk's
 * prefixes. DOUBLE sums are never differences of prefixes: over a running frame (from
 * UNBOUNDED PRECEDING) they add row by row, the order a plain aggregate adds in, and over
 * other frames they come from a segment tree of the partition.
 */
export function evaluateFrameAggregate(
  call: WindowCall,
  part: PartitionRows,
  out: NumericOutput,
  frameStart: Int32Array,
  frameEnd: Int32Array,
  arg: NumericColumn | undefined,
  prefixes: FramePrefixes | undefined,
): void {
  const { start: ps, end: pe } = part;
  if (call.fn === 'count_star' || !prefixes) {
    for (let i = ps; i < pe; i++) out.set(i, frameEnd[i] - frameStart[i]);
    return;
  }
  const counts = prefixes.counts;
  if (call.fn === 'count') {
    for (let i = ps; i < pe; i++) out.set(i, counts[frameEnd[i]] - counts[frameStart[i]]);
    return;
  }
  const { column, values } = arg!;
  const avg = call.fn === 'avg';
  // One division by count·10^scale, as DuckDB does, rather than two roundings.
  const scale = avg && column.type.kind === 'DECIMAL' ? powerOfTen(column.type.scale) : 1;
  if (column.type.kind === 'DOUBLE' && call.frame.start.kind === 'unbounded-preceding') {
    let sum = 0;
    let at = ps;
    for (let i = ps; i < pe; i++) {
      for (; at < frameEnd[i]; at++) if (isValidAt(column, at)) sum += values[at];
      const c = counts[frameEnd[i]] - counts[frameStart[i]];
      if (c > 0) out.set(i, avg ? sum / c : sum);
    }
    return;
  }
  if (column.type.kind === 'DOUBLE') {
    const tree = new SegmentTreeSum(values, (i) => isValidAt(column, i), ps, pe);
    for (let i = ps; i < pe; i++) {
      const c = counts[frameEnd[i]] - counts[frameStart[i]];
      if (c === 0) continue;
      const sum = tree.sum(frameStart[i] - ps, frameEnd[i] - ps);
      out.set(i, avg ? sum / c : sum);
    }
    return;
  }
  const { sums, exact } = prefixes;
  for (let i = ps; i < pe; i++) {
    const c = counts[frameEnd[i]] - counts[frameStart[i]];
    if (c === 0) continue;
    if (sums) {
      const sum = sums[frameEnd[i]] - sums[frameStart[i]];
      out.set(i, avg ? sum / (c * scale) : sum);
      continue;
    }
    const sum = exact![frameEnd[i]] - exact![frameStart[i]];
    if (avg) out.set(i, Number(sum) / (c * scale));
    else if (sum > -BigInt(SAFE) && sum < BigInt(SAFE)) out.set(i, Number(sum));
    else out.setExact(i, sum);
  }
}
