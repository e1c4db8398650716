import { CardinalityEstimator } from '@tributary/optimizer';
import type { Expr, LogicalPlan, ScanNode } from '@tributary/plan';
import { filter, planInputs } from '@tributary/plan';
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
 * Rows one Parquet row group of a materialization holds (the builder's row groups, like the
 * results' Parquet files, are cut every 65,536 rows): the least a scan that reads anything reads.
 */
export const MATERIALIZED_ROW_GROUP_ROWS = 65_536;

const RANGE_TESTS = new Set(['eq', 'lt', 'lte', 'gt', 'gte']);

/** A plain column, possibly cast: what row-group min/max statistics bound. */
function bareColumn(expr: Expr): number | undefined {
  if (expr.kind === 'column') return expr.index;
  if (expr.kind === 'cast') return bareColumn(expr.expr);
  return undefined;
}

/** The column a predicate bounds the way statistics prune by (`c < 5`, `c IN (…)`), if any. */
function prunedColumn(predicate: Expr): number | undefined {
  if (predicate.kind === 'call' && RANGE_TESTS.has(predicate.fn)) {
    const [a, b] = predicate.args;
    if (b.kind === 'literal') return bareColumn(a);
    if (a.kind === 'literal') return bareColumn(b);
  }
  if (predicate.kind === 'in-list' && !predicate.negated && predicate.list.every((e) => e.kind === 'literal'))
    return bareColumn(predicate.expr);
  return undefined;
}

/**
 * Rows a substitute reads, as the optimizer's estimator sees its scan: all the
 * materialization's rows, but only those its filters keep when they bound a column its files
 * are sorted or partitioned by (row-group statistics and folders then skip the rest), and
 * never less than a row group. `predicates` are over the scan's columns.
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
  const pruning = predicates.filter((p) => {
    const c = prunedColumn(p);
    return c !== undefined && ordered.has(c);
  });
  const rows = read.table.statistics?.rowCount ?? read.table.rowCount ?? materializedRows;
  if (pruning.length === 0) return rows;
  const estimator = new CardinalityEstimator();
  const withStatistics = { ...read, table: { ...read.table, rowCount: rows } };
  const kept = estimator.rows(
    filter(
      withStatistics,
      pruning.length === 1
        ? pruning[0]
        : { kind: 'call', fn: 'and', args: pruning, type: { kind: 'BOOLEAN' } },
    ),
  );
  return Math.min(rows, Math.max(kept, MATERIALIZED_ROW_GROUP_ROWS));
}
