import { splitConjunction, type Expr, type LogicalPlan } from '@tributary/plan';
import type { BindContext, TextRange } from './bind-context.ts';
import { ExprBinder } from './bind-expr.ts';
import { bindSubqueryPredicate, splitSubqueryPredicates } from './bind-subquery-predicate.ts';
import type { Scope } from './scope.ts';
import type { AstNode } from './sql-ast.ts';
import { SubqueryJoiner } from './subquery-joiner.ts';

/**
 * Binds filtering conditions (a WHERE, or an inner join's ON, whose conjuncts filter alike)
 * over `plan`, whose columns `scope` names. [NOT] EXISTS and IN (SELECT …) conjuncts become
 * semi/anti joins of the plan; subqueries anywhere else are joined to it (adding columns
 * after its own) for the conditions to read their values. Returns the joined plan and the
 * conjuncts still to filter it by, over that plan.
 */
export function bindWhere(
  ctx: BindContext,
  nodes: readonly AstNode[],
  plan: LogicalPlan,
  scope: Scope,
  clause: string,
  range: TextRange | undefined,
): { plan: LogicalPlan; conjuncts: Expr[] } {
  const joiner = new SubqueryJoiner(ctx);
  const binder = new ExprBinder(ctx, scope, clause, range, joiner);
  const conditions: Expr[] = [];
  const rest: AstNode[] = [];
  for (const node of nodes) {
    const split = splitSubqueryPredicates(node);
    for (const s of split.subqueries) {
      const joined = bindSubqueryPredicate(ctx, s, plan, binder, range);
      if (joined) plan = joined;
      else conditions.push(binder.bindCondition(s.node));
    }
    rest.push(...split.rest);
  }
  for (const r of rest) conditions.push(binder.bindCondition(r));
  const applied = joiner.apply(plan);
  return { plan: applied.plan, conjuncts: conditions.flatMap((c) => splitConjunction(applied.resolve(c))) };
}
