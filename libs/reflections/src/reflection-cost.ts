import { CardinalityEstimator } from '@tributary/optimizer';
import type { Expr, LogicalPlan, ScanNode } from '@tributary/plan';
import { filter, planInputs, referencedColumns } from '@tributary/plan';
import type { ReflectionDefinition } from './reflection-definition.ts';
import { findByName } from './materialized-columns.ts';

function scanOf(plan: LogicalPlan): ScanNode | undefined {
  if (plan.kind === 'scan') return plan;
  for (const input of planInputs(plan)) {
    const found = scanOf(input);
    if (found) return found;
  }
  return undefined;
}

/**
 * Rows a substitute reads, as the optimizer's estimator sees its scan: all the
 * materialization's rows, but only those its filters keep when they test a column its files
 * are sorted or partitioned by (row-group statistics and folders then skip the rest).
 * `predicates` are over the scan's columns.
 */
export function estimatedRowsRead(
  substitute: LogicalPlan,
  predicates: readonly Expr[],
  definition: ReflectionDefinition,
  materializedRows: number,
): number {
  const read = scanOf(substitute);
  if (!read) return materializedRows;
  const names = read.table.columns.map((c) => c.name);
  const ordered = new Set(
    [...definition.localSortBy.slice(0, 1), ...definition.partitionBy].map((c) => findByName(names, c)),
  );
  const pruning = predicates.filter((p) => [...referencedColumns(p)].some((c) => ordered.has(c)));
  const rows = read.table.statistics?.rowCount ?? read.table.rowCount ?? materializedRows;
  if (pruning.length === 0) return rows;
  const estimator = new CardinalityEstimator();
  const withStatistics = { ...read, table: { ...read.table, rowCount: rows } };
  return Math.min(
    rows,
    estimator.rows(
      filter(
        withStatistics,
        pruning.length === 1
          ? pruning[0]
          : { kind: 'call', fn: 'and', args: pruning, type: { kind: 'BOOLEAN' } },
      ),
    ),
  );
}
