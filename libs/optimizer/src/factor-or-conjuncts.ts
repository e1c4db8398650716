import {
  call,
  conjunction,
  exprToString,
  mapPlanExprs,
  splitConjunction,
  transformExpr,
  transformPlan,
  type Expr,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

/** The OR-ed parts of a predicate: a OR (b OR c) → [a, b, c]. */
export function splitDisjunction(predicate: Expr): Expr[] {
  if (predicate.kind === 'call' && predicate.fn === 'or') return predicate.args.flatMap(splitDisjunction);
  return [predicate];
}

/** A conjunct's identity for matching across branches: `a = b` and `b = a` are one. */
function conjunctKey(e: Expr): string {
  if (e.kind === 'call' && (e.fn === 'eq' || e.fn === 'neq') && e.args.length === 2) {
    const [a, b] = e.args.map(exprToString).sort();
    return `${e.fn}(${a}, ${b})`;
  }
  return exprToString(e);
}

/**
 * `(a AND b) OR (a AND c)` → `a AND (b OR c)`: the conjuncts every branch of an OR shares
 * (compared by their printed form, either way round for `=` and `<>`) are taken out of it. Both distributivity and absorption
 * (`a OR (a AND b)` → `a`) hold in SQL's three-valued logic, so NULLs are kept. Returns the
 * expression itself when nothing is shared.
 */
export function factorOr(or: Expr): Expr {
  if (or.kind !== 'call' || or.fn !== 'or') return or;
  const branches = splitDisjunction(or).map(splitConjunction);
  if (branches.length < 2) return or;
  const keyed = branches.map((b) => b.map(conjunctKey));
  let common = new Set(keyed[0]);
  for (const keys of keyed.slice(1)) {
    const here = new Set(keys);
    common = new Set([...common].filter((k) => here.has(k)));
    if (common.size === 0) return or;
  }
  const shared: Expr[] = [];
  const seen = new Set<string>();
  branches[0].forEach((e, i) => {
    const key = keyed[0][i];
    if (common.has(key) && !seen.has(key)) {
      seen.add(key);
      shared.push(e);
    }
  });
  const rest: Expr[] = [];
  for (let b = 0; b < branches.length; b++) {
    const left = branches[b].filter((_, i) => !common.has(keyed[b][i]));
    // A branch that is all shared makes the rest of the OR redundant (absorption).
    if (left.length === 0) return conjunction(shared)!;
    rest.push(conjunction(left)!);
  }
  return conjunction([...shared, call('or', rest, or.type)])!;
}

/**
 * Pulls the conjuncts common to every branch of an OR out of it, in every expression of the
 * plan, so that a join key written inside each branch (TPC-H Q19: `(p_partkey = l_partkey
 * AND …) OR (p_partkey = l_partkey AND …)`) becomes a conjunct of its own that
 * push_down_filter can make a hash join of, instead of leaving a cross join under a filter.
 */
export const factorOrConjuncts: OptimizerRule = {
  name: 'factor_or_conjuncts',
  rewrite(plan) {
    const rewrite = (e: Expr): Expr => transformExpr(e, factorOr);
    const rewritten = transformPlan(plan, (node) => mapPlanExprs(node, rewrite));
    const changed = rewritten !== plan;
    return { plan: rewritten, changed };
  },
};
