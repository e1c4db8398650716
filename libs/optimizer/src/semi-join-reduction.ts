import { BOOLEAN } from '@tributary/common';
import {
  call,
  column,
  conjunction,
  join,
  planInputs,
  project,
  splitConjunction,
  transformPlan,
  type AggregateNode,
  type Expr,
  type JoinNode,
  type LogicalPlan,
} from '@tributary/plan';
import { isDeterministicPlan } from './deterministic.ts';
import { CardinalityEstimator, DEFAULT_TABLE_ROWS } from './estimate-cardinality.ts';
import type { OptimizerRule } from './optimizer-rule.ts';

/**
 * The keys are worth collecting when they come from a relation estimated at no more than this
 * share of the aggregation's input rows, and keep no more than this share of them: the semi
 * join then drops most of the input, for the cost of reading the key relation a second time.
 */
const REDUCING_SHARE = 0.1;

/** The most the key relation may read of its tables, as a share of what the reduced input reads of its own. */
const READ_SHARE = 0.5;

/** A join condition's equalities of a column of each side (`right` numbered within the right input). */
function columnPairs(condition: Expr | null, leftWidth: number): { left: number; right: number }[] {
  const pairs: { left: number; right: number }[] = [];
  for (const c of condition ? splitConjunction(condition) : []) {
    if (c.kind !== 'call' || c.fn !== 'eq' || c.args.length !== 2) continue;
    const [a, b] = c.args;
    if (a.kind !== 'column' || b.kind !== 'column') continue;
    if (a.index < leftWidth && b.index >= leftWidth)
      pairs.push({ left: a.index, right: b.index - leftWidth });
    else if (b.index < leftWidth && a.index >= leftWidth)
      pairs.push({ left: b.index, right: a.index - leftWidth });
  }
  return pairs;
}

/**
 * The aggregation under `plan` (through projections and filters, which keep or drop whole
 * groups) and, for each of `columns` of plan's output, the group key it is, or -1.
 */
function aggregateUnder(
  plan: LogicalPlan,
  columns: readonly number[],
): { aggregate: AggregateNode; keys: number[] } | undefined {
  switch (plan.kind) {
    case 'aggregate':
      return plan.groupBy.length > 0
        ? { aggregate: plan, keys: columns.map((c) => (c < plan.groupBy.length ? c : -1)) }
        : undefined;
    case 'filter':
      return aggregateUnder(plan.input, columns);
    case 'project': {
      const mapped = columns.map((c) => {
        const e = plan.exprs[c];
        return e.kind === 'column' ? e.index : -1;
      });
      const found = aggregateUnder(
        plan.input,
        mapped.map((c) => Math.max(c, 0)),
      );
      return found && { ...found, keys: found.keys.map((k, i) => (mapped[i] < 0 ? -1 : k)) };
    }
    default:
      return undefined;
  }
}

/** `plan` with the aggregation under it (as found by aggregateUnder) replaced. */
function replaceAggregate(plan: LogicalPlan, replacement: AggregateNode): LogicalPlan {
  switch (plan.kind) {
    case 'aggregate':
      return replacement;
    case 'filter':
    case 'project':
      return { ...plan, input: replaceAggregate(plan.input, replacement) };
    default:
      return plan;
  }
}

/**
 * The relations under `plan`, deepest first, whose rows carry every value `columns` of plan's
 * output take, with those columns in each: down through projections of plain columns,
 * filters, the side of an inner join holding them all, and the kept side of a left, semi,
 * anti, mark or single join. Their values are supersets of plan's, which is all a filter of
 * the other side of the join needs.
 */
function keySources(
  plan: LogicalPlan,
  columns: readonly number[],
): { plan: LogicalPlan; columns: readonly number[] }[] {
  const path: { plan: LogicalPlan; columns: readonly number[] }[] = [];
  for (let at: (typeof path)[number] | undefined = { plan, columns }; at; at = below(at.plan, at.columns))
    path.push(at);
  return path.reverse();
}

function below(
  plan: LogicalPlan,
  columns: readonly number[],
): { plan: LogicalPlan; columns: number[] } | undefined {
  switch (plan.kind) {
    case 'filter':
      return { plan: plan.input, columns: [...columns] };
    case 'project': {
      const mapped = columns.map((c) => plan.exprs[c]);
      return mapped.every((e) => e.kind === 'column')
        ? { plan: plan.input, columns: mapped.map((e) => (e as Expr & { kind: 'column' }).index) }
        : undefined;
    }
    case 'join': {
      const leftWidth = plan.left.schema.length;
      if (columns.every((c) => c < leftWidth) && plan.joinType !== 'right' && plan.joinType !== 'full')
        return { plan: plan.left, columns: [...columns] };
      if (columns.every((c) => c >= leftWidth) && (plan.joinType === 'inner' || plan.joinType === 'cross'))
        return { plan: plan.right, columns: columns.map((c) => c - leftWidth) };
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The rows of the tables a plan reads, before any filter: what computing it a second time
 * costs, roughly.
 */
function tableRowsRead(plan: LogicalPlan): number {
  if (plan.kind === 'scan')
    return plan.table.statistics?.rowCount ?? plan.table.rowCount ?? DEFAULT_TABLE_ROWS;
  return planInputs(plan).reduce((sum, input) => sum + tableRowsRead(input), 0);
}

/**
 * `input` semi-joined with the keys `other` has (`keys` over input, equal to `otherColumns` of
 * other), or undefined when that does not pay. The deepest source of the keys costs least to
 * compute a second time (Q2's filtered parts, not their joins with suppliers); it must be
 * small, and its keys must drop most of the input (the filtered parts of Q17, not all parts).
 */
function reduceByKeys(
  input: LogicalPlan,
  keys: readonly Expr[],
  other: LogicalPlan,
  otherColumns: readonly number[],
  estimator: CardinalityEstimator,
): LogicalPlan | undefined {
  const inputRows = estimator.rows(input);
  const width = input.schema.length;
  // Reading the keys must cost well under what they save: Q21's keys (late line items of
  // Saudi suppliers) read as much of lineitem as the input they would reduce.
  const readBudget = READ_SHARE * tableRowsRead(input);
  for (const source of keySources(other, otherColumns)) {
    if (tableRowsRead(source.plan) > readBudget) continue;
    // It is computed a second time: random() would give other keys.
    if (estimator.rows(source.plan) > REDUCING_SHARE * inputRows || !isDeterministicPlan(source.plan))
      continue;
    const fields = source.columns.map((c) => source.plan.schema[c]);
    const values = project(
      source.plan,
      source.columns.map((c, i) => column(c, fields[i].name, fields[i].type)),
      fields.map((f) => f.name),
    );
    const condition = conjunction(
      keys.map((k, i) => call('eq', [k, column(width + i, fields[i].name, fields[i].type)], BOOLEAN)),
    )!;
    const reduced = join('semi', input, values, condition);
    if (estimator.rows(reduced) <= REDUCING_SHARE * inputRows) return reduced;
  }
  return undefined;
}

/**
 * `aggregated` (a join input with an aggregation under it) with that aggregation's input
 * reduced to the rows whose group keys `other` (the other input) has. `pairs` equate other's
 * columns with aggregated's.
 */
function reduceAggregate(
  aggregated: LogicalPlan,
  other: LogicalPlan,
  pairs: readonly { other: number; aggregated: number }[],
  estimator: CardinalityEstimator,
): LogicalPlan | undefined {
  const found = aggregateUnder(
    aggregated,
    pairs.map((p) => p.aggregated),
  );
  if (!found) return undefined;
  const { aggregate } = found;
  const keyed = pairs.map((p, i) => ({ ...p, key: found.keys[i] })).filter((p) => p.key >= 0);
  if (keyed.length === 0) return undefined;
  const input = reduceByKeys(
    aggregate.input,
    keyed.map((p) => aggregate.groupBy[p.key]),
    other,
    keyed.map((p) => p.other),
    estimator,
  );
  return input && replaceAggregate(aggregated, { ...aggregate, input });
}

/** The join with an input reduced, or undefined. */
function rewrite(node: JoinNode, estimator: CardinalityEstimator): JoinNode | undefined {
  const type = node.joinType;
  const pairs = columnPairs(node.condition, node.left.schema.length);
  if (pairs.length === 0) return undefined;
  // The right input's rows matter only where they match a left row, except in right and full joins.
  if (type !== 'right' && type !== 'full') {
    const right =
      reduceAggregate(
        node.right,
        node.left,
        pairs.map((p) => ({ other: p.left, aggregated: p.right })),
        estimator,
      ) ??
      // A semi, anti or mark join cannot broadcast its left input, the one it keeps: a small
      // one is tested against all of a big right input, shuffled whole (Q4's line items).
      (type === 'semi' || type === 'anti' || type === 'mark'
        ? reduceByKeys(
            node.right,
            pairs.map((p) =>
              column(p.right, node.right.schema[p.right].name, node.right.schema[p.right].type),
            ),
            node.left,
            pairs.map((p) => p.left),
            estimator,
          )
        : undefined);
    if (right) return { ...node, right };
  }
  if (type === 'inner') {
    const left = reduceAggregate(
      node.left,
      node.right,
      pairs.map((p) => ({ other: p.right, aggregated: p.left })),
      estimator,
    );
    if (left) return { ...node, left };
  }
  return undefined;
}

/**
 * Semi-join reduction: the input of a join whose unmatched rows are dropped is first
 * semi-joined with the join keys of the other input, when that other input is small, in two
 * cases.
 * - An aggregation on its group keys needs only the groups the other input has: only those
 *   groups are computed. That is how DuckDB's delimiter joins and Hyper's magic sets evaluate
 *   decorrelated subqueries: TPC-H Q17's average quantity per part is computed for the 200
 *   parts of one brand and container, not for all 200,000 over all 6 M line items.
 * - The right input of a semi, anti or mark join, whose left input (the rows it keeps) may
 *   not be broadcast: the right rows are filtered where they are read, by a broadcast of the
 *   keys, instead of all shuffled to meet the left ones (Q4's 3.8 M late line items, for 57 K
 *   orders of one quarter).
 * The keys are read from the deepest relation under the other input that holds them all
 * (the filtered part table, not its join with lineitem), computed a second time there, when
 * it is estimated at most a tenth of the input it reduces, its keys keep at most a tenth of
 * that input, and it reads at most half as many table rows as that input does. Runs after join_order (its inputs are sized by the joins as they will run),
 * before prune_columns.
 */
export const semiJoinReduction: OptimizerRule = {
  name: 'semi_join_reduction',
  rewrite(plan) {
    const estimator = new CardinalityEstimator();
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind !== 'join') return node;
      const next = rewrite(node, estimator);
      if (!next) return node;
      changed = true;
      return next;
    });
    return { plan: rewritten, changed };
  },
};
