import type { LogicalPlan } from '@tributary/plan';

/**
 * A rough row count from TableRef.rowCount, used only to pick the build side of a join;
 * undefined when a source does not know.
 */
export function estimateRows(plan: LogicalPlan): number | undefined {
  switch (plan.kind) {
    case 'scan':
      return plan.limit === null
        ? plan.table.rowCount
        : Math.min(plan.limit, plan.table.rowCount ?? plan.limit);
    case 'values':
      return plan.rows.length;
    case 'filter':
    case 'project':
    case 'aggregate':
    case 'sort':
      return estimateRows(plan.input);
    case 'limit': {
      const input = estimateRows(plan.input);
      if (plan.limit === null) return input;
      return input === undefined ? plan.limit : Math.min(input, plan.limit);
    }
    case 'join': {
      const left = estimateRows(plan.left);
      const right = estimateRows(plan.right);
      if (left === undefined || right === undefined) return undefined;
      return plan.joinType === 'semi' || plan.joinType === 'anti' ? left : Math.max(left, right);
    }
  }
}
