import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR } from '@tributary/common';
import {
  call,
  column,
  filter,
  join,
  literal,
  printPlan,
  scan,
  type Expr,
  type JoinType,
  type LogicalPlan,
} from '@tributary/plan';
import { optimize } from './optimize.ts';
import { pushDownSemiJoin } from './push-down-semi-join.ts';
import { CUSTOMER, LINEITEM, ORDERS, withRows } from './test-tables.ts';

const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const gt = (a: Expr, b: Expr): Expr => call('gt', [a, b], BOOLEAN);
const col = (index: number, name: string): Expr => column(index, name, BIGINT);

const orders = scan(withRows(ORDERS, 1_500_000), 'orders');
const lineitem = scan(withRows(LINEITEM, 6_000_000), 'lineitem');
const customer = scan(withRows(CUSTOMER, 150_000), 'customer');
/** The orders a test keeps: those of customers with a key above 100 (a stand-in for any subquery). */
const tested = filter(
  scan(withRows(CUSTOMER, 150_000), 'big'),
  gt(col(0, 'c_custkey'), literal(100, BIGINT)),
);

function rewrite(plan: LogicalPlan): string {
  return printPlan(pushDownSemiJoin.rewrite(plan, DEFAULT_RULE_CONTEXT).plan);
}

/** orders (4 columns) ⋈ lineitem (5 columns) on the order key. */
function ordersJoinLineitem(type: JoinType = 'inner'): LogicalPlan {
  return join(type, orders, lineitem, eq(col(0, 'o_orderkey'), col(4, 'l_orderkey')));
}

describe('push_down_semi_join', () => {
  it('moves a semi join onto the left relation its condition reads (Q18 shape)', () => {
    // o_custkey (column 1) IN (tested), over orders ⋈ lineitem: tested's c_custkey is column 9.
    const plan = join('semi', ordersJoinLineitem(), tested, eq(col(1, 'o_custkey'), col(9, 'c_custkey')));
    expect(rewrite(plan)).toBe(
      [
        'Join inner on (o_orderkey#0 = l_orderkey#4)',
        '  Join semi on (o_custkey#1 = c_custkey#4)',
        '    Scan tpch.orders [o_orderkey, o_custkey, o_totalprice, o_orderdate]',
        '    Filter (c_custkey#0 > 100)',
        '      Scan tpch.customer AS big [c_custkey, c_name, c_mktsegment]',
        '  Scan tpch.lineitem [l_orderkey, l_partkey, l_suppkey, l_quantity, l_shipmode]',
      ].join('\n'),
    );
  });

  it('moves an anti join onto the right relation, renumbering both sides of its condition', () => {
    // l_suppkey (column 6) NOT IN (tested).
    const plan = join('anti', ordersJoinLineitem(), tested, eq(col(6, 'l_suppkey'), col(9, 'c_custkey')));
    expect(rewrite(plan)).toBe(
      [
        'Join inner on (o_orderkey#0 = l_orderkey#4)',
        '  Scan tpch.orders [o_orderkey, o_custkey, o_totalprice, o_orderdate]',
        '  Join anti on (l_suppkey#2 = c_custkey#5)',
        '    Scan tpch.lineitem [l_orderkey, l_partkey, l_suppkey, l_quantity, l_shipmode]',
        '    Filter (c_custkey#0 > 100)',
        '      Scan tpch.customer AS big [c_custkey, c_name, c_mktsegment]',
      ].join('\n'),
    );
  });

  it('goes down several joins, and past another test, each onto its own relation', () => {
    // ((orders ⋈ lineitem) ⋈ customer) ⋉ tested on c_custkey, then ⋉ few on o_custkey.
    const few = filter(
      scan(withRows(CUSTOMER, 150_000), 'few'),
      eq(col(2, 'c_mktsegment'), literal('AUTO', VARCHAR)),
    );
    const three = join('inner', ordersJoinLineitem(), customer, eq(col(1, 'o_custkey'), col(9, 'c_custkey')));
    const first = join('semi', three, tested, eq(col(9, 'c_custkey'), col(12, 'c_custkey')));
    const plan = join('semi', first, few, eq(col(1, 'o_custkey'), col(12, 'c_custkey')));
    expect(rewrite(plan)).toBe(
      [
        'Join inner on (o_custkey#1 = c_custkey#9)',
        '  Join inner on (o_orderkey#0 = l_orderkey#4)',
        '    Join semi on (o_custkey#1 = c_custkey#4)',
        '      Scan tpch.orders [o_orderkey, o_custkey, o_totalprice, o_orderdate]',
        "      Filter (c_mktsegment#2 = 'AUTO')",
        '        Scan tpch.customer AS few [c_custkey, c_name, c_mktsegment]',
        '    Scan tpch.lineitem [l_orderkey, l_partkey, l_suppkey, l_quantity, l_shipmode]',
        '  Join semi on (c_custkey#0 = c_custkey#3)',
        '    Scan tpch.customer [c_custkey, c_name, c_mktsegment]',
        '    Filter (c_custkey#0 > 100)',
        '      Scan tpch.customer AS big [c_custkey, c_name, c_mktsegment]',
      ].join('\n'),
    );
  });

  it('leaves a test over a join that drops more rows than the test would (Q21 shape)', () => {
    // lineitem ⋈ the orders of one customer, then l_suppkey NOT IN (tested), which keeps most
    // line items: below the join it would test all 6 M of them, over it only the few left.
    const oneCustomer = filter(orders, eq(col(1, 'o_custkey'), literal(7, BIGINT)));
    const joined = join('inner', lineitem, oneCustomer, eq(col(0, 'l_orderkey'), col(5, 'o_orderkey')));
    const plan = join('anti', joined, tested, eq(col(2, 'l_suppkey'), col(9, 'c_custkey')));
    expect(rewrite(plan)).toBe(printPlan(plan));
    // Over a join that keeps every line item, the same test goes down onto lineitem.
    const all = join('inner', lineitem, orders, eq(col(0, 'l_orderkey'), col(5, 'o_orderkey')));
    const over = join('anti', all, tested, eq(col(2, 'l_suppkey'), col(9, 'c_custkey')));
    expect(rewrite(over).split('\n').slice(0, 2)).toEqual([
      'Join inner on (l_orderkey#0 = o_orderkey#5)',
      '  Join anti on (l_suppkey#2 = c_custkey#5)',
    ]);
  });

  it('never moves a test onto the side of an outer join whose rows may be NULL-extended', () => {
    const left = join(
      'semi',
      ordersJoinLineitem('left'),
      tested,
      eq(col(6, 'l_suppkey'), col(9, 'c_custkey')),
    );
    expect(rewrite(left)).toBe(printPlan(left));
    const full = join(
      'semi',
      ordersJoinLineitem('full'),
      tested,
      eq(col(1, 'o_custkey'), col(9, 'c_custkey')),
    );
    expect(rewrite(full)).toBe(printPlan(full));
    // The preserved side is fine.
    const preserved = join(
      'semi',
      ordersJoinLineitem('left'),
      tested,
      eq(col(1, 'o_custkey'), col(9, 'c_custkey')),
    );
    expect(rewrite(preserved).split('\n')[0]).toBe('Join left on (o_orderkey#0 = l_orderkey#4)');
  });

  it('leaves a test that reads columns of both relations, or none, where it is', () => {
    const both = join(
      'semi',
      ordersJoinLineitem(),
      tested,
      call(
        'and',
        [eq(col(1, 'o_custkey'), col(9, 'c_custkey')), eq(col(6, 'l_suppkey'), col(9, 'c_custkey'))],
        BOOLEAN,
      ),
    );
    expect(rewrite(both)).toBe(printPlan(both));
    const uncorrelated = join('semi', ordersJoinLineitem(), tested, null);
    expect(rewrite(uncorrelated)).toBe(printPlan(uncorrelated));
  });

  it('runs before join_order, which then sizes the tested relation by the test', () => {
    const plan = join('semi', ordersJoinLineitem(), tested, eq(col(0, 'o_orderkey'), col(9, 'c_custkey')));
    const optimized = printPlan(optimize(plan));
    expect(optimized).toMatch(/Join semi on/);
    // The semi join sits right over the orders scan, below the join with lineitem.
    const lines = optimized.split('\n');
    const semi = lines.findIndex((l) => l.includes('Join semi'));
    expect(lines[semi + 1]).toMatch(/Scan tpch\.orders/);
    expect(lines.slice(0, semi).some((l) => l.includes('Join inner'))).toBe(true);
    expect(printPlan(optimize(plan, { disabledRules: ['push_down_semi_join'] })).split('\n')[0]).toMatch(
      /Join semi|Project/,
    );
  });
});
