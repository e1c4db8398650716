import type { Expr, LogicalPlan } from '@tributary/plan';
import { remapColumns, splitConjunction } from '@tributary/plan';
import { planSignature, stripIdentityProjects } from './plan-signature.ts';

/** One relation of an inner-join tree: a subtree that is not itself an inner join or a filter. */
export interface JoinSetLeaf {
  readonly plan: LogicalPlan;
  readonly signature: string;
  /** Where its columns start among the tree's (its leaves' columns, concatenated in order). */
  readonly offset: number;
  readonly width: number;
}

/**
 * An inner-join tree as sets: its relations and the conjuncts of every join condition and
 * filter in it, over the leaves' columns concatenated in tree order, which is also the tree's
 * own output (inner and cross joins output left then right, filters and identity projects
 * their input). Two trees with the same sets compute the same rows whatever the order of
 * their joins or where each condition was written (ON or WHERE). Outer, semi, anti, mark and
 * single joins are leaves: their order matters, so only an equal subtree matches them.
 */
export interface JoinSet {
  readonly leaves: readonly JoinSetLeaf[];
  readonly conjuncts: readonly Expr[];
  readonly width: number;
}

function collect(plan: LogicalPlan, offset: number, leaves: JoinSetLeaf[], conjuncts: Expr[]): number {
  const node = stripIdentityProjects(plan);
  const shift = (e: Expr) => (offset === 0 ? e : remapColumns(e, (i) => i + offset));
  if (node.kind === 'filter') {
    const width = collect(node.input, offset, leaves, conjuncts);
    conjuncts.push(...splitConjunction(node.predicate).map(shift));
    return width;
  }
  if (node.kind === 'join' && (node.joinType === 'inner' || node.joinType === 'cross')) {
    const left = collect(node.left, offset, leaves, conjuncts);
    const right = collect(node.right, offset + left, leaves, conjuncts);
    if (node.condition) conjuncts.push(...splitConjunction(node.condition).map(shift));
    return left + right;
  }
  const width = node.schema.length;
  leaves.push({ plan: node, signature: planSignature(node), offset, width });
  return width;
}

/** The plan's inner-join tree as sets; undefined when it joins fewer than two relations. */
export function joinSetOf(plan: LogicalPlan): JoinSet | undefined {
  const node = stripIdentityProjects(plan);
  if (node.kind !== 'filter' && node.kind !== 'join') return undefined;
  const leaves: JoinSetLeaf[] = [];
  const conjuncts: Expr[] = [];
  const width = collect(node, 0, leaves, conjuncts);
  return leaves.length < 2 ? undefined : { leaves, conjuncts, width };
}

/** The leaf holding a column of the tree. */
export function leafOf(set: JoinSet, column: number): number {
  return set.leaves.findIndex((l) => column >= l.offset && column < l.offset + l.width);
}
