import { mapAggregateCallExprs, type Expr } from './expr.ts';
import type { LogicalPlan } from './logical-plan.ts';

function assertNever(x: never): never {
  throw new Error(`unhandled plan kind ${JSON.stringify(x)}`);
}

export function planInputs(plan: LogicalPlan): LogicalPlan[] {
  switch (plan.kind) {
    case 'scan':
    case 'values':
      return [];
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
    case 'window':
    case 'expand':
    case 'replicate':
    case 'unnest':
      return [plan.input];
    case 'join':
      return [plan.left, plan.right];
    case 'union':
      return [...plan.inputs];
    default:
      return assertNever(plan);
  }
}

/** The same node over new inputs; the node's own expressions and schema are kept. */
export function withInputs(plan: LogicalPlan, inputs: readonly LogicalPlan[]): LogicalPlan {
  switch (plan.kind) {
    case 'scan':
    case 'values':
      return plan;
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
    case 'limit':
    case 'window':
    case 'expand':
    case 'replicate':
    case 'unnest':
      return inputs[0] === plan.input ? plan : { ...plan, input: inputs[0] };
    case 'union':
      return inputs.every((p, i) => p === plan.inputs[i]) ? plan : { ...plan, inputs: [...inputs] };
    case 'join':
      return inputs[0] === plan.left && inputs[1] === plan.right
        ? plan
        : { ...plan, left: inputs[0], right: inputs[1] };
    default:
      return assertNever(plan);
  }
}

/** Rewrites a plan bottom-up: `fn` sees each node after its inputs were rewritten. */
export function transformPlan(plan: LogicalPlan, fn: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const inputs = planInputs(plan);
  const rewritten = inputs.map((i) => transformPlan(i, fn));
  const rebuilt = rewritten.every((r, i) => r === inputs[i]) ? plan : withInputs(plan, rewritten);
  return fn(rebuilt);
}

/** The same node with `fn` applied to each expression it holds itself (not its inputs'). */
export function mapPlanExprs(plan: LogicalPlan, fn: (e: Expr) => Expr): LogicalPlan {
  switch (plan.kind) {
    case 'scan':
      return { ...plan, filters: plan.filters.map(fn) };
    case 'filter':
      return { ...plan, predicate: fn(plan.predicate) };
    case 'project':
      return { ...plan, exprs: plan.exprs.map(fn) };
    case 'aggregate':
      return {
        ...plan,
        groupBy: plan.groupBy.map(fn),
        aggregates: plan.aggregates.map((a) => mapAggregateCallExprs(a, fn)),
      };
    case 'join':
      return { ...plan, condition: plan.condition && fn(plan.condition) };
    case 'sort':
      return { ...plan, keys: plan.keys.map((k) => ({ ...k, expr: fn(k.expr) })) };
    case 'values':
      return { ...plan, rows: plan.rows.map((r) => r.map(fn)) };
    case 'expand':
      return { ...plan, keys: plan.keys.map(fn) };
    case 'limit':
    case 'union':
    case 'replicate':
    case 'unnest':
      return plan;
    case 'window':
      return {
        ...plan,
        partitionBy: plan.partitionBy.map(fn),
        orderBy: plan.orderBy.map((k) => ({ ...k, expr: fn(k.expr) })),
        calls: plan.calls.map((c) => ({ ...c, args: c.args.map(fn) })),
      };
    default:
      return assertNever(plan);
  }
}
