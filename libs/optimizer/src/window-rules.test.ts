import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, decimal } from '@tributary/common';
import {
  call,
  column,
  DEFAULT_FRAME,
  filter,
  literal,
  printPlan,
  project,
  scan,
  window,
  type WindowCall,
} from '@tributary/plan';
import { optimize } from './optimize.ts';
import { ORDERS } from './test-tables.ts';

const orders = () => scan(ORDERS, 'o');
const CUSTOMER = column(1, 'o_custkey', BIGINT);
const PRICE = column(2, 'o_totalprice', decimal(15, 2));
const DAY = column(3, 'o_orderdate', DATE);

const rank: WindowCall = { fn: 'rank', args: [], frame: DEFAULT_FRAME, type: BIGINT };
const running: WindowCall = { fn: 'sum', args: [PRICE], frame: DEFAULT_FRAME, type: decimal(38, 2) };

/** Window over orders partitioned by customer, ordered by date: [4] rank, [5] running sum. */
const windowed = () =>
  window(
    orders(),
    [CUSTOMER],
    [{ expr: DAY, ascending: true, nullsFirst: false }],
    [rank, running],
    ['r', 's'],
  );

describe('optimizer rules over Window nodes', () => {
  it('pushes filters on partition keys below the window and keeps the others above', () => {
    const onCustomer = call('lt', [column(1, 'o_custkey', BIGINT), literal(100, BIGINT)], BOOLEAN);
    const onRank = call('eq', [column(4, 'r', BIGINT), literal(1, BIGINT)], BOOLEAN);
    const onKey = call('gt', [column(0, 'o_orderkey', BIGINT), literal(5, BIGINT)], BOOLEAN);
    const plan = project(
      filter(windowed(), call('and', [onCustomer, onRank, onKey], BOOLEAN)),
      [column(0, 'o_orderkey', BIGINT), column(4, 'r', BIGINT)],
      ['o_orderkey', 'r'],
    );
    expect(printPlan(optimize(plan))).toMatchInlineSnapshot(`
      "Project o_orderkey#0 AS o_orderkey, r#3 AS r
        Filter ((r#3 = 1) AND (o_orderkey#0 > 5))
          Window partitionBy=[o_custkey#1] orderBy=[o_orderdate#2 ASC] calls=[rank()]
            Scan tpch.orders AS o [o_orderkey, o_custkey, o_orderdate] filters=[(o_custkey#1 < 100)]"
    `);
  });

  it('drops unused window calls, and the whole node when none is used', () => {
    const one = project(
      windowed(),
      [column(0, 'o_orderkey', BIGINT), column(5, 's', decimal(38, 2))],
      ['k', 's'],
    );
    expect(printPlan(optimize(one))).toMatchInlineSnapshot(`
      "Project o_orderkey#0 AS k, s#4 AS s
        Window partitionBy=[o_custkey#1] orderBy=[o_orderdate#3 ASC] calls=[sum(o_totalprice#2) RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW]
          Scan tpch.orders AS o [o_orderkey, o_custkey, o_totalprice, o_orderdate]"
    `);
    const none = project(windowed(), [column(0, 'o_orderkey', BIGINT)], ['k']);
    expect(printPlan(optimize(none))).toMatchInlineSnapshot(`
      "Project o_orderkey#0 AS k
        Scan tpch.orders AS o [o_orderkey]"
    `);
  });
});
