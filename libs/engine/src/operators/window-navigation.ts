import type { ColumnBuffers } from '@tributary/common';
import type { WindowFunctionName } from '@tributary/plan';
import { isValidAt, type NumericColumn } from './window-column-values.ts';
import type { PartitionRows } from './window-frame-bounds.ts';
import type { GatherOutput } from './window-output.ts';

/**
 * For IGNORE NULLS: the rows whose value is not NULL, in order, and for each row i how many
 * of them come before it (`before[i]`, `before[n]` all), so the k-th non-NULL row of any
 * range is found without a scan.
 */
export interface NonNullRows {
  readonly rows: Int32Array;
  readonly before: Int32Array;
}

export function nonNullRows(values: ColumnBuffers, n: number): NonNullRows {
  const before = new Int32Array(n + 1);
  const rows = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    before[i] = count;
    if (isValidAt(values, i)) rows[count++] = i;
  }
  before[n] = count;
  return { rows: rows.subarray(0, count), before };
}

/**
 * LAG and LEAD (by a per-row offset, falling back to the default column or NULL outside the
 * partition), FIRST_VALUE, LAST_VALUE and NTH_VALUE (of the frame; NULL for a frame too
 * short): each picks which row's value a row gets. With `nonNull` (IGNORE NULLS) only rows
 * with a value count.
 */
export function evaluateNavigation(
  fn: WindowFunctionName,
  part: PartitionRows,
  out: GatherOutput,
  frameStart: Int32Array,
  frameEnd: Int32Array,
  offsets?: NumericColumn,
  nonNull?: NonNullRows,
): void {
  const { start: ps, end: pe } = part;
  const from = out.from;
  switch (fn) {
    case 'lag':
    case 'lead': {
      const { column, values: by } = offsets!;
      const sign = fn === 'lag' ? -1 : 1;
      for (let i = ps; i < pe; i++) {
        if (!isValidAt(column, i)) {
          from[i] = -2;
          continue;
        }
        const step = sign * by[i];
        if (!nonNull || step === 0) {
          const j = i + step;
          from[i] = j >= ps && j < pe ? j : -1;
          continue;
        }
        // The step-th row with a value before (or after) i, within the partition.
        const { rows, before } = nonNull;
        const k = step < 0 ? before[i] + step : before[i + 1] + step - 1;
        from[i] = k >= before[ps] && k < before[pe] ? rows[k] : -1;
      }
      return;
    }
    case 'first_value':
    case 'last_value':
    case 'nth_value': {
      const nth = offsets && { column: offsets.column, values: offsets.values };
      for (let i = ps; i < pe; i++) {
        const fs = frameStart[i];
        const fe = frameEnd[i];
        if (fs >= fe || (nth && !isValidAt(nth.column, i))) {
          from[i] = -2;
          continue;
        }
        // The position in the frame, from its start (first, nth) or its end (last).
        const position = fn === 'first_value' ? 1 : fn === 'last_value' ? -1 : nth!.values[i];
        if (position === 0 || (fn === 'nth_value' && position < 0)) {
          from[i] = -2;
          continue;
        }
        if (!nonNull) {
          const j = position > 0 ? fs + position - 1 : fe + position;
          from[i] = j >= fs && j < fe ? j : -2;
          continue;
        }
        const { rows, before } = nonNull;
        const k = position > 0 ? before[fs] + position - 1 : before[fe] + position;
        from[i] = k >= before[fs] && k < before[fe] ? rows[k] : -2;
      }
      return;
    }
    default:
      throw new Error(`${fn} is not a navigation function`);
  }
}
