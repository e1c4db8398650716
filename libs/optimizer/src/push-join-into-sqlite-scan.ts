import {
  referencedColumns,
  remapColumns,
  scanInputColumns,
  sqliteDatabaseOf,
  splitConjunction,
  sqliteScanStatement,
  transformPlan,
  type Expr,
  type LogicalPlan,
  type ScanNode,
} from '@tributary/plan';
import { scanPushdownEnabled, type OptimizerRule } from './optimizer-rule.ts';

/** A scan that can still take a join: sqlite, plain rows, no limit. */
function joinable(plan: LogicalPlan): plan is ScanNode {
  return (
    plan.kind === 'scan' &&
    plan.table.sourceType === 'sqlite' &&
    plan.limit === null &&
    !plan.pushed?.aggregate &&
    (plan.pushed?.orderBy.length ?? 0) === 0
  );
}

/**
 * Whether `condition` (over left then right outputs) has an equality between the sides:
 * SQLite then builds an automatic index on the joined table's key; without one it would
 * loop over every pair of rows inside each split's statement.
 */
function hasEquiKey(condition: Expr, leftWidth: number): boolean {
  return splitConjunction(condition).some((c) => {
    if (c.kind !== 'call' || c.fn !== 'eq' || c.args.length !== 2) return false;
    const [a, b] = c.args.map((arg) => [...referencedColumns(arg)]);
    const left = (cols: number[]) => cols.length > 0 && cols.every((i) => i < leftWidth);
    const right = (cols: number[]) => cols.length > 0 && cols.every((i) => i >= leftWidth);
    return (left(a) && right(b)) || (right(a) && left(b));
  });
}

/**
 * The one scan computing `left ⋈ right` inside SQLite: the right scan's tables join the
 * left's, its columns and filters are renumbered past the left's input row, and the join
 * condition (over the join's output) is renumbered onto the input row as one more filter.
 */
function mergedScan(left: ScanNode, right: ScanNode, condition: LogicalPlan & { kind: 'join' }): ScanNode {
  const offset = scanInputColumns(left).length;
  const leftOutputs = left.columns.length;
  const toInput = (i: number) =>
    i < leftOutputs ? left.columns[i] : right.columns[i - leftOutputs] + offset;
  return {
    ...left,
    columns: [...left.columns, ...right.columns.map((c) => c + offset)],
    filters: [
      ...left.filters,
      ...right.filters.map((f) => remapColumns(f, (c) => c + offset)),
      remapColumns(condition.condition!, toInput),
    ],
    schema: condition.schema,
    pushed: {
      joins: [
        ...(left.pushed?.joins ?? []),
        { table: right.table, alias: right.alias },
        ...(right.pushed?.joins ?? []),
      ],
      aggregate: null,
      orderBy: [],
    },
  };
}

/**
 * Join of two scans of one SQLite database → one scan whose statement joins them, so only
 * the joined rows leave SQLite. Inner joins with a condition only: outer, semi and anti
 * joins keep their engine operators (their NULL-filling and marks would need more SQL), and
 * a join without an equality between the sides (a cross or band join) would loop over
 * every pair of rows inside one split's statement. The condition and both
 * scans' filters must all be expressible exactly in SQLite (sqliteScanStatement decides).
 * Splits then cut the left table by rowid: each split joins a part of it with the whole of
 * the others, so the union of the splits is the join.
 */
export const pushJoinIntoSqliteScan: OptimizerRule = {
  name: 'push_join_into_sqlite_scan',
  rewrite(plan, ctx) {
    if (!scanPushdownEnabled(ctx)) return { plan, changed: false };
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind !== 'join' || node.joinType !== 'inner' || node.condition === null) return node;
      const { left, right } = node;
      if (!joinable(left) || !joinable(right) || left.table.source !== right.table.source) return node;
      if (!hasEquiKey(node.condition, left.schema.length)) return node;
      const database = sqliteDatabaseOf(left.table);
      if (database === undefined || sqliteDatabaseOf(right.table) !== database) return node;
      const merged = mergedScan(left, right, node);
      if (!sqliteScanStatement(merged)) return node;
      changed = true;
      return merged;
    });
    return { plan: rewritten, changed };
  },
};
