import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR } from '@tributary/common';
import {
  call,
  column,
  conjunction,
  filter,
  join,
  literal,
  printPlan,
  project,
  scan,
  type Expr,
  type LogicalPlan,
  type TableRef,
} from '@tributary/plan';
import { optimize } from './optimize.ts';
import { reorderJoins } from './reorder-joins.ts';
import { CUSTOMER, LINEITEM, NATION, ORDERS, PART, SUPPLIER, withRows } from './test-tables.ts';

const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);

/** Cross joins of the tables in the given order, then WHERE `conditions` (over that order's columns). */
function crossJoined(tables: readonly { table: TableRef; alias: string }[]): LogicalPlan {
  return tables.map((t) => scan(t.table, t.alias) as LogicalPlan).reduce((l, r) => join('cross', l, r, null));
}

/** A column of the cross-joined tables by name. */
function col(plan: LogicalPlan, name: string): Expr {
  const index = plan.schema.findIndex((f) => f.name === name);
  if (index < 0) throw new Error(`no column ${name}`);
  return column(index, name, plan.schema[index].type);
}

function joinLines(plan: LogicalPlan): string[] {
  return printPlan(plan)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('Join'));
}

const SF1 = {
  lineitem: withRows(LINEITEM, 6_001_215),
  orders: withRows(ORDERS, 1_500_000),
  customer: withRows(CUSTOMER, 150_000),
  part: withRows(PART, 200_000),
  supplier: withRows(SUPPLIER, 10_000),
  nation: withRows(NATION, 25),
};

describe('join_order', () => {
  it('orders a chain given in a bad FROM order without cross joins, building the small sides', () => {
    // FROM part, supplier, nation, lineitem WHERE p = l AND s = l AND s_nationkey = n_nationkey
    const tables = crossJoined([
      { table: SF1.part, alias: 'part' },
      { table: SF1.supplier, alias: 'supplier' },
      { table: SF1.nation, alias: 'nation' },
      { table: SF1.lineitem, alias: 'lineitem' },
    ]);
    const where = conjunction([
      eq(col(tables, 'p_partkey'), col(tables, 'l_partkey')),
      eq(col(tables, 's_suppkey'), col(tables, 'l_suppkey')),
      eq(col(tables, 's_nationkey'), col(tables, 'n_nationkey')),
      eq(col(tables, 'p_brand'), literal('Brand#12', VARCHAR)),
    ])!;
    const plan = project(
      filter(tables, where),
      [col(tables, 'n_name'), col(tables, 'l_quantity')],
      ['n_name', 'q'],
    );
    expect(printPlan(optimize(plan))).toBe(
      [
        // The projection that restores the FROM order, pruned to what is read above it and
        // folded into the one above; below, each join's keys go no further than the join.
        'Project n_name#3 AS n_name, l_quantity#1 AS q',
        '  Join inner on (s_suppkey#2 = l_suppkey#0)',
        '    Project l_suppkey#1 AS l_suppkey, l_quantity#2 AS l_quantity',
        '      Join inner on (p_partkey#3 = l_partkey#0)',
        '        Scan tpch.lineitem [l_partkey, l_suppkey, l_quantity]',
        "        Scan tpch.part [p_partkey] filters=[(p_brand#1 = 'Brand#12')]",
        '    Project s_suppkey#0 AS s_suppkey, n_name#3 AS n_name',
        '      Join inner on (s_nationkey#1 = n_nationkey#2)',
        '        Scan tpch.supplier [s_suppkey, s_nationkey]',
        '        Scan tpch.nation [n_nationkey, n_name]',
      ].join('\n'),
    );
    // Switched off, the joins keep the FROM order: part × supplier is a cross join.
    const off = optimize(plan, { disabledRules: ['join_order'] });
    expect(joinLines(off).some((l) => l.includes('Join cross'))).toBe(true);
  });

  it('keeps the column order the plan had (a projection restores it) and changes nothing else', () => {
    const tables = crossJoined([
      { table: SF1.nation, alias: 'nation' },
      { table: SF1.customer, alias: 'customer' },
    ]);
    const plan = join(
      'inner',
      scan(SF1.nation, 'nation'),
      scan(SF1.customer, 'customer'),
      eq(col(tables, 'n_nationkey'), col(tables, 'c_custkey')),
    );
    const rewritten = reorderJoins.rewrite(plan, DEFAULT_RULE_CONTEXT).plan;
    expect(rewritten.schema.map((f) => f.name)).toEqual(plan.schema.map((f) => f.name));
    expect(printPlan(rewritten)).toBe(
      [
        'Project n_nationkey#3 AS n_nationkey, n_name#4 AS n_name, c_custkey#0 AS c_custkey, c_name#1 AS c_name, c_mktsegment#2 AS c_mktsegment',
        '  Join inner on (n_nationkey#3 = c_custkey#0)',
        '    Scan tpch.customer [c_custkey, c_name, c_mktsegment]',
        '    Scan tpch.nation [n_nationkey, n_name]',
      ].join('\n'),
    );
  });

  it('does not reorder across a left join, but orders the inner joins on either side of it', () => {
    const inner = crossJoined([
      { table: SF1.nation, alias: 'nation' },
      { table: SF1.supplier, alias: 'supplier' },
    ]);
    const nationSupplier = filter(inner, eq(col(inner, 'n_nationkey'), col(inner, 's_nationkey')));
    const left = join(
      'left',
      nationSupplier,
      scan(SF1.lineitem, 'lineitem'),
      eq(column(2, 's_suppkey', BIGINT), column(6, 'l_suppkey', BIGINT)),
    );
    const out = printPlan(optimize(left));
    expect(out.split('\n')[0]).toMatch(/^Join left on/);
    expect(out).toContain('Join inner on (n_nationkey#2 = s_nationkey#1)');
    expect(out.indexOf('Scan tpch.supplier')).toBeLessThan(out.indexOf('Scan tpch.nation'));
  });

  it('joins unconnected parts with a cross join only at the end, smallest parts first', () => {
    const tables = crossJoined([
      { table: SF1.orders, alias: 'orders' },
      { table: SF1.nation, alias: 'nation' },
      { table: SF1.customer, alias: 'customer' },
    ]);
    const plan = filter(tables, eq(col(tables, 'o_custkey'), col(tables, 'c_custkey')));
    const joins = joinLines(optimize(plan));
    expect(joins).toEqual(['Join cross', 'Join inner on (o_custkey#1 = c_custkey#4)']);
  });

  it('orders more relations than the exhaustive search takes greedily, still without cross joins', () => {
    // A chain of 14 tables t0 – t1 – … – t13 given in a scrambled order, sizes growing along the chain.
    const count = 14;
    const tables = Array.from({ length: count }, (_, i) =>
      withRows(
        {
          source: 's',
          table: `t${i}`,
          sourceType: 'parquet',
          location: {},
          columns: [
            { name: `a${i}`, type: BIGINT },
            { name: `b${i}`, type: BIGINT },
          ],
        },
        1000 * (i + 1),
      ),
    );
    const order = [7, 0, 13, 3, 10, 1, 12, 5, 8, 2, 11, 4, 9, 6];
    const joined = crossJoined(order.map((i) => ({ table: tables[i], alias: `t${i}` })));
    const conditions = Array.from({ length: count - 1 }, (_, i) =>
      eq(col(joined, `b${i}`), col(joined, `a${i + 1}`)),
    );
    const plan = filter(joined, conjunction(conditions)!);
    const started = performance.now();
    const optimized = optimize(plan);
    expect(performance.now() - started).toBeLessThan(5_000);
    const joins = joinLines(optimized);
    expect(joins).toHaveLength(count - 1);
    expect(joins.every((l) => l.includes('Join inner'))).toBe(true);
  });

  it('leaves a tree of more relations than a bitmask holds in its order, without failing', () => {
    const count = 35;
    const tables = Array.from({ length: count }, (_, i) =>
      withRows(
        {
          source: 's',
          table: `t${i}`,
          sourceType: 'parquet',
          location: {},
          columns: [{ name: `k${i}`, type: BIGINT }],
        },
        1_000_000,
      ),
    );
    const joined = crossJoined(tables.map((t, i) => ({ table: t, alias: `t${i}` })));
    const conditions = tables.slice(1).map((_, i) => eq(col(joined, `k${i}`), col(joined, `k${i + 1}`)));
    const joins = joinLines(optimize(filter(joined, conjunction(conditions)!)));
    expect(joins).toHaveLength(count - 1);
    expect(joins.every((l) => l.includes('Join inner'))).toBe(true);
  });

  it('searches ten relations exhaustively within a second', () => {
    const count = 10;
    const tables = Array.from({ length: count }, (_, i) =>
      withRows(
        {
          source: 's',
          table: `t${i}`,
          sourceType: 'parquet',
          location: {},
          columns: [{ name: `k${i}`, type: BIGINT }],
        },
        100 * (i + 1),
      ),
    );
    // A star: every table joins t0 (and a few cross edges), the worst case for the subsets searched.
    const joined = crossJoined(tables.map((t, i) => ({ table: t, alias: `t${i}` })));
    const conditions = tables.slice(1).map((_, i) => eq(col(joined, 'k0'), col(joined, `k${i + 1}`)));
    const started = performance.now();
    const optimized = optimize(filter(joined, conjunction(conditions)!));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(joinLines(optimized).every((l) => l.includes('Join inner'))).toBe(true);
  });
});
