import {
  filter,
  join,
  referencedColumns,
  remapColumns,
  transformPlan,
  type JoinNode,
  type LogicalPlan,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

/** A semi or anti join: a filter on its left rows by a test against its right side. */
type RowFilterJoin = JoinNode & { joinType: 'semi' | 'anti' };

function isRowFilterJoin(plan: LogicalPlan): plan is RowFilterJoin {
  return plan.kind === 'join' && (plan.joinType === 'semi' || plan.joinType === 'anti');
}

/**
 * Which input of `below` (the semi join's left input, a join) the semi join may move onto:
 * the one every column it reads (`reads`, over below's output) comes from, if that input's
 * rows reach below's output unchanged (either side of an inner or cross join, the preserved
 * side of an outer join, the left of a mark or single join, which only add a column).
 */
function sideFor(below: JoinNode, reads: ReadonlySet<number>): 'left' | 'right' | undefined {
  const leftWidth = below.left.schema.length;
  const all = [...reads];
  const type = below.joinType;
  const inner = type === 'inner' || type === 'cross';
  if (all.every((c) => c < leftWidth) && (inner || type === 'left' || type === 'mark' || type === 'single'))
    return 'left';
  if (all.every((c) => c >= leftWidth) && (inner || type === 'right')) return 'right';
  return undefined;
}

/** Moves a semi or anti join as far down its left input as its condition allows. */
function pushDown(semi: RowFilterJoin): LogicalPlan {
  const below = semi.left;
  const width = below.schema.length;
  const condition = semi.condition;
  // An uncorrelated test (no left column) keeps or drops all rows alike: nothing to gain.
  const reads = new Set([...(condition ? referencedColumns(condition) : [])].filter((c) => c < width));
  if (!condition || reads.size === 0) return semi;
  // Both only drop rows of the same input: test first, then filter.
  if (below.kind === 'filter') return filter(pushDown({ ...semi, left: below.input }), below.predicate);
  if (below.kind !== 'join') return semi;
  if (isRowFilterJoin(below)) {
    // Two tests of the same rows commute; the lower one's columns stay where they are.
    // Worth it only when this one then goes further down than the other.
    const under = { ...semi, left: below.left };
    const pushed = pushDown(under);
    return pushed === under ? semi : join(below.joinType, pushed, below.right, below.condition);
  }
  const side = sideFor(below, reads);
  if (!side) return semi;
  const leftWidth = below.left.schema.length;
  if (side === 'left') {
    // The tested relation's columns now follow the left input's.
    const moved = remapColumns(condition, (c) => (c < width ? c : c - (width - leftWidth)));
    const pushed = pushDown(join(semi.joinType, below.left, semi.right, moved) as RowFilterJoin);
    return join(below.joinType, pushed, below.right, below.condition);
  }
  // Over the right input every column, its own and the tested relation's, moves left by leftWidth.
  const moved = remapColumns(condition, (c) => c - leftWidth);
  const pushed = pushDown(join(semi.joinType, below.right, semi.right, moved) as RowFilterJoin);
  return join(below.joinType, below.left, pushed, below.condition);
}

/**
 * Pushes semi and anti joins (IN, EXISTS and their negations, once decorrelated) below the
 * joins their left input is made of, onto the one relation whose columns their condition
 * reads, as a filter is pushed: `orders ⋈ lineitem ⋉ big_orders` becomes
 * `(orders ⋉ big_orders) ⋈ lineitem`, so the selective test shrinks orders before the join
 * (TPC-H Q18) and join_order sizes that relation by it.
 */
export const pushDownSemiJoin: OptimizerRule = {
  name: 'push_down_semi_join',
  rewrite(plan) {
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (!isRowFilterJoin(node)) return node;
      const next = pushDown(node);
      if (next !== node) changed = true;
      return next;
    });
    return { plan: rewritten, changed };
  },
};
