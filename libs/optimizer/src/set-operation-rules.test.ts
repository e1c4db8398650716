import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR, decimal } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  expand,
  filter,
  literal,
  printPlan,
  project,
  replicate,
  scan,
  union,
} from '@tributary/plan';
import { optimize } from './optimize.ts';
import { CUSTOMER, ORDERS } from './test-tables.ts';

const MONEY = decimal(15, 2);

/** SELECT o_custkey, o_totalprice FROM orders UNION ALL SELECT c_custkey, <price> FROM customer */
function keysAndPrices() {
  const o = project(
    scan(ORDERS, 'o'),
    [column(1, 'o_custkey', BIGINT), column(2, 'o_totalprice', MONEY)],
    ['k', 'p'],
  );
  const c = project(scan(CUSTOMER, 'c'), [column(0, 'c_custkey', BIGINT), literal(100, MONEY)], ['k', 'p']);
  return union([o, c]);
}

describe('optimizer rules over set operations and grouping sets', () => {
  it('pushes a filter into every branch of a union, down to the scans', () => {
    const u = keysAndPrices();
    const plan = filter(u, call('gt', [column(0, 'k', BIGINT), literal(10, BIGINT)], BOOLEAN));
    expect(printPlan(optimize(plan))).toBe(
      [
        'Union all (2 inputs)',
        '  Project o_custkey#0 AS k, o_totalprice#1 AS p',
        '    Scan tpch.orders AS o [o_custkey, o_totalprice] filters=[(o_custkey#1 > 10)]',
        '  Project c_custkey#0 AS k, 1.00 AS p',
        '    Scan tpch.customer AS c [c_custkey] filters=[(c_custkey#0 > 10)]',
      ].join('\n'),
    );
  });

  it('prunes the columns no one reads from every branch alike', () => {
    const plan = project(keysAndPrices(), [column(0, 'k', BIGINT)], ['k']);
    expect(printPlan(optimize(plan))).toBe(
      [
        'Project k#0 AS k',
        '  Union all (2 inputs)',
        '    Project o_custkey#0 AS k',
        '      Scan tpch.orders AS o [o_custkey]',
        '    Project c_custkey#0 AS k',
        '      Scan tpch.customer AS c [c_custkey]',
      ].join('\n'),
    );
  });

  it('filters before a Replicate, keeping its count the last column', () => {
    const counted = project(
      scan(CUSTOMER, 'c'),
      [column(1, 'c_name', VARCHAR), column(2, 'c_mktsegment', VARCHAR), column(0, 'c_custkey', BIGINT)],
      ['name', 'segment', 'copies'],
    );
    const plan = project(
      filter(replicate(counted), call('eq', [column(1, 'segment', VARCHAR), literal('X', VARCHAR)], BOOLEAN)),
      [column(0, 'name', VARCHAR)],
      ['name'],
    );
    expect(printPlan(optimize(plan))).toBe(
      [
        'Project name#0 AS name',
        '  Replicate count=copies',
        '    Project c_name#1 AS name, c_custkey#0 AS copies',
        "      Scan tpch.customer AS c [c_custkey, c_name] filters=[(c_mktsegment#2 = 'X')]",
      ].join('\n'),
    );
  });

  it('keeps filters on grouping-set keys above the aggregate and prunes below the Expand', () => {
    const input = scan(ORDERS, 'o');
    const keys = [column(1, 'o_custkey', BIGINT)];
    const expanded = expand(input, keys, ['o_custkey'], [[0], []]);
    const agg = aggregate(
      expanded,
      [column(4, 'o_custkey', BIGINT), column(5, '__grouping_id', BIGINT)],
      [{ fn: 'sum', arg: column(2, 'o_totalprice', MONEY), distinct: false, type: decimal(38, 2) }],
      ['o_custkey', '__grouping_id', 'total'],
    );
    const plan = filter(agg, call('gt', [column(0, 'o_custkey', BIGINT), literal(5, BIGINT)], BOOLEAN));
    expect(printPlan(optimize(plan))).toBe(
      [
        'Filter (o_custkey#0 > 5)',
        '  Aggregate groupBy=[o_custkey#2, __grouping_id#3] aggs=[sum(o_totalprice#1)]',
        '    Expand keys=[o_custkey#0] sets=[(o_custkey#0), ()]',
        '      Scan tpch.orders AS o [o_custkey, o_totalprice]',
      ].join('\n'),
    );
  });
});
