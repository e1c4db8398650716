import {
  call,
  conjunction,
  exprToString,
  filter,
  join,
  referencedColumns,
  splitConjunction,
  transformPlan,
  type Expr,
  type LogicalPlan,
} from '@tributary/plan';
import { factorOr, splitDisjunction } from './factor-or-conjuncts.ts';
import type { OptimizerRule } from './optimizer-rule.ts';

type Range = readonly [from: number, to: number];

function isInnerJoin(plan: LogicalPlan): plan is LogicalPlan & { kind: 'join' } {
  return plan.kind === 'join' && (plan.joinType === 'inner' || plan.joinType === 'cross');
}

/** The column ranges of the relations under a tree of inner and cross joins (and filters over them). */
function relationRanges(plan: LogicalPlan, offset: number, into: Range[]): Range[] {
  if (isInnerJoin(plan)) {
    relationRanges(plan.left, offset, into);
    relationRanges(plan.right, offset + plan.left.schema.length, into);
  } else if (plan.kind === 'filter' && isInnerJoin(plan.input)) relationRanges(plan.input, offset, into);
  else into.push([offset, offset + plan.schema.length]);
  return into;
}

function readsWithin(expr: Expr, [from, to]: Range): boolean {
  const cols = referencedColumns(expr);
  if (cols.size === 0) return false;
  for (const c of cols) if (c < from || c >= to) return false;
  return true;
}

/**
 * For an OR over several relations, the OR of each branch's conjuncts that read one relation
 * only, one per relation where every branch has some: implied by the OR, so adding it keeps
 * the result, and push_down_filter can then filter that relation before the join.
 */
function deriveFilters(conjuncts: readonly Expr[], ranges: readonly Range[]): Expr[] {
  if (ranges.length < 2) return [];
  const have = new Set(conjuncts.map(exprToString));
  const derived: Expr[] = [];
  for (const c of conjuncts) {
    if (c.kind !== 'call' || c.fn !== 'or') continue;
    const spanned = ranges.filter((r) => [...referencedColumns(c)].some((i) => i >= r[0] && i < r[1]));
    if (spanned.length < 2) continue;
    const branches = splitDisjunction(c).map(splitConjunction);
    for (const range of spanned) {
      const parts = branches.map((b) => b.filter((e) => readsWithin(e, range)));
      if (parts.some((p) => p.length === 0)) continue;
      const implied = factorOr(
        call(
          'or',
          parts.map((p) => conjunction(p)!),
          c.type,
        ),
      );
      for (const e of splitConjunction(implied)) {
        const key = exprToString(e);
        if (have.has(key)) continue;
        have.add(key);
        derived.push(e);
      }
    }
  }
  return derived;
}

/**
 * Derives single-relation filters from an OR that spans the relations of a join, as DuckDB
 * and Trino do: in TPC-H Q19, `(p_brand = 'Brand#12' AND l_quantity <= 11 AND …) OR
 * (p_brand = 'Brand#23' AND …)` also implies `p_brand = 'Brand#12' AND … OR p_brand =
 * 'Brand#23' AND …` of part alone, and the like of lineitem alone, which can filter each table
 * before the join. The OR itself stays where it was; it still decides which pairs match.
 */
export const deriveOrFilters: OptimizerRule = {
  name: 'derive_or_filters',
  rewrite(plan) {
    let changed = false;
    const rewritten = transformPlan(plan, (node) => {
      if (node.kind === 'filter') {
        const conjuncts = splitConjunction(node.predicate);
        const derived = deriveFilters(conjuncts, relationRanges(node.input, 0, []));
        if (derived.length === 0) return node;
        changed = true;
        return filter(node.input, conjunction([...conjuncts, ...derived])!);
      }
      if (isInnerJoin(node) && node.condition) {
        const conjuncts = splitConjunction(node.condition);
        const derived = deriveFilters(conjuncts, relationRanges(node, 0, []));
        if (derived.length === 0) return node;
        changed = true;
        return join('inner', node.left, node.right, conjunction([...conjuncts, ...derived])!);
      }
      return node;
    });
    return { plan: rewritten, changed };
  },
};
