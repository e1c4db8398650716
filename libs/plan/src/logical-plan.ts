import type { ColumnDescriptor, SqlType, UnsupportedColumn } from '@tributary/common';
import type { AggregateCall, Expr } from './expr.ts';
import type { WindowCall } from './window-call.ts';
import type { TableStatistics } from './table-statistics.ts';

/** One output column of a plan node. `qualifier` is the table name or alias it came from. */
export interface Field {
  readonly name: string;
  readonly type: SqlType;
  readonly nullable: boolean;
  readonly qualifier?: string;
}

export type SourceType = 'csv' | 'parquet' | 'sqlite';

/**
 * Everything an executor needs to scan a table without the catalog: the source's kind,
 * the table's full column list and the connector's own description of where it lives.
 */
export interface TableRef {
  readonly source: string;
  readonly table: string;
  readonly sourceType: SourceType;
  readonly columns: readonly ColumnDescriptor[];
  /** Connector-specific, JSON-serialisable (file paths, database path, CSV dialect…). */
  readonly location: Readonly<Record<string, unknown>>;
  readonly rowCount?: number;
  /** What the optimizer knows of the table's data; `statistics.rowCount` wins over `rowCount`. */
  readonly statistics?: TableStatistics;
  /** Columns the source holds that Tributary cannot read: not in `columns`, named in errors. */
  readonly unsupportedColumns?: readonly UnsupportedColumn[];
}

export type LogicalPlan =
  | ScanNode
  | FilterNode
  | ProjectNode
  | AggregateNode
  | JoinNode
  | SortNode
  | LimitNode
  | ValuesNode
  | WindowNode
  | UnionNode
  | ExpandNode
  | ReplicateNode
  | UnnestNode;

/**
 * Reads `columns` (indices into table.columns, in output order). `filters` use table column
 * indices and must all hold for every row the scan yields: the physical scan evaluates
 * whatever the connector cannot evaluate exactly.
 */
export interface ScanNode {
  readonly kind: 'scan';
  readonly table: TableRef;
  readonly alias: string;
  readonly columns: readonly number[];
  readonly filters: readonly Expr[];
  readonly limit: number | null;
  readonly schema: readonly Field[];
  /** Work the source computes itself (joins, a partial aggregate, an order): see ScanPushdown. */
  readonly pushed?: ScanPushdown;
}

/** A table of the scan's source inner-joined with the scan's own table inside the source. */
export interface PushedJoinTable {
  readonly table: TableRef;
  readonly alias: string;
}

/**
 * What a scan asks its source (SQLite) to compute in the one statement each split runs.
 * With it, a scan reads an *input row*: its table's columns followed by those of every
 * joined table, in order (scanInputColumns); `filters` (join conditions included) and
 * `columns` index that row, and the source evaluates every filter exactly (the rules that
 * push only push what it can). Splits cut the scan's own table only, so each split's
 * statement sees a part of it joined with all of every other table: inner joins stay correct.
 */
export interface ScanPushdown {
  readonly joins: readonly PushedJoinTable[];
  /**
   * A partial aggregate over the input row: each split yields its own groups (keys then
   * aggregates, `columns` unused), which an Aggregate above the scan merges. Only
   * aggregates whose partial results merge by sum/min/max are pushed (see the rule).
   */
  readonly aggregate: {
    readonly groupBy: readonly Expr[];
    readonly aggregates: readonly AggregateCall[];
  } | null;
  /**
   * With `limit`, each split yields its first `limit` rows in this order (keys over the
   * input row); the engine's Sort and Limit above merge the splits' top rows.
   */
  readonly orderBy: readonly SortKey[];
}

export interface FilterNode {
  readonly kind: 'filter';
  readonly input: LogicalPlan;
  readonly predicate: Expr;
  readonly schema: readonly Field[];
}

export interface ProjectNode {
  readonly kind: 'project';
  readonly input: LogicalPlan;
  readonly exprs: readonly Expr[];
  readonly schema: readonly Field[];
}

/** Output: the group keys, then the aggregates, in order. No keys: exactly one row. */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly input: LogicalPlan;
  readonly groupBy: readonly Expr[];
  readonly aggregates: readonly AggregateCall[];
  readonly schema: readonly Field[];
}

/**
 * Besides the usual kinds, two that subqueries are decorrelated into (as in DuckDB):
 * - single: a left join whose left rows may match at most one right row (a scalar subquery);
 *   a second match fails the query with SUBQUERY_MULTIPLE_ROWS.
 * - mark: every left row once, followed by a non-NULL BOOLEAN column saying whether it
 *   matched any right row ([NOT] EXISTS and IN in any position).
 */
export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross' | 'semi' | 'anti' | 'single' | 'mark';

/** The name of a mark join's BOOLEAN output column. */
export const MARK_COLUMN = 'mark';

/**
 * `condition` is over left.schema followed by right.schema (semi/anti output only the left,
 * mark the left and its mark column).
 */
export interface JoinNode {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly condition: Expr | null;
  readonly schema: readonly Field[];
}

export interface SortKey {
  readonly expr: Expr;
  readonly ascending: boolean;
  /** DuckDB's default is NULLS LAST for ASC and DESC alike; the binder applies it. */
  readonly nullsFirst: boolean;
}

export interface SortNode {
  readonly kind: 'sort';
  readonly input: LogicalPlan;
  readonly keys: readonly SortKey[];
  readonly schema: readonly Field[];
}

export interface LimitNode {
  readonly kind: 'limit';
  readonly input: LogicalPlan;
  readonly limit: number | null;
  readonly offset: number;
  readonly schema: readonly Field[];
}

/** Literal rows (SELECT without FROM yields one row of no columns). */
export interface ValuesNode {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
  readonly schema: readonly Field[];
}

/**
 * Window functions sharing one PARTITION BY / ORDER BY: output is every input column, then
 * one column per call, in order. Each call has its own frame.
 */
export interface WindowNode {
  readonly kind: 'window';
  readonly input: LogicalPlan;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
  readonly calls: readonly WindowCall[];
  readonly schema: readonly Field[];
}

/**
 * UNION ALL of inputs with one schema (the binder casts every branch to the unified types).
 * DISTINCT, INTERSECT and EXCEPT are built from it with aggregates (see bind-set-operation).
 */
export interface UnionNode {
  readonly kind: 'union';
  readonly inputs: readonly LogicalPlan[];
  readonly schema: readonly Field[];
}

/**
 * GROUPING SETS: each input row once per set in `sets` (indices into `keys`). Output: the
 * input columns unchanged (aggregate arguments read them), then one column per key holding
 * the key's value where the set has it and NULL elsewhere, then the set's index (INTEGER),
 * so that an Aggregate over the key columns and the index computes every set at once.
 */
export interface ExpandNode {
  readonly kind: 'expand';
  readonly input: LogicalPlan;
  readonly keys: readonly Expr[];
  readonly sets: readonly (readonly number[])[];
  readonly schema: readonly Field[];
}

/**
 * Each input row as many times as its last column says (a BIGINT count; none when it is
 * NULL or not positive), without that column: the ALL variants of INTERSECT and EXCEPT.
 */
export interface ReplicateNode {
  readonly kind: 'replicate';
  readonly input: LogicalPlan;
  readonly schema: readonly Field[];
}

/**
 * Each input row once per element of its last column (a LIST), that column replaced by the
 * element (the schema's last field); a NULL or empty list gives no row: UNNEST and the table
 * functions generate_series and range, as DuckDB runs them.
 */
export interface UnnestNode {
  readonly kind: 'unnest';
  readonly input: LogicalPlan;
  readonly schema: readonly Field[];
}
