import type { LogicalPlan } from '@tributary/plan';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { buildOperators, type OperatorContext } from './build-operators.ts';
import { planPhysical } from './plan-physical.ts';

/** Operators that run a whole logical plan in this process (tests, tools). */
export function buildPhysicalPlan(plan: LogicalPlan, context: OperatorContext = {}): PhysicalOperator {
  return buildOperators(planPhysical(plan), context);
}
