import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, DOUBLE, INTEGER, VARCHAR, decimal, parseDate } from '@tributary/common';
import { call, column, filter, literal, printPlan, scan, type Expr } from '@tributary/plan';
import { foldConstants } from './fold-constants.ts';
import { ORDERS } from './test-tables.ts';

const cast = (expr: Expr, type: Expr['type']): Expr => ({ kind: 'cast', expr, type });

function folded(predicate: Expr): string {
  const plan = filter(scan(ORDERS, 'o'), predicate);
  return printPlan(foldConstants.rewrite(plan, DEFAULT_RULE_CONTEXT).plan).split('\n')[0];
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

describe('fold_constants on calls', () => {
  it('folds date arithmetic and negation of literals', () => {
    const date = column(3, 'o_orderdate', DATE);
    const minus90 = call(
      'date_add_days',
      [literal(parseDate('1998-12-01')!, DATE), literal(-90, INTEGER)],
      DATE,
    );
    expect(folded(call('lte', [date, minus90], BOOLEAN))).toBe("Filter (o_orderdate#3 <= DATE '1998-09-02')");
    const plus3m = call(
      'date_add_months',
      [literal(parseDate('1995-11-30')!, DATE), literal(3, INTEGER)],
      DATE,
    );
    expect(folded(call('lt', [date, plus3m], BOOLEAN))).toBe("Filter (o_orderdate#3 < DATE '1996-02-29')");
    const price = column(2, 'o_totalprice', decimal(15, 2));
    expect(
      folded(call('gt', [price, call('negate', [literal(150, decimal(3, 2))], decimal(3, 2))], BOOLEAN)),
    ).toBe('Filter (o_totalprice#2 > -1.50)');
  });

  it('leaves calls with NULL or non-literal arguments alone', () => {
    const date = column(3, 'o_orderdate', DATE);
    const withNull = call('date_add_days', [literal(null, DATE), literal(1, INTEGER)], DATE);
    expect(folded(call('eq', [date, withNull], BOOLEAN))).toContain('date_add_days(NULL, 1)');
    expect(
      folded(call('eq', [date, call('date_add_days', [date, literal(1, INTEGER)], DATE)], BOOLEAN)),
    ).toContain('date_add_days(o_orderdate#3, 1)');
  });
});
