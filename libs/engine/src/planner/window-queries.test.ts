import { describe, expect, it } from 'vitest';
import { connectorFor } from '@tributary/connectors';
import { optimize } from '@tributary/optimizer';
import { inMemoryCatalog, type CatalogView, type TableRef } from '@tributary/plan';
import { bindQuery } from '@tributary/sql';
import { collectRows, duckRows, type TestValue } from '../operators/operator-test-support.ts';
import { UnboundedMemoryPool } from '../memory/memory-pool.ts';
import { buildPhysicalPlan } from './build-physical-plan.ts';

const DIR = '/work/shared/data/tpch/sf0.01/parquet';
const roots = ['/work/shared/data'];
const TABLES = ['nation', 'region', 'supplier', 'customer', 'orders'];

let catalog: CatalogView | undefined;
async function tpchCatalog(): Promise<CatalogView> {
  if (catalog) return catalog;
  const tables: TableRef[] = [];
  for (const name of TABLES) {
    const [t] = await connectorFor('parquet').discover(`${DIR}/${name}.parquet`, {}, { roots });
    tables.push({
      source: 'tpch',
      table: name,
      sourceType: 'parquet',
      columns: t.columns,
      location: t.location,
      rowCount: t.rowCount,
    });
  }
  catalog = inMemoryCatalog(tables);
  return catalog;
}

/** Runs `sql` ({t} names tables) in this process and in DuckDB over the same Parquet files. */
async function compare(sql: string): Promise<TestValue[][]> {
  const plan0 = bindQuery(sql.replace(/\{t\}\./g, ''), await tpchCatalog(), { context: ['tpch'] });
  const plan = optimize(plan0);
  const op = buildPhysicalPlan(plan, { roots, resources: { memory: new UnboundedMemoryPool() } });
  const ours = await collectRows(op);
  const theirs = await duckRows(sql.replace(/\{t\}\.(\w+)/g, `read_parquet('${DIR}/$1.parquet')`));
  expect(ours).toEqual(theirs);
  return ours;
}

describe('window functions in process vs DuckDB', () => {
  it('ranks within partitions with ties', async () => {
    const rows = await compare(
      `SELECT c_nationkey, c_custkey, row_number() OVER (PARTITION BY c_nationkey ORDER BY c_acctbal DESC, c_custkey) AS rn,
        rank() OVER (PARTITION BY c_nationkey ORDER BY c_mktsegment) AS r,
        dense_rank() OVER (PARTITION BY c_nationkey ORDER BY c_mktsegment) AS dr,
        percent_rank() OVER (PARTITION BY c_nationkey ORDER BY c_mktsegment) AS pr,
        cume_dist() OVER (PARTITION BY c_nationkey ORDER BY c_mktsegment) AS cd,
        ntile(7) OVER (PARTITION BY c_nationkey ORDER BY c_custkey) AS nt
       FROM {t}.customer ORDER BY c_custkey`,
    );
    expect(rows.length).toBe(1500);
  });

  it('computes aggregates over ROWS and RANGE frames', async () => {
    await compare(
      `SELECT o_orderkey,
        sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey) AS running,
        sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderdate, o_orderkey ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) AS sliding,
        count(*) OVER (PARTITION BY o_orderstatus ORDER BY o_orderdate RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND INTERVAL '3 days' FOLLOWING) AS week,
        avg(o_totalprice) OVER (PARTITION BY o_orderpriority ORDER BY o_totalprice RANGE BETWEEN 100 PRECEDING AND 100 FOLLOWING) AS near,
        min(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderkey ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS mn,
        max(o_clerk) OVER (PARTITION BY o_custkey ORDER BY o_orderkey ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS mx,
        count(o_comment) OVER (ORDER BY o_orderdate DESC RANGE BETWEEN INTERVAL 1 MONTH PRECEDING AND CURRENT ROW) AS monthly
       FROM {t}.orders ORDER BY o_orderkey`,
    );
  });

  it('navigates with LAG, LEAD, FIRST_VALUE and LAST_VALUE', async () => {
    await compare(
      `SELECT o_orderkey,
        lag(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS prev,
        lead(o_orderdate, 2, DATE '1990-01-01') OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS next2,
        first_value(o_orderstatus) OVER (PARTITION BY o_custkey ORDER BY o_orderkey ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS fv,
        last_value(o_orderkey) OVER (PARTITION BY o_custkey ORDER BY o_orderkey) AS lv
       FROM {t}.orders ORDER BY o_orderkey`,
    );
  });

  it('windows over aggregates, named windows and expressions', async () => {
    await compare(
      `SELECT n_regionkey, c_nationkey, count(*) AS n,
        sum(count(*)) OVER w AS total, rank() OVER (w ORDER BY count(*) DESC, c_nationkey) + 100 AS r
       FROM {t}.customer JOIN {t}.nation ON c_nationkey = n_nationkey
       GROUP BY n_regionkey, c_nationkey
       WINDOW w AS (PARTITION BY n_regionkey)
       ORDER BY r, c_nationkey`,
    );
  });

  it('measures RANGE offsets over TIMESTAMP and DOUBLE keys', async () => {
    await compare(
      `SELECT o_orderkey,
        count(*) OVER (ORDER BY CAST(o_orderdate AS TIMESTAMP) RANGE BETWEEN INTERVAL '36 hours' PRECEDING AND INTERVAL 1 MONTH FOLLOWING) AS ts,
        sum(o_totalprice) OVER (PARTITION BY o_orderstatus ORDER BY CAST(o_totalprice AS DOUBLE) DESC RANGE BETWEEN 250.5 PRECEDING AND 10 FOLLOWING) AS dbl
       FROM {t}.orders WHERE o_orderkey % 4 = 1 ORDER BY o_orderkey`,
    );
  });

  it('gives NULLs for NULL arguments and counts them as nothing', async () => {
    await compare(
      `SELECT n_nationkey, sum(NULL) OVER () AS s, min(NULL) OVER (ORDER BY n_nationkey) AS m,
        count(NULL) OVER () AS c, lag(NULL) OVER (ORDER BY n_nationkey) AS l
       FROM {t}.nation ORDER BY n_nationkey`,
    );
  });

  it('works without FROM', async () => {
    const rows = await compare(
      `SELECT row_number() OVER () AS rn, sum(2) OVER (ORDER BY 1) AS s, lag(5) OVER () AS l`,
    );
    expect(rows).toEqual([['1', '2', null]]);
  });

  it('answers a mix of everyday window queries', async () => {
    for (const sql of [
      `SELECT o_orderkey, sum(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderkey ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
       FROM {t}.orders WHERE o_custkey < 300 ORDER BY o_orderkey`,
      `SELECT o_orderkey, avg(o_totalprice) OVER (ORDER BY o_orderdate RANGE BETWEEN INTERVAL '1' YEAR PRECEDING AND CURRENT ROW) AS yearly,
         lead(o_orderkey, 1, -1) OVER (ORDER BY o_orderkey) AS next_key, lag(o_totalprice, 1, o_totalprice) OVER (ORDER BY o_orderkey) AS prev_or_self,
         lag(o_orderkey, 0) OVER (ORDER BY o_orderkey) AS self
       FROM {t}.orders WHERE o_orderkey < 5000 ORDER BY o_orderkey`,
      `SELECT o_orderkey, first_value(o_totalprice) OVER (PARTITION BY o_custkey ORDER BY o_orderkey DESC) AS latest,
         ntile(3) OVER (ORDER BY o_totalprice DESC, o_orderkey) AS tercile, rank() OVER (ORDER BY o_orderdate DESC, o_orderpriority) AS r,
         count(*) OVER (PARTITION BY o_orderstatus, o_orderpriority) AS n, max(o_comment) OVER (PARTITION BY o_custkey) AS mc,
         sum(o_shippriority) OVER (PARTITION BY o_custkey) AS sp
       FROM {t}.orders WHERE o_custkey < 500 ORDER BY o_orderkey`,
      `SELECT o_custkey, sum(o_totalprice) OVER w / count(*) OVER w AS mean_price
       FROM {t}.orders WHERE o_custkey < 200 WINDOW w AS (PARTITION BY o_custkey) ORDER BY o_custkey, mean_price LIMIT 100`,
      `SELECT DISTINCT o_custkey, max(o_totalprice) OVER (PARTITION BY o_custkey) AS top
       FROM {t}.orders WHERE o_custkey < 400 ORDER BY o_custkey`,
      `SELECT t.k, t.r FROM (SELECT o_orderkey AS k, row_number() OVER (PARTITION BY o_orderpriority ORDER BY o_totalprice DESC, o_orderkey) AS r
         FROM {t}.orders) t WHERE t.r <= 2 ORDER BY t.k`,
      `SELECT c_custkey FROM {t}.customer ORDER BY sum(c_acctbal) OVER (PARTITION BY c_nationkey) DESC, c_custkey LIMIT 25`,
    ])
      await compare(sql);
  });
});
