import { BOOLEAN } from '@tributary/common';
import { call, type Expr } from '@tributary/plan';

const and = (...args: Expr[]) => call('and', args, BOOLEAN);
const or = (...args: Expr[]) => call('or', args, BOOLEAN);
const not = (e: Expr) => call('not', [e], BOOLEAN);
const isNull = (e: Expr, negated = false): Expr => ({ kind: 'is-null', expr: e, negated, type: BOOLEAN });

/** `a IS NOT DISTINCT FROM b`: equality where NULL equals NULL, never NULL itself. */
export function notDistinct(a: Expr, b: Expr): Expr {
  return call('coalesce', [call('eq', [a, b], BOOLEAN), and(isNull(a), isNull(b))], BOOLEAN);
}

/** a < b with NULL above every value (and not below itself). */
function lessNullsLast(a: Expr, b: Expr): Expr {
  return call('coalesce', [call('lt', [a, b], BOOLEAN), and(isNull(b), isNull(a, true))], BOOLEAN);
}

/**
 * `(a, b, …) cmp (x, y, …)` over pairs of one type each, as DuckDB compares rows (STRUCTs):
 * pair by pair from the left, the first unequal pair deciding, NULL equal to NULL and above
 * every value, so that the answer is never NULL.
 */
export function rowComparison(cmp: string, pairs: readonly (readonly [Expr, Expr])[]): Expr {
  if (cmp === '=' || cmp === '<>' || cmp === '!=') {
    const same = and(...pairs.map(([a, b]) => notDistinct(a, b)));
    return cmp === '=' ? same : not(same);
  }
  // (a, b) < (x, y): a < x OR (a = x AND b < y); > swaps the sides, <= and >= negate.
  const swapped = cmp === '>' || cmp === '<=';
  const ordered = pairs.map(([a, b]) => (swapped ? [b, a] : [a, b]));
  let test = lessNullsLast(ordered[ordered.length - 1][0], ordered[ordered.length - 1][1]);
  for (let i = ordered.length - 2; i >= 0; i--) {
    const [a, b] = ordered[i];
    test = or(lessNullsLast(a, b), and(notDistinct(a, b), test));
  }
  return cmp === '<=' || cmp === '>=' ? not(test) : test;
}
