import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR, decimal } from '@tributary/common';
import { call, column, filter, join, limit, literal, printPlan, project, scan } from '@tributary/plan';
import { optimize } from './optimize.ts';
import { CUSTOMER, ORDERS } from './test-tables.ts';

describe('lift_scan_pushdown', () => {
  const query = () =>
    // SELECT c_name, o_totalprice FROM orders o, customer c
    // WHERE o_custkey = c_custkey AND c_mktsegment = 'BUILDING' LIMIT 10
    limit(
      project(
        filter(
          join('cross', scan(ORDERS, 'o'), scan(CUSTOMER, 'c'), null),
          call(
            'and',
            [
              call('eq', [column(1, 'o_custkey', BIGINT), column(4, 'c_custkey', BIGINT)], BOOLEAN),
              call('eq', [column(6, 'c_mktsegment', VARCHAR), literal('BUILDING', VARCHAR)], BOOLEAN),
            ],
            BOOLEAN,
          ),
        ),
        [column(5, 'c_name', VARCHAR), column(2, 'o_totalprice', decimal(15, 2))],
        ['c_name', 'o_totalprice'],
      ),
      10,
      0,
    );

  it('takes filters and column choices out of every scan, keeping the join as planned', () => {
    expect(printPlan(optimize(query(), { scanPushdown: false }))).toBe(
      [
        'Limit 10',
        '  Project c_name#3 AS c_name, o_totalprice#1 AS o_totalprice',
        '    Join inner on (o_custkey#0 = c_custkey#2)',
        '      Project o_custkey#1 AS o_custkey, o_totalprice#2 AS o_totalprice',
        '        Scan tpch.orders AS o [o_orderkey, o_custkey, o_totalprice, o_orderdate]',
        '      Project c_custkey#0 AS c_custkey, c_name#1 AS c_name',
        "        Filter (c_mktsegment#2 = 'BUILDING')",
        '          Scan tpch.customer AS c [c_custkey, c_name, c_mktsegment]',
      ].join('\n'),
    );
  });

  it('drops a pushed limit and changes nothing with pushdown on', () => {
    const limited = limit(project(scan(ORDERS, 'o'), [column(0, 'o_orderkey', BIGINT)], ['k']), 5, 0);
    expect(printPlan(optimize(limited))).toContain('limit=5');
    expect(printPlan(optimize(limited, { scanPushdown: false }))).toBe(
      [
        'Limit 5',
        '  Project o_orderkey#0 AS k',
        '    Project o_orderkey#0 AS o_orderkey',
        '      Scan tpch.orders AS o [o_orderkey, o_custkey, o_totalprice, o_orderdate]',
      ].join('\n'),
    );
  });
});
