import { BIGINT, BOOLEAN } from '@tributary/common';
import { call, literal, type Expr, type ScalarFunctionName } from '@tributary/plan';

/** What `x op ANY/ALL (S)` needs of S: its row count, its non-NULL count, and its least and greatest value. */
export interface QuantifiedSide {
  readonly rows: Expr;
  readonly values: Expr;
  readonly min: () => Expr;
  readonly max: () => Expr;
}

/**
 * `x op ALL (S)` (`all`) or `x op ANY (S)` with SQL's NULLs: ALL is true over no rows, false
 * when some row fails the comparison, NULL when none fails but a NULL leaves one unknown; ANY
 * the other way round. `compare(fn, v)` compares x with a value of S. Only the extremes are
 * needed: x > ALL is x > max, x > ANY is x > min (< the other way round), and = ALL fails,
 * as <> ANY holds, where the least or the greatest differs from x.
 */
export function quantifiedComparison(
  op: ScalarFunctionName,
  all: boolean,
  x: Expr,
  side: QuantifiedSide,
  compare: (fn: ScalarFunctionName, value: Expr) => Expr,
): Expr {
  let decisive: Expr;
  if (op === 'eq' || op === 'neq')
    decisive = call('or', [compare('neq', side.min()), compare('neq', side.max())], BOOLEAN);
  else {
    const greater = op === 'gt' || op === 'gte';
    const test = compare(op, greater === all ? side.max() : side.min());
    decisive = all ? call('not', [test], BOOLEAN) : test;
  }
  const truth = (v: boolean | null): Expr => literal(v, BOOLEAN);
  return {
    kind: 'case',
    whens: [
      { when: call('eq', [side.rows, literal(0, BIGINT)], BOOLEAN), then: truth(all) },
      { when: { kind: 'is-null', expr: x, negated: false, type: BOOLEAN }, then: truth(null) },
      { when: decisive, then: truth(!all) },
      { when: call('gt', [side.rows, side.values], BOOLEAN), then: truth(null) },
    ],
    otherwise: truth(all),
    type: BOOLEAN,
  };
}
