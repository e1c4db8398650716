import type { LogicalPlan } from '@tributary/plan';

/**
 * Whether a plan is the unit an executor runs over its splits: a scan, or a chain of
 * filters and projections directly over one scan.
 */
export function isLeafFragment(node: LogicalPlan): boolean {
  if (node.kind === 'scan') return true;
  if (node.kind === 'filter' || node.kind === 'project') return isLeafFragment(node.input);
  return false;
}

/**
 * Whether a plan may be sent to an executor: a leaf fragment, optionally under a limit or a
 * limit over a sort (each executor then keeps only its own first rows: a partial top-N).
 */
export function isExecutorFragment(node: LogicalPlan): boolean {
  if (node.kind !== 'limit') return isLeafFragment(node);
  const input = node.input;
  return isLeafFragment(input) || (input.kind === 'sort' && isLeafFragment(input.input));
}
