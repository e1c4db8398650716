import { exprChildren, mapPlanExprs, planInputs, type Expr, type LogicalPlan } from '@tributary/plan';

/**
 * Whether an expression gives the same value wherever and however often it is evaluated:
 * nothing in it calls random() (clock functions are constants of the statement by then).
 * A rule may move such an expression, or compute it twice; any other stays where it was.
 */
export function isDeterministic(expr: Expr): boolean {
  return !(expr.kind === 'call' && expr.fn === 'random') && exprChildren(expr).every(isDeterministic);
}

/** Whether every expression of a plan and its inputs is deterministic: it may be computed twice alike. */
export function isDeterministicPlan(plan: LogicalPlan): boolean {
  let deterministic = true;
  mapPlanExprs(plan, (e) => {
    deterministic &&= isDeterministic(e);
    return e;
  });
  return deterministic && planInputs(plan).every(isDeterministicPlan);
}
