import {
  column,
  remapColumns,
  type JoinNode,
  type JoinType,
  type LogicalPlan,
  type ScanNode,
  type SourceType,
} from '@tributary/plan';
import type { Connector, Split } from '@tributary/connectors';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { FilterExec } from '../operators/filter-exec.ts';
import { HashAggregate } from '../operators/hash-aggregate.ts';
import { HashJoin } from '../operators/hash-join.ts';
import { LimitExec } from '../operators/limit-exec.ts';
import { ProjectExec } from '../operators/project-exec.ts';
import { ScanExec } from '../operators/scan.ts';
import { SortExec, TopN } from '../operators/sort.ts';
import { ValuesExec } from '../operators/values-exec.ts';
import { estimateRows } from './estimate-rows.ts';

export interface PhysicalPlanOptions {
  /** An operator to run in place of a whole subtree (the coordinator's remote leaf fragments). */
  substitute?(node: LogicalPlan): PhysicalOperator | undefined;
  /** Defaults to the registry of @tributary/connectors. */
  connectorFor?: (type: SourceType) => Connector;
  /** The splits a scan reads; undefined lets the connector plan them. */
  splits?: (node: ScanNode) => Split[] | undefined;
  /** Folders every scanned file must lie inside; without them every file is refused. */
  roots?: readonly string[];
}

/** Which side is preserved when the inputs of an outer join trade places. */
const SWAPPED: Partial<Record<JoinType, JoinType>> = {
  inner: 'inner',
  cross: 'cross',
  left: 'right',
  right: 'left',
  full: 'full',
};

/**
 * Maps a logical plan onto physical operators, top-down so that `substitute` can take over
 * any subtree. A filter under a projection is fused into it; a sort under a limit becomes a
 * TopN; a join builds on its right input, swapped first when row-count estimates say the
 * right side is the bigger one.
 */
export function buildPhysicalPlan(plan: LogicalPlan, options: PhysicalPlanOptions = {}): PhysicalOperator {
  const build = (node: LogicalPlan): PhysicalOperator => buildPhysicalPlan(node, options);
  const substituted = options.substitute?.(plan);
  if (substituted) return substituted;
  switch (plan.kind) {
    case 'scan':
      return new ScanExec(plan, {
        roots: options.roots ?? [],
        connectorFor: options.connectorFor,
        splits: options.splits?.(plan),
      });
    case 'filter':
      return new FilterExec(build(plan.input), plan.predicate);
    case 'project': {
      const input = plan.input;
      // substitute is asked once per node: it may start remote work.
      const replaced = options.substitute?.(input);
      if (input.kind === 'filter' && !replaced) {
        return new ProjectExec(build(input.input), plan.exprs, plan.schema, input.predicate);
      }
      return new ProjectExec(replaced ?? build(input), plan.exprs, plan.schema);
    }
    case 'aggregate':
      return new HashAggregate(build(plan.input), plan.groupBy, plan.aggregates, plan.schema);
    case 'join':
      return buildJoin(plan, build);
    case 'sort':
      return new SortExec(build(plan.input), plan.keys);
    case 'limit': {
      const input = plan.input;
      const replaced = options.substitute?.(input);
      if (input.kind === 'sort' && plan.limit !== null && !replaced) {
        return new TopN(build(input.input), input.keys, plan.limit, plan.offset);
      }
      return new LimitExec(replaced ?? build(input), plan.limit, plan.offset);
    }
    case 'values':
      return new ValuesExec(plan.rows, plan.schema);
  }
}

function buildJoin(plan: JoinNode, build: (node: LogicalPlan) => PhysicalOperator): PhysicalOperator {
  const leftRows = estimateRows(plan.left);
  const rightRows = estimateRows(plan.right);
  const swapped = SWAPPED[plan.joinType];
  if (swapped && leftRows !== undefined && rightRows !== undefined && rightRows > leftRows) {
    const l = plan.left.schema.length;
    const r = plan.right.schema.length;
    // Build on the smaller (former left) side, then restore the column order with a projection.
    const condition = plan.condition ? remapColumns(plan.condition, (i) => (i < l ? i + r : i - l)) : null;
    const schema = [...plan.right.schema, ...plan.left.schema];
    const join = new HashJoin(build(plan.right), build(plan.left), swapped, condition, schema);
    const reorder = plan.schema.map((f, i) => column(i < l ? i + r : i - l, f.name, f.type));
    return new ProjectExec(join, reorder, plan.schema);
  }
  return new HashJoin(build(plan.left), build(plan.right), plan.joinType, plan.condition, plan.schema);
}
