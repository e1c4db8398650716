import type { LogicalPlan } from '@tributary/plan';
import { mapPlanExprs, planInputs, referencedColumns } from '@tributary/plan';

function all(plan: LogicalPlan): Set<number> {
  return new Set(plan.schema.map((_, i) => i));
}

/** Every column the node's own expressions read (over its inputs' schemas, concatenated). */
function ownReads(plan: LogicalPlan): Set<number> {
  const read = new Set<number>();
  mapPlanExprs(plan, (e) => {
    referencedColumns(e, read);
    return e;
  });
  return read;
}

/**
 * Which columns of each input a node reads when its parent reads `required` of its output:
 * what a raw reflection must hold to stand in for that input (columns nobody reads may be
 * missing from it). Nodes whose output does not map column for column onto an input's are
 * taken to read all of their inputs.
 */
export function requiredInputColumns(plan: LogicalPlan, required: ReadonlySet<number>): Set<number>[] {
  switch (plan.kind) {
    case 'filter':
    case 'sort':
    case 'limit': {
      const read = new Set(required);
      if (plan.kind !== 'limit') for (const c of ownReads(plan)) read.add(c);
      return [read];
    }
    case 'project': {
      const read = new Set<number>();
      for (const i of required) referencedColumns(plan.exprs[i], read);
      return [read];
    }
    case 'aggregate':
      return [ownReads(plan)];
    case 'window': {
      const width = plan.input.schema.length;
      const read = ownReads(plan);
      for (const i of required) if (i < width) read.add(i);
      return [read];
    }
    case 'union':
      return plan.inputs.map(() => new Set(required));
    case 'replicate':
    case 'unnest':
      return [new Set([...required, plan.input.schema.length - 1])];
    case 'join': {
      const width = plan.left.schema.length;
      const read = ownReads(plan);
      const outputsRight = plan.joinType !== 'semi' && plan.joinType !== 'anti' && plan.joinType !== 'mark';
      for (const i of required) if (i < width || outputsRight) read.add(i);
      const left = new Set<number>();
      const right = new Set<number>();
      for (const i of read) (i < width ? left : right).add(i < width ? i : i - width);
      return [left, right];
    }
    default:
      return planInputs(plan).map(all);
  }
}
