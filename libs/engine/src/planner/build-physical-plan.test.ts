import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DOUBLE, VARCHAR, decimal } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  filter,
  join,
  limit,
  literal,
  project,
  scan,
  sort,
  type LogicalPlan,
  type TableRef,
} from '@tributary/plan';
import { connectorFor } from '@tributary/connectors';
import { collectRows, duckRows } from '../operators/operator-test-support.ts';
import { buildPhysicalPlan } from './build-physical-plan.ts';
import { explainPhysical } from './explain-physical.ts';

const DIR = '/work/shared/data/tpch/sf0.01/parquet';
const roots = ['/work/shared/data'];

async function tpch(name: string): Promise<TableRef> {
  const [t] = await connectorFor('parquet').discover(`${DIR}/${name}.parquet`, {}, { roots });
  return {
    source: 'tpch',
    table: name,
    sourceType: 'parquet',
    columns: t.columns,
    location: t.location,
    rowCount: t.rowCount,
  };
}

function col(t: TableRef, name: string, offset = 0, columns?: readonly number[]) {
  const tableIndex = t.columns.findIndex((c) => c.name === name);
  const index = columns ? columns.indexOf(tableIndex) : tableIndex;
  return column(index + offset, name, t.columns[tableIndex].type);
}

/** customer ⋈ orders, grouped by market segment, ordered, limited. */
async function segmentPlan(joinType: 'inner' | 'left'): Promise<LogicalPlan> {
  const customer = await tpch('customer');
  const orders = await tpch('orders');
  const c = scan(customer, 'customer');
  const o = scan(orders, 'orders');
  const n = customer.columns.length;
  const joined = join(
    joinType,
    c,
    o,
    call('eq', [col(customer, 'c_custkey'), col(orders, 'o_custkey', n)], BOOLEAN),
  );
  const filtered = filter(
    joined,
    call('neq', [col(customer, 'c_mktsegment'), literal('BUILDING', VARCHAR)], BOOLEAN),
  );
  const grouped = aggregate(
    filtered,
    [col(customer, 'c_mktsegment')],
    [
      { fn: 'count', arg: col(orders, 'o_orderkey', n), distinct: false, type: BIGINT },
      { fn: 'sum', arg: col(orders, 'o_totalprice', n), distinct: false, type: decimal(38, 2) },
      { fn: 'avg', arg: col(customer, 'c_acctbal'), distinct: false, type: DOUBLE },
    ],
    ['segment', 'orders', 'total', 'balance'],
  );
  return limit(
    sort(grouped, [{ expr: column(1, 'orders', BIGINT), ascending: false, nullsFirst: false }]),
    3,
    1,
  );
}

const segmentSql = (
  joinType: string,
) => `SELECT c_mktsegment, count(o_orderkey) AS orders, sum(o_totalprice), avg(c_acctbal)
  FROM '${DIR}/customer.parquet' ${joinType} JOIN '${DIR}/orders.parquet' ON c_custkey = o_custkey
  WHERE c_mktsegment <> 'BUILDING' GROUP BY c_mktsegment ORDER BY orders DESC LIMIT 3 OFFSET 1`;

function closeRows(actual: unknown[][], expected: unknown[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) =>
    row.forEach((v, c) =>
      typeof v === 'number'
        ? expect(v).toBeCloseTo(expected[r][c] as number, 9)
        : expect(v).toEqual(expected[r][c]),
    ),
  );
}

describe('buildPhysicalPlan', () => {
  it('plans and runs a join, aggregate and top-n over TPC-H parquet like DuckDB', async () => {
    for (const type of ['inner', 'left'] as const) {
      const op = buildPhysicalPlan(await segmentPlan(type), { roots });
      closeRows(await collectRows(op), await duckRows(segmentSql(type)));
    }
  });

  it('runs a TPC-H Q1-like aggregate over sf0.1 lineitem parquet like DuckDB', async () => {
    const file = '/work/shared/data/tpch/sf0.1/parquet/lineitem.parquet';
    const [t] = await connectorFor('parquet').discover(file, {}, { roots });
    const lineitem: TableRef = {
      source: 'tpch',
      table: 'lineitem',
      sourceType: 'parquet',
      columns: t.columns,
      location: t.location,
      rowCount: t.rowCount,
    };
    const used = [
      'l_returnflag',
      'l_linestatus',
      'l_quantity',
      'l_extendedprice',
      'l_discount',
      'l_shipdate',
    ].map((n) => lineitem.columns.findIndex((c) => c.name === n));
    const c = (name: string) => col(lineitem, name, 0, used);
    const shipdate = lineitem.columns[used[5]].type;
    const cutoff = literal(10471 /* 1998-09-02 */, shipdate);
    const s = scan(lineitem, 'lineitem', used, [call('lte', [col(lineitem, 'l_shipdate'), cutoff], BOOLEAN)]);
    const sumType = (name: string) => {
      const type =
        lineitem.columns[
          used[['l_returnflag', 'l_linestatus', 'l_quantity', 'l_extendedprice'].indexOf(name)]
        ].type;
      return type.kind === 'DECIMAL' ? decimal(38, type.scale) : type;
    };
    const plan = sort(
      aggregate(
        s,
        [c('l_returnflag'), c('l_linestatus')],
        [
          { fn: 'sum', arg: c('l_quantity'), distinct: false, type: sumType('l_quantity') },
          { fn: 'sum', arg: c('l_extendedprice'), distinct: false, type: sumType('l_extendedprice') },
          { fn: 'avg', arg: c('l_discount'), distinct: false, type: DOUBLE },
          { fn: 'count_star', arg: null, distinct: false, type: BIGINT },
        ],
        ['l_returnflag', 'l_linestatus', 'sum_qty', 'sum_price', 'avg_disc', 'count_order'],
      ),
      [
        { expr: column(0, 'l_returnflag', VARCHAR), ascending: true, nullsFirst: false },
        { expr: column(1, 'l_linestatus', VARCHAR), ascending: true, nullsFirst: false },
      ],
    );
    const started = performance.now();
    const rows = await collectRows(buildPhysicalPlan(plan, { roots }));
    console.log(`Q1-like over sf0.1 parquet: ${(performance.now() - started).toFixed(0)} ms`);
    const expected =
      await duckRows(`SELECT l_returnflag, l_linestatus, sum(l_quantity), sum(l_extendedprice), avg(l_discount), count(*)
      FROM '${file}' WHERE l_shipdate <= DATE '1998-09-02' GROUP BY ALL ORDER BY ALL`);
    expect(rows.length).toBe(4);
    closeRows(rows, expected);
  });

  it('builds on the smaller side, swapping and reordering columns', async () => {
    const op = buildPhysicalPlan(await segmentPlan('left'), { roots });
    const text = explainPhysical(op);
    // customer (1500 rows) LEFT JOIN orders (15000): orders becomes the probe side of a RIGHT join.
    expect(text.split('\n').map((line) => line.replace(/^(\s*\w+).*$/, '$1'))).toEqual([
      'TopN',
      '  HashAggregate',
      '    Filter',
      '      Project',
      '        HashJoin',
      '          Scan',
      '          Scan',
    ]);
    expect(text).toContain('HashJoin right keys=[o_custkey#1 = c_custkey#0]');
    expect(text).toContain('Scan parquet tpch.orders');
    expect(text.split('\n')[0]).toBe('TopN orders#1 DESC NULLS LAST limit=3 offset=1');
  });

  it('builds a semi or anti join on its left input when that is the smaller, with the same rows', async () => {
    const customer = await tpch('customer');
    const orders = await tpch('orders');
    const n = customer.columns.length;
    // Customers with (semi) or without (anti) an order of over 400,000; orders of such customers.
    const bigOrder = filter(
      scan(orders, 'orders'),
      call('gt', [col(orders, 'o_totalprice'), literal(40_000_000, decimal(15, 2))], BOOLEAN),
    );
    const byCustomer = (type: 'semi' | 'anti') =>
      join(
        type,
        scan(customer, 'customer'),
        bigOrder,
        call('eq', [col(customer, 'c_custkey'), col(orders, 'o_custkey', n)], BOOLEAN),
      );
    for (const type of ['semi', 'anti'] as const) {
      const op = buildPhysicalPlan(byCustomer(type), { roots });
      // customer (1,500 rows) is estimated smaller than the orders over 400,000.
      expect(explainPhysical(op).split('\n')[0]).toBe(
        `HashJoin ${type} keys=[c_custkey#0 = o_custkey#1] build=left`,
      );
      const rows = await collectRows(op);
      const expected = await duckRows(
        `SELECT c_custkey FROM '${DIR}/customer.parquet' WHERE ${type === 'anti' ? 'NOT ' : ''}EXISTS ` +
          `(SELECT 1 FROM '${DIR}/orders.parquet' WHERE o_custkey = c_custkey AND o_totalprice > 400000) ORDER BY 1`,
      );
      expect(rows.map((r) => Number(r[0])).sort((x, y) => x - y)).toEqual(expected.map((r) => Number(r[0])));
    }
    // Orders tested against customers: the right input is the smaller, and the table is built there.
    const ordersOfCustomers = join(
      'semi',
      scan(orders, 'orders'),
      scan(customer, 'customer'),
      call('eq', [col(orders, 'o_custkey'), col(customer, 'c_custkey', orders.columns.length)], BOOLEAN),
    );
    expect(explainPhysical(buildPhysicalPlan(ordersOfCustomers, { roots })).split('\n')[0]).toBe(
      'HashJoin semi keys=[o_custkey#1 = c_custkey#0]',
    );
  });

  it('fuses a filter into the projection above it', async () => {
    const nation = await tpch('nation');
    const s = scan(nation, 'nation');
    const plan = project(
      filter(
        s,
        call('gt', [col(nation, 'n_nationkey'), literal(20, col(nation, 'n_nationkey').type)], BOOLEAN),
      ),
      [col(nation, 'n_name')],
      ['n_name'],
    );
    const fused = buildPhysicalPlan(plan, { roots });
    expect(fused.name).toBe('FilterProject');
    expect((await collectRows(fused)).length).toBe(4);
    expect(await collectRows(buildPhysicalPlan(limit(plan, 1), { roots }))).toHaveLength(1);
    // Without roots every file is refused, not read.
    await expect(collectRows(buildPhysicalPlan(plan))).rejects.toMatchObject({ code: 'PATH_NOT_ALLOWED' });
  });
});
