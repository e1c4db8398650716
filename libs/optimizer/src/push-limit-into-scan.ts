import { transformPlan, type LogicalPlan } from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

/** The scan a limit can reach: directly, or through projections (which keep row counts). */
function scanUnder(plan: LogicalPlan): LogicalPlan | undefined {
  if (plan.kind === 'scan') return plan;
  if (plan.kind === 'project') return scanUnder(plan.input);
  return undefined;
}

function withScanLimit(plan: LogicalPlan, limit: number): LogicalPlan {
  if (plan.kind === 'scan')
    return { ...plan, limit: plan.limit === null ? limit : Math.min(plan.limit, limit) };
  if (plan.kind === 'project') return { ...plan, input: withScanLimit(plan.input, limit) };
  return plan;
}

/**
 * Tells a scan under a LIMIT (through projections) how many rows are needed at most, so
 * connectors stop early. The Limit stays: splits each stop at the limit, not all together.
 */
export const pushLimitIntoScan: OptimizerRule = {
  name: 'push_limit_into_scan',
  rewrite(plan) {
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind !== 'limit' || node.limit === null) return node;
      const target = scanUnder(node.input);
      if (!target || target.kind !== 'scan') return node;
      const needed = node.limit + node.offset;
      if (target.limit !== null && target.limit <= needed) return node;
      changed = true;
      return { ...node, input: withScanLimit(node.input, needed) };
    });
    return { plan: rewritten, changed };
  },
};
