import type { AggregateCall, Expr, Field, JoinType, ScanNode, SortKey, WindowCall } from '@tributary/plan';

/**
 * The physical plan as data: what a task runs, sent from the coordinator to an executor as
 * JSON and turned into operators there (libs/engine buildOperators). Every node carries its
 * output schema. Leaves are scans (over the task's splits), literal rows, or exchanges (the
 * output of an earlier stage).
 */
export type PhysicalNode =
  | PhysicalScan
  | PhysicalValues
  | PhysicalFilter
  | PhysicalProject
  | PhysicalAggregate
  | PhysicalHashJoin
  | PhysicalSort
  | PhysicalTopN
  | PhysicalLimit
  | PhysicalWindow
  | PhysicalExchange
  | PhysicalUnion
  | PhysicalExpand
  | PhysicalReplicate
  | PhysicalUnnest;

/**
 * What every physical node may carry: the optimizer's estimate of its output rows (libs/optimizer
 * CardinalityEstimator, set by planPhysical), absent when a table under it does not know its
 * size. It decides broadcasts and is printed by EXPLAIN; execution ignores it.
 */
export interface PhysicalEstimate {
  readonly estimatedRows?: number;
}

/** Reads the task's splits of `scan.table` (a stage has at most one scan: it drives the tasks). */
export interface PhysicalScan extends PhysicalEstimate {
  readonly kind: 'scan';
  readonly scan: ScanNode;
  readonly schema: readonly Field[];
}

export interface PhysicalValues extends PhysicalEstimate {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
  readonly schema: readonly Field[];
}

export interface PhysicalFilter extends PhysicalEstimate {
  readonly kind: 'filter';
  readonly input: PhysicalNode;
  readonly predicate: Expr;
  readonly schema: readonly Field[];
}

/** A projection, with the filter directly below it fused in (`filter`, over the input). */
export interface PhysicalProject extends PhysicalEstimate {
  readonly kind: 'project';
  readonly input: PhysicalNode;
  readonly exprs: readonly Expr[];
  readonly filter: Expr | null;
  readonly schema: readonly Field[];
}

/**
 * 'single' aggregates rows; 'partial' emits group keys and accumulator states
 * (partialAggregateSchema); 'final' merges such states into the aggregates' values.
 */
export type AggregateMode = 'single' | 'partial' | 'final';

export interface PhysicalAggregate extends PhysicalEstimate {
  readonly kind: 'aggregate';
  readonly input: PhysicalNode;
  readonly groupBy: readonly Expr[];
  readonly aggregates: readonly AggregateCall[];
  readonly mode: AggregateMode;
  readonly schema: readonly Field[];
  /** Groups that exist even without input rows (the empty grouping sets). */
  readonly ensuredGroups?: EnsuredGroups;
}

/**
 * The empty grouping sets of an aggregate over an Expand: like a global aggregate, each
 * gives a row (of NULL keys and initial states) even when no row comes in. Those groups
 * are the input rows that are NULL everywhere but in column `idColumn`, which holds one of
 * `ids`. Partial and single aggregates create them; the fragmenter keeps the flag only
 * where exactly one task, or a final merge, sees each group.
 */
export interface EnsuredGroups {
  readonly idColumn: number;
  readonly ids: readonly number[];
}

/** Builds a hash table on `right` and streams `left` through it; `condition` is over left ++ right. */
export interface PhysicalHashJoin extends PhysicalEstimate {
  readonly kind: 'hash-join';
  readonly left: PhysicalNode;
  readonly right: PhysicalNode;
  readonly joinType: JoinType;
  readonly condition: Expr | null;
  readonly schema: readonly Field[];
  /**
   * A semi, anti or mark join estimated to have the smaller input on its left (the rows it
   * keeps or marks): the table is built on the left and the right streamed through it,
   * marking the left rows it matches. Where its sides are distributed is unchanged.
   */
  readonly buildLeft?: boolean;
}

export interface PhysicalSort extends PhysicalEstimate {
  readonly kind: 'sort';
  readonly input: PhysicalNode;
  readonly keys: readonly SortKey[];
  readonly schema: readonly Field[];
}

export interface PhysicalTopN extends PhysicalEstimate {
  readonly kind: 'top-n';
  readonly input: PhysicalNode;
  readonly keys: readonly SortKey[];
  readonly limit: number;
  readonly offset: number;
  readonly schema: readonly Field[];
}

export interface PhysicalLimit extends PhysicalEstimate {
  readonly kind: 'limit';
  readonly input: PhysicalNode;
  readonly limit: number | null;
  readonly offset: number;
  readonly schema: readonly Field[];
}

/**
 * Window functions over input sorted by `partitionBy` then `orderBy` (the planner puts a
 * sort below): partitions are read one after another, each buffered once. Output: the input
 * columns, then one column per call.
 */
export interface PhysicalWindow extends PhysicalEstimate {
  readonly kind: 'window';
  readonly input: PhysicalNode;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
  readonly calls: readonly WindowCall[];
  readonly schema: readonly Field[];
}

/**
 * How a task reads an earlier stage's output:
 * - hash: its own partition (the task's index) of a hash-partitioned output (shuffle);
 * - broadcast: the whole of a one-partition output, read by every task of this stage;
 * - gather: the whole of a one-partition output, read by this stage's only task;
 * - merge: like gather, of outputs each sorted by `orderBy`, merged into one sorted stream.
 */
export type ExchangeKind = 'hash' | 'broadcast' | 'gather' | 'merge';

export interface PhysicalExchange extends PhysicalEstimate {
  readonly kind: 'exchange';
  readonly stage: number;
  readonly exchange: ExchangeKind;
  /** For merge: the order every upstream task's output is in. */
  readonly orderBy?: readonly SortKey[];
  /**
   * For broadcast of a hash-partitioned output (a shuffle join turned into a broadcast join
   * at run time, adapt-join-distribution.ts): every task reads all these partitions of it.
   */
  readonly partitions?: number;
  readonly schema: readonly Field[];
}

/** UNION ALL: the inputs' rows one input after the other (inputs share one schema). */
export interface PhysicalUnion extends PhysicalEstimate {
  readonly kind: 'union';
  readonly inputs: readonly PhysicalNode[];
  readonly schema: readonly Field[];
}

/** GROUPING SETS: each row once per set, as the logical ExpandNode describes. */
export interface PhysicalExpand extends PhysicalEstimate {
  readonly kind: 'expand';
  readonly input: PhysicalNode;
  readonly keys: readonly Expr[];
  readonly sets: readonly (readonly number[])[];
  readonly schema: readonly Field[];
}

/** Each row as many times as its last column says, without that column. */
export interface PhysicalReplicate extends PhysicalEstimate {
  readonly kind: 'replicate';
  readonly input: PhysicalNode;
  readonly schema: readonly Field[];
}

/** Each row once per element of its last column (a LIST), that column replaced by the element. */
export interface PhysicalUnnest extends PhysicalEstimate {
  readonly kind: 'unnest';
  readonly input: PhysicalNode;
  readonly schema: readonly Field[];
}

/** The children of a node, for walks that do not care about kinds. */
export function physicalChildren(node: PhysicalNode): PhysicalNode[] {
  switch (node.kind) {
    case 'scan':
    case 'values':
    case 'exchange':
      return [];
    case 'hash-join':
      return [node.left, node.right];
    case 'union':
      return [...node.inputs];
    case 'expand':
    case 'replicate':
    case 'unnest':
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'top-n':
    case 'limit':
    case 'window':
      return [node.input];
  }
}
