import { DataError, ExecutionError } from '@tributary/common';
import type { WindowFunctionName } from '@tributary/plan';
import { isValidAt, type NumericColumn } from './window-column-values.ts';
import type { PartitionRows } from './window-frame-bounds.ts';
import type { NumericOutput } from './window-output.ts';

/**
 * ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST and NTILE over one partition: they
 * read only positions and peer groups, never the frame.
 */
export function evaluateRanking(
  fn: WindowFunctionName,
  part: PartitionRows,
  out: NumericOutput,
  buckets?: NumericColumn,
): void {
  const { start: ps, end: pe, peerStart, peerEnd } = part;
  const n = pe - ps;
  switch (fn) {
    case 'row_number':
      for (let i = ps; i < pe; i++) out.set(i, i - ps + 1);
      return;
    case 'rank':
      for (let i = ps; i < pe; i++) out.set(i, peerStart[i] - ps + 1);
      return;
    case 'dense_rank': {
      let rank = 0;
      for (let i = ps; i < pe; i++) {
        if (peerStart[i] === i) rank++;
        out.set(i, rank);
      }
      return;
    }
    case 'percent_rank':
      for (let i = ps; i < pe; i++) out.set(i, n > 1 ? (peerStart[i] - ps) / (n - 1) : 0);
      return;
    case 'cume_dist':
      for (let i = ps; i < pe; i++) out.set(i, (peerEnd[i] - ps) / n);
      return;
    case 'ntile': {
      const { column, values } = buckets!;
      for (let i = ps; i < pe; i++) {
        if (!isValidAt(column, i)) continue;
        out.set(i, ntile(values[i], n, i - ps));
      }
      return;
    }
    default:
      throw new ExecutionError('INTERNAL_ERROR', `${fn} is not a ranking function`);
  }
}

/** The bucket (1-based) of row `row` of `rows` cut into `buckets` as even as can be, larger ones first. */
export function ntile(buckets: number, rows: number, row: number): number {
  if (buckets <= 0)
    throw new DataError('INVALID_ARGUMENT', `ntile() needs a positive bucket count, not ${buckets}`);
  const size = Math.floor(rows / buckets);
  const large = rows - size * buckets;
  const smallFrom = large * (size + 1);
  if (row < smallFrom) return 1 + Math.floor(row / (size + 1));
  return 1 + large + Math.floor((row - smallFrom) / size);
}
