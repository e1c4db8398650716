import {
  conjunction,
  filter,
  join,
  referencedColumns,
  remapColumns,
  scan,
  splitConjunction,
  transformExpr,
  transformPlan,
  type Expr,
  type JoinNode,
  type LogicalPlan,
} from '@tributary/plan';
import { isDeterministic } from './deterministic.ts';
import type { OptimizerRule } from './optimizer-rule.ts';

function readsOnly(expr: Expr, from: number, to: number): boolean {
  for (const i of referencedColumns(expr)) if (i < from || i >= to) return false;
  return true;
}

/** Rebuilds a filter over `input` with the given conjuncts, or returns input when none. */
function filterOver(input: LogicalPlan, predicates: readonly Expr[]): LogicalPlan {
  const predicate = conjunction(predicates);
  return predicate ? filter(input, predicate) : input;
}

/**
 * Pushes the conjuncts of `predicates` (over `plan`'s output) as far down into `plan` as they
 * can go while keeping their meaning; returns the rewritten plan with what could not move kept
 * in a Filter on top.
 */
function pushInto(plan: LogicalPlan, predicates: readonly Expr[]): LogicalPlan {
  if (predicates.length === 0) return plan;
  switch (plan.kind) {
    case 'filter':
      return pushInto(plan.input, [...splitConjunction(plan.predicate), ...predicates]);
    case 'project': {
      // Substitute projected expressions for column references.
      const substituted = predicates.map((p) =>
        transformExpr(p, (e) => (e.kind === 'column' ? plan.exprs[e.index] : e)),
      );
      return { ...plan, input: pushInto(plan.input, substituted) };
    }
    case 'sort':
      return { ...plan, input: pushInto(plan.input, predicates) };
    case 'scan': {
      // A scan whose source already joins, aggregates or orders keeps the predicates above it.
      if (plan.pushed) return filterOver(plan, predicates);
      const tableIndex = (i: number) => plan.columns[i];
      const pushed = predicates.filter(isDeterministic).map((p) => remapColumns(p, tableIndex));
      const kept = predicates.filter((p) => !isDeterministic(p));
      return filterOver(
        scan(plan.table, plan.alias, plan.columns, [...plan.filters, ...pushed], plan.limit),
        kept,
      );
    }
    case 'aggregate': {
      // Over grouping sets a key is NULL in some sets, and an empty set's row exists without
      // input rows: conditions on it are checked on the aggregate's output.
      if (plan.input.kind === 'expand') return filterOver(plan, predicates);
      // Conjuncts over group keys only can run before aggregating.
      const groups = plan.groupBy.length;
      const below: Expr[] = [];
      const kept: Expr[] = [];
      for (const p of predicates) {
        if (readsOnly(p, 0, groups) && isDeterministic(p)) {
          below.push(transformExpr(p, (e) => (e.kind === 'column' ? plan.groupBy[e.index] : e)));
        } else kept.push(p);
      }
      return filterOver(below.length ? { ...plan, input: pushInto(plan.input, below) } : plan, kept);
    }
    case 'join':
      return pushIntoJoin(plan, predicates);
    case 'window': {
      // Only conjuncts over partition-key columns may run first: they keep or drop whole
      // partitions, so no window value changes. Anything else would shrink the frames.
      const keys = new Set(plan.partitionBy.filter((e) => e.kind === 'column').map((e) => e.index));
      const below: Expr[] = [];
      const kept: Expr[] = [];
      for (const p of predicates) {
        const read = referencedColumns(p);
        if (read.size > 0 && [...read].every((c) => keys.has(c)) && isDeterministic(p)) below.push(p);
        else kept.push(p);
      }
      return filterOver(below.length ? { ...plan, input: pushInto(plan.input, below) } : plan, kept);
    }
    case 'union':
      // The same columns in every branch: each branch filters its own rows.
      return { ...plan, inputs: plan.inputs.map((input) => pushInto(input, predicates)) };
    case 'replicate':
      // Copies of a row pass or fail together: filter before copying.
      return { ...plan, input: pushInto(plan.input, predicates) };
    case 'unnest':
      // Predicates may read the element, which exists only above.
      return filterOver({ ...plan, input: pushInto(plan.input, []) }, predicates);
    case 'expand':
      // Key columns are NULL in some copies of a row: a predicate over them stays above.
      return filterOver(plan, predicates);
    case 'limit':
    case 'values':
      return filterOver(plan, predicates);
  }
}

function pushIntoJoin(plan: JoinNode, predicates: readonly Expr[]): LogicalPlan {
  const leftWidth = plan.left.schema.length;
  const width = plan.schema.length;
  const leftPreds: Expr[] = [];
  const rightPreds: Expr[] = [];
  const joinPreds: Expr[] = [];
  const kept: Expr[] = [];
  const inner = plan.joinType === 'inner' || plan.joinType === 'cross';
  // Conditions in ON of an inner join behave like WHERE conjuncts and may move too.
  const onConjuncts = plan.condition ? splitConjunction(plan.condition) : [];
  const candidates = inner ? [...predicates, ...onConjuncts] : predicates;
  for (const p of candidates) {
    const leftOnly = readsOnly(p, 0, leftWidth);
    const rightOnly = readsOnly(p, leftWidth, width);
    // Joins that keep each left row apart (at most once, or once per match) let left-only filters go first.
    const pushLeft =
      leftOnly &&
      (inner ||
        plan.joinType === 'left' ||
        plan.joinType === 'semi' ||
        plan.joinType === 'anti' ||
        plan.joinType === 'single' ||
        plan.joinType === 'mark');
    const pushRight = rightOnly && (inner || plan.joinType === 'right');
    if (!isDeterministic(p)) kept.push(p);
    else if (pushLeft) leftPreds.push(p);
    else if (pushRight) rightPreds.push(p);
    else if (inner) joinPreds.push(p);
    else kept.push(p);
  }
  const left = pushInto(plan.left, leftPreds);
  const right = pushInto(
    plan.right,
    rightPreds.map((p) => remapColumns(p, (i) => i - leftWidth)),
  );
  if (inner) {
    const condition = conjunction(joinPreds) ?? null;
    return join(condition ? 'inner' : 'cross', left, right, condition);
  }
  return filterOver(join(plan.joinType, left, right, plan.condition), kept);
}

/**
 * Moves the ON conjuncts of an outer, semi, anti, mark or single join that read only the
 * side it matches rows of without keeping them (the right side; the left one of a right
 * join) into that side: a row failing one can match nothing, so it may as well not be there.
 * TPC-H Q13's `o_comment NOT LIKE '%special%requests%'` in the ON of customer LEFT JOIN
 * orders is then evaluated in the orders scan, not on every pair of the join, and o_comment
 * is never shuffled. Undefined when nothing moves (full joins keep both sides).
 */
function pushOnConjuncts(plan: JoinNode): LogicalPlan | undefined {
  const type = plan.joinType;
  if (!plan.condition || type === 'inner' || type === 'cross' || type === 'full') return undefined;
  const leftWidth = plan.left.schema.length;
  const width = leftWidth + plan.right.schema.length;
  const [from, to] = type === 'right' ? [0, leftWidth] : [leftWidth, width];
  const moved: Expr[] = [];
  const kept: Expr[] = [];
  for (const c of splitConjunction(plan.condition))
    (isDeterministic(c) && readsOnly(c, from, to) ? moved : kept).push(c);
  if (moved.length === 0) return undefined;
  const condition = conjunction(kept) ?? null;
  if (type === 'right') return join(type, pushInto(plan.left, moved), plan.right, condition);
  const right = pushInto(
    plan.right,
    moved.map((c) => remapColumns(c, (i) => i - leftWidth)),
  );
  return join(type, plan.left, right, condition);
}

/**
 * Moves WHERE/HAVING conjuncts and inner-join ON conjuncts down to the lowest node that
 * has their columns: into scans (as scan filters the connector may evaluate), onto one side
 * of a join, below projections and aggregates (when they read only group keys), and the ON
 * conjuncts of other joins over the side they only match against (pushOnConjuncts). Turns a
 * cross join with an equality across both sides into an inner join.
 */
export const pushDownFilter: OptimizerRule = {
  name: 'push_down_filter',
  rewrite(plan) {
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind === 'filter') {
        changed = true;
        return pushInto(node.input, splitConjunction(node.predicate));
      }
      if (
        node.kind === 'join' &&
        (node.joinType === 'inner' || node.joinType === 'cross') &&
        node.condition
      ) {
        changed = true;
        return pushIntoJoin(node, []);
      }
      if (node.kind === 'join') {
        const pushed = pushOnConjuncts(node);
        if (pushed) {
          changed = true;
          return pushed;
        }
      }
      return node;
    });
    return { plan: rewritten, changed };
  },
};
