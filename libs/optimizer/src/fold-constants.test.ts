import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, VARCHAR, decimal } from '@tributary/common';
import { call, column, filter, literal, printPlan, scan, type Expr } from '@tributary/plan';
import { foldConstants } from './fold-constants.ts';
import { ORDERS } from './test-tables.ts';

const cast = (expr: Expr, type: Expr['type']): Expr => ({ kind: 'cast', expr, type });

function folded(predicate: Expr): string {
  const plan = filter(scan(ORDERS, 'o'), predicate);
  return printPlan(foldConstants.rewrite(plan, { disabledRules: new Set() }).plan).split('\n')[0];
}

describe('fold_constants', () => {
  it('folds exact literal casts', () => {
    const price = column(2, 'o_totalprice', decimal(15, 2));
    expect(folded(call('gt', [price, cast(literal(10, INTEGER), decimal(15, 2))], BOOLEAN))).toBe(
      'Filter (o_totalprice#2 > 10.00)',
    );
    const date = column(3, 'o_orderdate', DATE);
    expect(folded(call('lte', [date, cast(literal('1998-09-02', VARCHAR), DATE)], BOOLEAN))).toBe(
      "Filter (o_orderdate#3 <= DATE '1998-09-02')",
    );
    expect(folded(call('eq', [column(0, 'k', BIGINT), cast(literal(null, INTEGER), BIGINT)], BOOLEAN))).toBe(
      'Filter (k#0 = NULL)',
    );
    expect(
      folded(call('gt', [cast(price, DOUBLE), cast(literal(125, decimal(3, 1)), DOUBLE)], BOOLEAN)),
    ).toBe('Filter (CAST(o_totalprice#2 AS DOUBLE) > 12.5)');
  });

  it('leaves casts that may fail or lose precision to the engine', () => {
    const date = column(3, 'o_orderdate', DATE);
    expect(folded(call('eq', [date, cast(literal('not a date', VARCHAR), DATE)], BOOLEAN))).toContain(
      "CAST('not a date' AS DATE)",
    );
    expect(
      folded(call('eq', [column(0, 'k', INTEGER), cast(literal(2 ** 40, BIGINT), INTEGER)], BOOLEAN)),
    ).toContain('CAST(');
  });
});
