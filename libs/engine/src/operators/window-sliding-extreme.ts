import type { ColumnBuffers } from '@tributary/common';
import { comparableValues, isValidAt } from './window-column-values.ts';
import type { PartitionRows } from './window-frame-bounds.ts';
import type { GatherOutput } from './window-output.ts';

/**
 * MIN or MAX of each row's frame with a monotonic deque: frame edges only move forward, so
 * every row enters and leaves the deque once, O(rows) a partition whatever the frame. The
 * result is the row holding the extreme value (NULL when the frame has no value).
 */
export function evaluateSlidingExtreme(
  max: boolean,
  part: PartitionRows,
  out: GatherOutput,
  frameStart: Int32Array,
  frameEnd: Int32Array,
  arg: ColumnBuffers,
  keys: Float64Array = comparableValues(arg),
): void {
  const { start: ps, end: pe } = part;
  const deque = new Int32Array(pe - ps);
  let head = 0;
  let tail = 0;
  let next = ps;
  const worse = max ? (a: number, b: number) => a <= b : (a: number, b: number) => a >= b;
  for (let i = ps; i < pe; i++) {
    const s = frameStart[i];
    const e = frameEnd[i];
    for (; next < e; next++) {
      if (!isValidAt(arg, next)) continue;
      const v = keys[next];
      // Rows no better than the newcomer can never be the extreme again.
      while (tail > head && worse(keys[deque[tail - 1]], v)) tail--;
      deque[tail++] = next;
    }
    while (tail > head && deque[head] < s) head++;
    out.from[i] = tail > head ? deque[head] : -2;
  }
}
