import { CardinalityEstimator } from '@tributary/optimizer';
import {
  column,
  remapColumns,
  type Expr,
  type JoinNode,
  type JoinType,
  type LogicalPlan,
  type SortKey,
} from '@tributary/plan';
import type { PhysicalNode } from '@tributary/protocol';

/** The most rows a top-N keeps (limit + offset); bigger ones sort and then limit. */
export const TOP_N_MAX_ROWS = 100_000;

/** Which side is preserved when the inputs of an outer join trade places. */
const SWAPPED: Partial<Record<JoinType, JoinType>> = {
  inner: 'inner',
  cross: 'cross',
  left: 'right',
  right: 'left',
  full: 'full',
};

/**
 * Joins that keep or mark rows of their left input only, which can build their table on it
 * when it is the smaller (PhysicalHashJoin.buildLeft): TPC-H Q4's 57 K orders tested for
 * EXISTS against 3.8 M line items, not a table of the line items probed by the orders.
 */
const BUILDS_LEFT: ReadonlySet<JoinType> = new Set(['semi', 'anti', 'mark']);

/**
 * Chooses the physical form of each logical node, as data: a filter under a projection is
 * fused into it; a sort under a limit becomes a top-N; a join builds its hash table on its
 * right input, the sides swapped first (and the column order restored by a projection) when
 * row-count estimates say the right side is the bigger one, or for a semi, anti or mark join,
 * which keeps its sides, built on the left input instead. Every node carries the
 * optimizer's estimate of its rows (the one estimator, libs/optimizer CardinalityEstimator),
 * when the tables under it know their sizes. Where it runs is decided later (fragmentPlan).
 */
export function planPhysical(plan: LogicalPlan): PhysicalNode {
  return new PhysicalPlanner().plan(plan);
}

class PhysicalPlanner {
  private readonly estimator = new CardinalityEstimator();

  /** The estimate of a logical node's rows, when every table under it knows its size. */
  private known(plan: LogicalPlan): number | undefined {
    const { rows, known } = this.estimator.estimate(plan);
    // Capped: cross joins of big inputs overflow, and JSON has no Infinity.
    return known ? Math.round(Math.min(rows, Number.MAX_SAFE_INTEGER)) : undefined;
  }

  plan(plan: LogicalPlan): PhysicalNode {
    const node = this.choose(plan);
    if (node.estimatedRows !== undefined) return node;
    const rows = this.known(plan);
    return rows === undefined ? node : { ...node, estimatedRows: rows };
  }

  private choose(plan: LogicalPlan): PhysicalNode {
    const planPhysical = (p: LogicalPlan) => this.plan(p);
    switch (plan.kind) {
      case 'scan':
        return { kind: 'scan', scan: plan, schema: plan.schema };
      case 'values':
        return { kind: 'values', rows: plan.rows, schema: plan.schema };
      case 'filter':
        return {
          kind: 'filter',
          input: planPhysical(plan.input),
          predicate: plan.predicate,
          schema: plan.schema,
        };
      case 'project': {
        const input = plan.input;
        const fused = input.kind === 'filter';
        return {
          kind: 'project',
          input: planPhysical(fused ? input.input : input),
          exprs: plan.exprs,
          filter: fused ? input.predicate : null,
          schema: plan.schema,
        };
      }
      case 'aggregate': {
        const input = plan.input;
        // The empty grouping sets of an aggregate over an Expand give a row even without input.
        const empty =
          input.kind === 'expand' ? input.sets.flatMap((set, id) => (set.length === 0 ? [id] : [])) : [];
        return {
          kind: 'aggregate',
          input: planPhysical(input),
          groupBy: plan.groupBy,
          aggregates: plan.aggregates,
          mode: 'single',
          schema: plan.schema,
          ...(empty.length > 0 ? { ensuredGroups: { idColumn: input.schema.length - 1, ids: empty } } : {}),
        };
      }
      case 'join':
        return this.planJoin(plan);
      case 'window': {
        // Rows reach the window sorted by partition, then order: the sort spills, the window
        // holds one partition at a time.
        const input = planPhysical(plan.input);
        const keys = windowSortKeys(plan.partitionBy, plan.orderBy);
        const sorted: PhysicalNode =
          keys.length === 0
            ? input
            : { kind: 'sort', input, keys, schema: input.schema, estimatedRows: input.estimatedRows };
        return {
          kind: 'window',
          input: sorted,
          partitionBy: plan.partitionBy,
          orderBy: plan.orderBy,
          calls: plan.calls,
          schema: plan.schema,
        };
      }
      case 'union':
        return { kind: 'union', inputs: plan.inputs.map(planPhysical), schema: plan.schema };
      case 'expand':
        return {
          kind: 'expand',
          input: planPhysical(plan.input),
          keys: plan.keys,
          sets: plan.sets,
          schema: plan.schema,
        };
      case 'replicate':
        return { kind: 'replicate', input: planPhysical(plan.input), schema: plan.schema };
      case 'unnest':
        return { kind: 'unnest', input: planPhysical(plan.input), schema: plan.schema };
      case 'sort':
        return { kind: 'sort', input: planPhysical(plan.input), keys: plan.keys, schema: plan.schema };
      case 'limit': {
        const input = plan.input;
        // A top-N keeps its rows in memory; past this many a sort, which can spill, does better.
        if (input.kind === 'sort' && plan.limit !== null && plan.limit + plan.offset <= TOP_N_MAX_ROWS) {
          return {
            kind: 'top-n',
            input: planPhysical(input.input),
            keys: input.keys,
            limit: plan.limit,
            offset: plan.offset,
            schema: plan.schema,
          };
        }
        return {
          kind: 'limit',
          input: planPhysical(input),
          limit: plan.limit,
          offset: plan.offset,
          schema: plan.schema,
        };
      }
    }
  }

  private planJoin(plan: JoinNode): PhysicalNode {
    const left = this.plan(plan.left);
    const right = this.plan(plan.right);
    const leftRows = left.estimatedRows;
    const rightRows = right.estimatedRows;
    const swapped = SWAPPED[plan.joinType];
    if (swapped && leftRows !== undefined && rightRows !== undefined && rightRows > leftRows) {
      const l = plan.left.schema.length;
      const r = plan.right.schema.length;
      const condition = plan.condition ? remapColumns(plan.condition, (i) => (i < l ? i + r : i - l)) : null;
      const join: PhysicalNode = {
        kind: 'hash-join',
        left: right,
        right: left,
        joinType: swapped,
        condition,
        schema: [...plan.right.schema, ...plan.left.schema],
        ...(this.known(plan) === undefined ? {} : { estimatedRows: this.known(plan) }),
      };
      const reorder = plan.schema.map((f, i) => column(i < l ? i + r : i - l, f.name, f.type));
      return { kind: 'project', input: join, exprs: reorder, filter: null, schema: plan.schema };
    }
    const buildLeft =
      BUILDS_LEFT.has(plan.joinType) &&
      leftRows !== undefined &&
      rightRows !== undefined &&
      leftRows < rightRows;
    return {
      kind: 'hash-join',
      left,
      right,
      joinType: plan.joinType,
      condition: plan.condition,
      schema: plan.schema,
      ...(buildLeft ? { buildLeft } : {}),
    };
  }
}

/** The order a window's input is sorted in: partition keys (any fixed order), then ORDER BY. */
export function windowSortKeys(partitionBy: readonly Expr[], orderBy: readonly SortKey[]): SortKey[] {
  return [...partitionBy.map((expr): SortKey => ({ expr, ascending: true, nullsFirst: false })), ...orderBy];
}
