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
