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
      return [plan.input];
    case 'join':
      return [plan.left, plan.right];
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
      return inputs[0] === plan.input ? plan : { ...plan, input: inputs[0] };
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
