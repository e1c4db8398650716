import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR, decimal } from '@tributary/common';
import { call, column, filter, join, literal, printPlan, scan, type Expr } from '@tributary/plan';
import { factorOr, factorOrConjuncts } from './factor-or-conjuncts.ts';
import { optimize } from './optimize.ts';
import { LINEITEM, ORDERS, PART, withRows } from './test-tables.ts';

const and = (...args: Expr[]): Expr => call('and', args, BOOLEAN);
const or = (...args: Expr[]): Expr => call('or', args, BOOLEAN);
const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const gt = (a: Expr, b: Expr): Expr => call('gt', [a, b], BOOLEAN);

const key = column(0, 'o_orderkey', BIGINT);
const cust = column(1, 'o_custkey', BIGINT);
const price = column(2, 'o_totalprice', decimal(15, 2));
const n = (v: number) => literal(v, BIGINT);

function rewritten(predicate: Expr): string {
  const plan = filter(scan(ORDERS, 'o'), predicate);
  return printPlan(factorOrConjuncts.rewrite(plan, DEFAULT_RULE_CONTEXT).plan).split('\n')[0];
}

describe('factor_or_conjuncts', () => {
  it('pulls the conjuncts every branch shares out of the OR', () => {
    expect(rewritten(or(and(eq(key, n(1)), gt(cust, n(5))), and(eq(key, n(1)), gt(cust, n(9)))))).toBe(
      'Filter ((o_orderkey#0 = 1) AND ((o_custkey#1 > 5) OR (o_custkey#1 > 9)))',
    );
  });

  it('keeps what only some branches share, and works on three branches', () => {
    const a = eq(key, n(1));
    const b = gt(cust, n(5));
    expect(rewritten(or(and(a, b, gt(price, n(1))), and(b, a), and(a, b, eq(cust, n(7)))))).toBe(
      'Filter ((o_orderkey#0 = 1) AND (o_custkey#1 > 5))',
    );
    expect(
      rewritten(or(and(a, b, gt(price, n(1))), and(b, a, gt(price, n(2))), and(a, eq(cust, n(7))))),
    ).toBe(
      'Filter ((o_orderkey#0 = 1) AND (((o_custkey#1 > 5) AND (o_totalprice#2 > 1)) OR ((o_custkey#1 > 5) AND (o_totalprice#2 > 2)) OR (o_custkey#1 = 7)))',
    );
  });

  it('matches an equality written either way round', () => {
    expect(rewritten(or(and(eq(key, cust), gt(price, n(1))), and(eq(cust, key), gt(price, n(2)))))).toBe(
      'Filter ((o_orderkey#0 = o_custkey#1) AND ((o_totalprice#2 > 1) OR (o_totalprice#2 > 2)))',
    );
  });

  it('absorbs: a OR (a AND b) is a', () => {
    const a = eq(key, n(1));
    expect(printPlanOf(factorOr(or(a, and(a, gt(cust, n(5))))))).toBe('(o_orderkey#0 = 1)');
  });

  it('leaves ORs without a shared conjunct, and other expressions, alone', () => {
    const plain = or(and(eq(key, n(1)), gt(cust, n(5))), and(eq(key, n(2)), gt(cust, n(5)), gt(price, n(0))));
    const factored = rewritten(plain);
    expect(factored).toBe(
      'Filter ((o_custkey#1 > 5) AND ((o_orderkey#0 = 1) OR ((o_orderkey#0 = 2) AND (o_totalprice#2 > 0))))',
    );
    const none = or(eq(key, n(1)), eq(cust, n(2)));
    expect(rewritten(none)).toBe('Filter ((o_orderkey#0 = 1) OR (o_custkey#1 = 2))');
  });

  it('turns a join key repeated in each branch of an OR into a hash join (TPC-H Q19)', () => {
    // lineitem × part WHERE (p_partkey = l_partkey AND p_brand = 'Brand#12' AND l_quantity <= 11)
    //                    OR (p_partkey = l_partkey AND p_brand = 'Brand#23' AND l_quantity >= 10)
    const lineitem = scan(withRows(LINEITEM, 6_000_000), 'lineitem');
    const part = scan(withRows(PART, 200_000), 'part');
    const lPartkey = column(1, 'l_partkey', BIGINT);
    const lQuantity = column(3, 'l_quantity', decimal(15, 2));
    const pPartkey = column(5, 'p_partkey', BIGINT);
    const pBrand = column(6, 'p_brand', VARCHAR);
    const qty = (v: number) => literal(v * 100, decimal(15, 2));
    const where = or(
      and(
        eq(pPartkey, lPartkey),
        eq(pBrand, literal('Brand#12', VARCHAR)),
        call('lte', [lQuantity, qty(11)], BOOLEAN),
      ),
      and(
        eq(pPartkey, lPartkey),
        eq(pBrand, literal('Brand#23', VARCHAR)),
        call('gte', [lQuantity, qty(10)], BOOLEAN),
      ),
    );
    const plan = filter(join('cross', lineitem, part, null), where);
    expect(printPlan(optimize(plan, { disabledRules: ['derive_or_filters'] }))).toBe(
      [
        "Join inner on ((p_partkey#5 = l_partkey#1) AND (((p_brand#6 = 'Brand#12') AND (l_quantity#3 <= 11.00)) OR ((p_brand#6 = 'Brand#23') AND (l_quantity#3 >= 10.00))))",
        '  Scan tpch.lineitem [l_orderkey, l_partkey, l_suppkey, l_quantity, l_shipmode]',
        '  Scan tpch.part [p_partkey, p_brand, p_size]',
      ].join('\n'),
    );
    // Switched off, the key stays inside the OR and the join stays a cross join under a filter.
    const off = printPlan(optimize(plan, { disabledRules: ['factor_or_conjuncts', 'derive_or_filters'] }));
    expect(off.split('\n')[0]).toMatch(/^Join inner on \(\(\(p_partkey#\d+ = l_partkey#\d+\) AND/);
    expect(off).not.toMatch(/Join inner on \(\(p_partkey/);
  });
});

function printPlanOf(e: Expr): string {
  return printPlan(filter(scan(ORDERS, 'o'), e))
    .split('\n')[0]
    .replace(/^Filter /, '');
}
