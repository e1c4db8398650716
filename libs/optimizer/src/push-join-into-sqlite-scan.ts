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
  type TableRef,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';
import { pruneColumns } from './prune-columns.ts';

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
 * every pair of rows inside one split's statement. Only tables up to MAX_JOINED_TABLE_ROWS
 * join into another's statement; the largest table becomes the one splits cut. The condition and both
 * scans' filters must all be expressible exactly in SQLite (sqliteScanStatement decides).
 * Splits then cut the left table by rowid: each split joins a part of it with the whole of
 * the others, so the union of the splits is the join.
 */
export const pushJoinIntoSqliteScan: OptimizerRule = {
  name: 'push_join_into_sqlite_scan',
  rewrite(plan, ctx) {
    if (!ctx.scanPushdown) return { plan, changed: false };
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind !== 'join' || node.joinType !== 'inner' || node.condition === null) return node;
      const { left, right } = node;
      if (!joinable(left) || !joinable(right) || left.table.source !== right.table.source) return node;
      if (!hasEquiKey(node.condition, left.schema.length)) return node;
      const database = sqliteDatabaseOf(left.table);
      if (database === undefined || sqliteDatabaseOf(right.table) !== database) return node;
      const merged = largestTableFirst(mergedScan(left, right, node));
      if (!joinedTablesSmall(merged)) return node;
      if (!sqliteScanStatement(merged)) return node;
      changed = true;
      return merged;
    });
    // The merged scans still select the join keys the engine's joins needed: prune them.
    return { plan: changed ? pruneColumns.rewrite(rewritten, ctx).plan : rewritten, changed };
  },
};

/**
 * The most rows a table joined into a split table's statement may have. SQLite joins by
 * nested loops over indexes, building an automatic index on each joined table in every
 * split's statement: cheap for dimension tables, but a join of two big tables (lineitem ⋈
 * orders) is faster as the engine's distributed hash join (measured on TPC-H SF 1: Q8 took
 * twice as long when all eight tables joined in SQLite).
 */
export const MAX_JOINED_TABLE_ROWS = 250_000;

function tableRows(table: TableRef): number | undefined {
  return table.statistics?.rowCount ?? table.rowCount;
}

/** Whether every table but the split one is small enough to join in each split (known sizes only). */
function joinedTablesSmall(merged: ScanNode): boolean {
  return (merged.pushed?.joins ?? []).every((j) => {
    const rows = tableRows(j.table);
    return rows !== undefined && rows <= MAX_JOINED_TABLE_ROWS;
  });
}

/**
 * The same scan with its largest table first: the first table is the one rowid-range splits
 * cut, so the work spreads over executors by the biggest table (a join whose left side was a
 * small dimension table would otherwise run as one split). Inner joins commute, so only the
 * input row's order changes: columns and filters are renumbered, the output stays.
 */
function largestTableFirst(merged: ScanNode): ScanNode {
  const tables = [{ table: merged.table, alias: merged.alias }, ...(merged.pushed?.joins ?? [])];
  let largest = 0;
  tables.forEach((t, i) => {
    if ((tableRows(t.table) ?? Infinity) > (tableRows(tables[largest].table) ?? Infinity)) largest = i;
  });
  if (largest === 0) return merged;
  const offsets: number[] = [];
  let offset = 0;
  for (const t of tables) {
    offsets.push(offset);
    offset += t.table.columns.length;
  }
  const order = [largest, ...tables.map((_, i) => i).filter((i) => i !== largest)];
  const newOffset = new Map<number, number>();
  let next = 0;
  for (const i of order) {
    newOffset.set(i, next);
    next += tables[i].table.columns.length;
  }
  const map = (index: number): number => {
    let t = tables.length - 1;
    while (offsets[t] > index) t--;
    return newOffset.get(t)! + (index - offsets[t]);
  };
  const [first, ...rest] = order.map((i) => tables[i]);
  return {
    ...merged,
    table: first.table,
    alias: first.alias,
    columns: merged.columns.map(map),
    filters: merged.filters.map((f) => remapColumns(f, map)),
    pushed: { joins: rest, aggregate: null, orderBy: [] },
  };
}
