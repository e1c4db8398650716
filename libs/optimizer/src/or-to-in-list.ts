import { sameType } from '@tributary/common';
import {
  call,
  exprToString,
  mapPlanExprs,
  transformExpr,
  transformPlan,
  type CallExpr,
  type Expr,
  type InListExpr,
} from '@tributary/plan';
import type { OptimizerRule } from './optimizer-rule.ts';

/** A disjunct that tests one value against literals: `x = lit` or `x IN (lit, …)`. */
function equalities(term: Expr): { value: Expr; items: readonly Expr[] } | undefined {
  if (term.kind === 'call' && term.fn === 'eq') {
    const [a, b] = term.args;
    const [value, item] = b.kind === 'literal' ? [a, b] : [b, a];
    if (item.kind !== 'literal' || value.kind === 'literal' || !sameType(value.type, item.type))
      return undefined;
    return { value, items: [item] };
  }
  if (term.kind === 'in-list' && !term.negated && term.list.every((i) => i.kind === 'literal')) {
    return { value: term.expr, items: term.list };
  }
  return undefined;
}

function mergeDisjuncts(or: CallExpr): Expr {
  const groups = new Map<string, { value: Expr; items: Expr[]; terms: number; first: number }>();
  const keys = or.args.map((term, i) => {
    const found = equalities(term);
    if (!found) return undefined;
    const key = exprToString(found.value);
    const group = groups.get(key) ?? { value: found.value, items: [], terms: 0, first: i };
    group.items.push(...found.items);
    group.terms++;
    groups.set(key, group);
    return key;
  });
  if (![...groups.values()].some((g) => g.terms > 1)) return or;
  const args: Expr[] = [];
  or.args.forEach((term, i) => {
    const group = keys[i] === undefined ? undefined : groups.get(keys[i] as string);
    if (!group || group.terms === 1) args.push(term);
    else if (group.first === i) {
      const merged: InListExpr = {
        kind: 'in-list',
        expr: group.value,
        list: group.items,
        negated: false,
        type: or.type,
      };
      args.push(merged);
    }
  });
  return args.length === 1 ? args[0] : call('or', args, or.type);
}

/**
 * Merges the disjuncts of an OR that compare one value with literals into one IN list:
 * `a = 1 OR a = 2 OR a IN (3, 4) OR b > 0` → `a IN (1, 2, 3, 4) OR b > 0`. SQL defines IN as
 * that disjunction (NULLs included), so the result is the same, but an IN list is evaluated
 * by one hash lookup per row, and is one predicate for connectors to push down; a generated
 * filter of 10,000 OR-ed equalities otherwise compares each row 10,000 times.
 */
export const orToInList: OptimizerRule = {
  name: 'or_to_in_list',
  rewrite(plan) {
    const rewrite = (e: Expr): Expr =>
      transformExpr(e, (x) => (x.kind === 'call' && x.fn === 'or' ? mergeDisjuncts(x) : x));
    const rewritten = transformPlan(plan, (node) => mapPlanExprs(node, rewrite));
    return { plan: rewritten, changed: rewritten !== plan };
  },
};
