import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, decimal } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  join,
  printPlan,
  project,
  scan,
  type Expr,
  type LogicalPlan,
} from '@tributary/plan';
import { narrowJoinOutputs } from './narrow-join-outputs.ts';
import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { pruneColumns } from './prune-columns.ts';
import { ORDERS, LINEITEM, SUPPLIER } from './test-tables.ts';

const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const QUANTITY = decimal(15, 2);

/** orders [o_orderkey, o_custkey, o_totalprice, o_orderdate] ⋈ lineitem [l_orderkey, l_partkey, l_suppkey, l_quantity, l_shipmode] ⋈ supplier [s_suppkey, s_nationkey]. */
const ordersLines = join(
  'inner',
  scan(ORDERS, 'o'),
  scan(LINEITEM, 'l'),
  eq(column(0, 'o_orderkey', BIGINT), column(4, 'l_orderkey', BIGINT)),
);
const withSupplier = join(
  'inner',
  ordersLines,
  scan(SUPPLIER, 's'),
  eq(column(6, 'l_suppkey', BIGINT), column(9, 's_suppkey', BIGINT)),
);

const run = (plan: LogicalPlan) =>
  narrowJoinOutputs.rewrite(pruneColumns.rewrite(plan, DEFAULT_RULE_CONTEXT).plan, DEFAULT_RULE_CONTEXT);

describe('narrow_join_outputs', () => {
  it('drops right above each join the keys nothing above it reads', () => {
    // The date and quantity of each order's lines with their supplier's nation: the order and
    // supplier keys are read by the joins only.
    const plan = project(
      withSupplier,
      [column(3, 'o_orderdate', DATE), column(7, 'l_quantity', QUANTITY), column(10, 's_nationkey', BIGINT)],
      ['o_orderdate', 'l_quantity', 's_nationkey'],
    );
    const before = printPlan(pruneColumns.rewrite(plan, DEFAULT_RULE_CONTEXT).plan);
    const narrowed = run(plan).plan;
    expect(printPlan(narrowed)).not.toBe(before);
    expect(printPlan(narrowed)).toMatchInlineSnapshot(`
      "Project o_orderdate#0 AS o_orderdate, l_quantity#2 AS l_quantity, s_nationkey#4 AS s_nationkey
        Join inner on (l_suppkey#1 = s_suppkey#3)
          Project o_orderdate#1 AS o_orderdate, l_suppkey#3 AS l_suppkey, l_quantity#4 AS l_quantity
            Join inner on (o_orderkey#0 = l_orderkey#2)
              Scan tpch.orders AS o [o_orderkey, o_orderdate]
              Scan tpch.lineitem AS l [l_orderkey, l_suppkey, l_quantity]
          Scan tpch.supplier AS s [s_suppkey, s_nationkey]"
    `);
    expect(narrowed.schema).toEqual(plan.schema);
  });

  it('adds nothing where every column of a join is read above it, or none is', () => {
    const all = project(
      ordersLines,
      ordersLines.schema.map((f, i) => column(i, f.name, f.type)),
      ordersLines.schema.map((f) => f.name),
    );
    const pruned = (p: LogicalPlan) => printPlan(pruneColumns.rewrite(p, DEFAULT_RULE_CONTEXT).plan);
    expect(printPlan(run(all).plan)).toBe(pruned(all));
    const counted = aggregate(
      ordersLines,
      [],
      [{ fn: 'count_star', arg: null, distinct: false, type: BIGINT }],
      ['n'],
    );
    expect(printPlan(run(counted).plan)).toBe(pruned(counted));
    // It is prune_columns again: switched off with it.
    const off = { ...DEFAULT_RULE_CONTEXT, disabledRules: new Set(['prune_columns']) };
    expect(narrowJoinOutputs.rewrite(counted, off)).toEqual({ plan: counted, changed: false });
  });

  it('keeps of a semi join only the left columns read above it', () => {
    const semi = join(
      'semi',
      scan(ORDERS, 'o'),
      scan(LINEITEM, 'l'),
      eq(column(0, 'o_orderkey', BIGINT), column(4, 'l_orderkey', BIGINT)),
    );
    const plan = project(semi, [column(2, 'o_totalprice', QUANTITY)], ['o_totalprice']);
    expect(printPlan(run(plan).plan)).toMatchInlineSnapshot(`
      "Project o_totalprice#1 AS o_totalprice
        Join semi on (o_orderkey#0 = l_orderkey#2)
          Scan tpch.orders AS o [o_orderkey, o_totalprice]
          Scan tpch.lineitem AS l [l_orderkey]"
    `);
  });
});
