import { BindError } from '@tributary/common';
import {
  column,
  conjunction,
  filter,
  join,
  project,
  remapColumns,
  transformExpr,
  type JoinType,
  type LogicalPlan,
} from '@tributary/plan';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { splitSubqueryPredicates } from './bind-subquery-predicate.ts';
import { bindWhere } from './bind-where.ts';
import { containsSubquery } from './contains-subquery.ts';
import { CORRELATED_BASE, SUBQUERY_BASE } from './correlation.ts';
import type { Scope } from './scope.ts';
import type { AstNode } from './sql-ast.ts';
import { SubqueryJoiner } from './subquery-joiner.ts';

/**
 * A join whose ON holds subqueries. `scope` names the left plan's columns, then the right's.
 * The result has exactly those columns.
 *
 * ON decides which pairs of rows match. A subquery that reads the columns of one side only
 * (or none) has one value per row of that side: it is joined to that side before the join
 * (a mark join for EXISTS/IN, a single or left join for a scalar) and the join condition
 * reads its value as a column, which keeps equalities such as `a.x = (SELECT …)` join keys.
 * One that reads both sides would need a value per pair of rows: an inner join filters the
 * joined pairs by it as WHERE would; an outer join, which must keep unmatched rows, refuses
 * it. An inner join's [NOT] EXISTS and IN conjuncts filter as in WHERE, by semi and anti
 * joins (which the optimizer moves onto the relation they read).
 */
export function joinOnSubqueries(
  ctx: BindContext,
  type: JoinType,
  left: LogicalPlan,
  right: LogicalPlan,
  scope: Scope,
  on: AstNode,
  range: TextRange | undefined,
): LogicalPlan {
  const conjuncts = andOperands(on);
  if (type !== 'inner' && type !== 'cross')
    return joinAttachingToSides(ctx, type, left, right, scope, conjuncts, range, true)!;
  const width = left.schema.length + right.schema.length;
  const predicates = conjuncts.filter((c) => splitSubqueryPredicates(c).subqueries.length > 0);
  const others = conjuncts.filter((c) => !predicates.includes(c));
  let plan =
    joinAttachingToSides(ctx, 'inner', left, right, scope, others, range, false) ??
    filterJoined(ctx, joinOnPlain(ctx, left, right, scope, others, range), scope, others, range);
  plan = filterJoined(ctx, plan, scope, predicates, range);
  return keepFirst(plan, width);
}

/** The inner (or cross) join on the conjuncts without subqueries. */
function joinOnPlain(
  ctx: BindContext,
  left: LogicalPlan,
  right: LogicalPlan,
  scope: Scope,
  conjuncts: readonly AstNode[],
  range: TextRange | undefined,
): LogicalPlan {
  const binder = new ExprBinder(ctx, scope, 'JOIN ON', range);
  const plain = conjuncts.filter((c) => !containsSubquery(c));
  const condition = conjunction(plain.map((c) => binder.bindCondition(c, range)));
  return join(condition ? 'inner' : 'cross', left, right, condition ?? null);
}

/** The joined rows filtered by the conjuncts with subqueries, bound as WHERE binds them. */
function filterJoined(
  ctx: BindContext,
  plan: LogicalPlan,
  scope: Scope,
  conjuncts: readonly AstNode[],
  range: TextRange | undefined,
): LogicalPlan {
  const withSubqueries = conjuncts.filter((c) => containsSubquery(c));
  if (withSubqueries.length === 0) return plan;
  const bound = bindWhere(ctx, withSubqueries, plan, scope, 'JOIN ON', range);
  const where = conjunction(bound.conjuncts);
  return where ? filter(bound.plan, where) : bound.plan;
}

/**
 * The join with each subquery of its condition joined to the side it reads first. When one
 * reads both sides: refused (`refuse`) or undefined.
 */
function joinAttachingToSides(
  ctx: BindContext,
  type: JoinType,
  left: LogicalPlan,
  right: LogicalPlan,
  scope: Scope,
  conjuncts: readonly AstNode[],
  range: TextRange | undefined,
  refuse: boolean,
): LogicalPlan | undefined {
  const joiner = new SubqueryJoiner(ctx);
  const binder = new ExprBinder(ctx, scope, 'JOIN ON', range, joiner);
  const condition = conjunction(conjuncts.map((c) => binder.bindCondition(c, range)));
  if (!condition) return join('cross', left, right, null);
  const leftWidth = left.schema.length;
  const sides: ('left' | 'right')[] = [];
  for (const footprint of joiner.collected) {
    const reads = [...footprint.reads];
    const readsLeft = reads.some((i) => i < leftWidth);
    const readsRight = reads.some((i) => i >= leftWidth);
    if (readsLeft && readsRight) {
      if (!refuse) return undefined;
      throw new BindError(
        'UNSUPPORTED_FEATURE',
        `a subquery in the ON of a ${type.toUpperCase()} JOIN that reads both of its sides is not supported yet`,
        {
          position: footprint.position,
          details: { feature: 'subqueries in outer join ON reading both sides' },
        },
      );
    }
    // One reading neither side goes with the side that ON filters (either, for FULL).
    sides.push(readsLeft ? 'left' : readsRight ? 'right' : type === 'right' ? 'left' : 'right');
  }
  const leftJoined = joiner.apply(
    left,
    (i) => i,
    (j) => sides[j] === 'left',
  );
  const rightJoined = joiner.apply(
    right,
    (i) => i - leftWidth,
    (j) => sides[j] === 'right',
  );
  const newLeftWidth = leftJoined.plan.schema.length;
  const onJoined = transformExpr(condition, (e) => {
    if (e.kind !== 'column' || e.index >= CORRELATED_BASE) return e;
    if (e.index >= SUBQUERY_BASE) {
      const j = e.index - SUBQUERY_BASE;
      return sides[j] === 'left'
        ? leftJoined.resolve(e)
        : remapColumns(rightJoined.resolve(e), (i) => i + newLeftWidth);
    }
    return e.index < leftWidth ? e : column(e.index - leftWidth + newLeftWidth, e.name, e.type);
  });
  const joined = join(type, leftJoined.plan, rightJoined.plan, onJoined);
  if (newLeftWidth === leftWidth) return joined;
  return pick(joined, [...left.schema.map((_, i) => i), ...right.schema.map((_, i) => newLeftWidth + i)]);
}

function andOperands(node: AstNode): AstNode[] {
  if (node.type === 'binary_expr' && String(node.operator).toUpperCase() === 'AND')
    return [...andOperands(node.left as AstNode), ...andOperands(node.right as AstNode)];
  return [node];
}

/** The plan's first `width` columns, as they are (names and qualifiers kept). */
function keepFirst(plan: LogicalPlan, width: number): LogicalPlan {
  return plan.schema.length === width ? plan : pick(plan, [...Array(width).keys()]);
}

function pick(plan: LogicalPlan, indices: readonly number[]): LogicalPlan {
  const fields = indices.map((i) => plan.schema[i]);
  return project(
    plan,
    indices.map((i) => column(i, plan.schema[i].name, plan.schema[i].type)),
    fields.map((f) => f.name),
    fields.map((f) => f.qualifier),
  );
}
