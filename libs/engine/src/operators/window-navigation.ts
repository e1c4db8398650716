import type { WindowFunctionName } from '@tributary/plan';
import { isValidAt, type NumericColumn } from './window-column-values.ts';
import type { PartitionRows } from './window-frame-bounds.ts';
import type { GatherOutput } from './window-output.ts';

/**
 * LAG and LEAD (by a per-row offset, falling back to the default column or NULL outside the
 * partition), FIRST_VALUE and LAST_VALUE (of the frame; NULL for an empty frame): each picks
 * which row's value a row gets.
 */
export function evaluateNavigation(
  fn: WindowFunctionName,
  part: PartitionRows,
  out: GatherOutput,
  frameStart: Int32Array,
  frameEnd: Int32Array,
  offsets?: NumericColumn,
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
        const j = i + sign * by[i];
        from[i] = j >= ps && j < pe ? j : -1;
      }
      return;
    }
    case 'first_value':
      for (let i = ps; i < pe; i++) from[i] = frameStart[i] < frameEnd[i] ? frameStart[i] : -2;
      return;
    case 'last_value':
      for (let i = ps; i < pe; i++) from[i] = frameStart[i] < frameEnd[i] ? frameEnd[i] - 1 : -2;
      return;
    default:
      throw new Error(`${fn} is not a navigation function`);
  }
}
