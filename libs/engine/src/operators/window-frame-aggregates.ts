import { powerOfTen, type ColumnBuffers } from '@tributary/common';
import type { WindowCall } from '@tributary/plan';
import { exactValue, isValidAt, type NumericColumn } from './window-column-values.ts';
import type { PartitionRows } from './window-frame-bounds.ts';
import type { NumericOutput } from './window-output.ts';

const SAFE = 2 ** 53;

/**
 * COUNT(*), COUNT(x), SUM and AVG over each row's frame, in O(rows) for every frame kind:
 * prefix sums of the values and of the non-NULL count, read at the frame's edges. Integer
 * and DECIMAL sums stay exact: they switch to BigInt when a prefix outgrows 2^53. A DOUBLE
 * sum over a running frame (from UNBOUNDED PRECEDING) adds row by row instead, the order a
 * plain aggregate adds in.
 */
export function evaluateFrameAggregate(
  call: WindowCall,
  part: PartitionRows,
  out: NumericOutput,
  frameStart: Int32Array,
  frameEnd: Int32Array,
  arg: NumericColumn | undefined,
): void {
  const { start: ps, end: pe } = part;
  const n = pe - ps;
  if (call.fn === 'count_star') {
    for (let i = ps; i < pe; i++) out.set(i, frameEnd[i] - frameStart[i]);
    return;
  }
  const { column, values } = arg!;
  const counts = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) counts[k + 1] = counts[k] + (isValidAt(column, ps + k) ? 1 : 0);
  const count = (i: number): number => counts[frameEnd[i] - ps] - counts[frameStart[i] - ps];
  if (call.fn === 'count') {
    for (let i = ps; i < pe; i++) out.set(i, count(i));
    return;
  }
  const kind = column.type.kind;
  const integral = kind !== 'DOUBLE';
  const scale = call.fn === 'avg' && column.type.kind === 'DECIMAL' ? powerOfTen(column.type.scale) : 1;
  if (!integral && call.frame.start.kind === 'unbounded-preceding') {
    runningDoubleSum(call, part, out, frameEnd, column, values, count);
    return;
  }
  const prefix = new Float64Array(n + 1);
  let exact = true;
  for (let k = 0; k < n; k++) {
    const i = ps + k;
    prefix[k + 1] = prefix[k] + (isValidAt(column, i) ? values[i] : 0);
    if (integral && (Math.abs(prefix[k + 1]) >= SAFE || Math.abs(values[i]) >= SAFE)) exact = false;
  }
  if (!exact) {
    bigSum(call, part, out, frameStart, frameEnd, column, count, scale);
    return;
  }
  for (let i = ps; i < pe; i++) {
    const c = count(i);
    if (c === 0) continue;
    const sum = prefix[frameEnd[i] - ps] - prefix[frameStart[i] - ps];
    // One division by count·10^scale, as DuckDB does, rather than two roundings.
    out.set(i, call.fn === 'avg' ? sum / (c * scale) : sum);
  }
}

function runningDoubleSum(
  call: WindowCall,
  part: PartitionRows,
  out: NumericOutput,
  frameEnd: Int32Array,
  column: ColumnBuffers,
  values: Float64Array,
  count: (i: number) => number,
): void {
  let sum = 0;
  let at = part.start;
  for (let i = part.start; i < part.end; i++) {
    for (; at < frameEnd[i]; at++) if (isValidAt(column, at)) sum += values[at];
    const c = count(i);
    if (c === 0) continue;
    out.set(i, call.fn === 'avg' ? sum / c : sum);
  }
}

function bigSum(
  call: WindowCall,
  part: PartitionRows,
  out: NumericOutput,
  frameStart: Int32Array,
  frameEnd: Int32Array,
  column: ColumnBuffers,
  count: (i: number) => number,
  scale: number,
): void {
  const { start: ps, end: pe } = part;
  const prefix: bigint[] = [0n];
  for (let i = ps; i < pe; i++)
    prefix.push(prefix[i - ps] + (isValidAt(column, i) ? exactValue(column, i) : 0n));
  for (let i = ps; i < pe; i++) {
    const c = count(i);
    if (c === 0) continue;
    const sum = prefix[frameEnd[i] - ps] - prefix[frameStart[i] - ps];
    if (call.fn === 'avg') out.set(i, Number(sum) / (c * scale));
    else if (sum > -BigInt(SAFE) && sum < BigInt(SAFE)) out.set(i, Number(sum));
    else out.setExact(i, sum);
  }
}
