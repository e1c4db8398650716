import type { ColumnDescriptor } from '@tributary/common';
import type { ScanNode } from './logical-plan.ts';

/**
 * The row a scan's `columns` and `filters` index: its table's columns, then those of each
 * table a pushdown joined in (ScanPushdown.joins), in order.
 */
export function scanInputColumns(scan: ScanNode): readonly ColumnDescriptor[] {
  if (!scan.pushed || scan.pushed.joins.length === 0) return scan.table.columns;
  return [scan.table.columns, ...scan.pushed.joins.map((j) => j.table.columns)].flat();
}
