import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTpch } from './generate-tpch.ts';
import { TPCH_TABLE_NAMES } from './tpch-schema.ts';
import { TPCH_QUERY_NUMBERS, tpchQuery } from './tpch-queries.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** dbgen's SF 0.01, shared beside the repository. */
const shared = path.resolve(repoRoot, '../shared/data/tpch/sf0.01');

let root: string;
let duck: DuckDBConnection;
let instance: DuckDBInstance;

async function rows(sql: string): Promise<unknown[][]> {
  return (await duck.runAndReadAll(sql)).getRowsJson() as unknown[][];
}

const file = (folder: string, table: string, format: 'csv' | 'parquet') =>
  `${format === 'csv' ? 'read_csv' : 'read_parquet'}('${path.join(folder, `${table}.${format}`)}')`;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'tpch-gen-'));
  await generateTpch({ scaleFactor: 0.01, format: 'parquet', out: path.join(root, 'parquet') });
  await generateTpch({ scaleFactor: 0.01, format: 'csv', out: path.join(root, 'csv'), workers: 0 });
  await generateTpch({ scaleFactor: 0.01, format: 'sqlite', out: path.join(root, 'sqlite'), workers: 0 });
  instance = await DuckDBInstance.create(':memory:');
  duck = await instance.connect();
  await duck.run('CREATE SCHEMA gen');
  for (const table of TPCH_TABLE_NAMES) {
    await duck.run(
      `CREATE VIEW gen.${table} AS SELECT * FROM ${file(path.join(root, 'parquet'), table, 'parquet')}`,
    );
  }
});

afterAll(() => {
  duck?.closeSync();
  instance?.closeSync();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('generateTpch at SF 0.01', () => {
  it("has dbgen's row count in every table, in every format", async () => {
    const sqlite = new Database(path.join(root, 'sqlite', 'tpch.db'), { readonly: true });
    try {
      for (const table of TPCH_TABLE_NAMES) {
        const [[expected]] = await rows(
          `SELECT count(*)::INTEGER FROM ${file(path.join(shared, 'parquet'), table, 'parquet')}`,
        );
        const [[parquet]] = await rows(`SELECT count(*)::INTEGER FROM gen.${table}`);
        const [[csv]] = await rows(
          `SELECT count(*)::INTEGER FROM ${file(path.join(root, 'csv'), table, 'csv')}`,
        );
        const inSqlite = (sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
        expect([table, parquet, csv, inSqlite]).toEqual([table, expected, expected, expected]);
      }
      // The same values in SQLite: REAL money summing to the decimals' total, TEXT dates.
      const lite = sqlite
        .prepare(
          'SELECT round(sum(l_extendedprice), 2) AS money, max(l_shipdate) AS last, sum(length(l_comment)) AS text FROM lineitem',
        )
        .get() as { money: number; last: string; text: number };
      const [[money, last, text]] = await rows(
        "SELECT sum(l_extendedprice)::DOUBLE, strftime(max(l_shipdate), '%Y-%m-%d'), sum(length(l_comment))::INTEGER FROM gen.lineitem",
      );
      expect([lite.money, lite.last, lite.text]).toEqual([money, last, text]);
    } finally {
      sqlite.close();
    }
  });

  it('writes the column names and DuckDB types of the shared Parquet and CSV files', async () => {
    for (const format of ['parquet', 'csv'] as const) {
      for (const table of TPCH_TABLE_NAMES) {
        const expected = await rows(
          `DESCRIBE SELECT * FROM ${file(path.join(shared, format), table, format)}`,
        );
        const actual = await rows(`DESCRIBE SELECT * FROM ${file(path.join(root, format), table, format)}`);
        expect(
          actual.map((r) => `${r[0]} ${r[1]}`),
          `${format} ${table}`,
        ).toEqual(expected.map((r) => `${r[0]} ${r[1]}`));
      }
    }
  });

  it('creates the SQLite tables of the shared tpch.db', () => {
    const schema = (dbFile: string) => {
      const db = new Database(dbFile, { readonly: true });
      try {
        return db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
      } finally {
        db.close();
      }
    };
    expect(schema(path.join(root, 'sqlite', 'tpch.db'))).toEqual(
      schema(path.join(shared, 'sqlite', 'tpch.db')),
    );
  });

  it('writes Parquet row groups of at most 122,880 rows, snappy-compressed', async () => {
    const meta = await rows(
      `SELECT DISTINCT compression FROM parquet_metadata('${path.join(root, 'parquet', 'lineitem.parquet')}')`,
    );
    expect(meta).toEqual([['SNAPPY']]);
  });

  it('has the same data in every format', async () => {
    const csv = path.join(root, 'csv');
    for (const table of TPCH_TABLE_NAMES) {
      const [[differences]] = await rows(
        `SELECT count(*)::INTEGER FROM (SELECT * FROM gen.${table} EXCEPT ALL SELECT * FROM ${file(csv, table, 'csv')})`,
      );
      expect([table, differences]).toEqual([table, 0]);
    }
  });

  it('keeps every foreign key inside its table', async () => {
    const orphans = await rows(`SELECT
      (SELECT count(*) FROM gen.lineitem WHERE l_orderkey NOT IN (SELECT o_orderkey FROM gen.orders))::INTEGER,
      (SELECT count(*) FROM gen.lineitem l WHERE NOT EXISTS
        (SELECT 1 FROM gen.partsupp WHERE ps_partkey = l.l_partkey AND ps_suppkey = l.l_suppkey))::INTEGER,
      (SELECT count(*) FROM gen.orders WHERE o_custkey NOT IN (SELECT c_custkey FROM gen.customer))::INTEGER,
      (SELECT count(*) FROM gen.partsupp WHERE ps_partkey NOT IN (SELECT p_partkey FROM gen.part))::INTEGER,
      (SELECT count(*) FROM gen.partsupp WHERE ps_suppkey NOT IN (SELECT s_suppkey FROM gen.supplier))::INTEGER,
      (SELECT count(*) FROM gen.customer WHERE c_nationkey NOT IN (SELECT n_nationkey FROM gen.nation))::INTEGER,
      (SELECT count(*) FROM gen.supplier WHERE s_nationkey NOT IN (SELECT n_nationkey FROM gen.nation))::INTEGER,
      (SELECT count(*) FROM gen.nation WHERE n_regionkey NOT IN (SELECT r_regionkey FROM gen.region))::INTEGER,
      (SELECT count(*) - count(DISTINCT (ps_partkey, ps_suppkey)) FROM gen.partsupp)::INTEGER,
      (SELECT count(*) - count(DISTINCT (l_orderkey, l_linenumber)) FROM gen.lineitem)::INTEGER,
      (SELECT count(*) FROM gen.orders o WHERE NOT EXISTS (SELECT 1 FROM gen.lineitem WHERE l_orderkey = o.o_orderkey))::INTEGER`);
    expect(orphans).toEqual([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]);
  });

  it('draws every column from its domain (clause 4.2.3)', async () => {
    const violations = await rows(`SELECT
      (SELECT count(*) FROM gen.lineitem WHERE l_shipdate >= l_receiptdate OR l_shipdate > DATE '1998-12-31'
        OR l_receiptdate > DATE '1998-12-31' + 151 OR l_quantity NOT BETWEEN 1 AND 50
        OR l_discount NOT BETWEEN 0.00 AND 0.10 OR l_tax NOT BETWEEN 0.00 AND 0.08
        OR l_linenumber NOT BETWEEN 1 AND 7)::INTEGER,
      (SELECT count(*) FROM gen.lineitem JOIN gen.orders ON l_orderkey = o_orderkey
        WHERE l_shipdate NOT BETWEEN o_orderdate + 1 AND o_orderdate + 121
           OR l_commitdate NOT BETWEEN o_orderdate + 30 AND o_orderdate + 90
           OR l_receiptdate NOT BETWEEN l_shipdate + 1 AND l_shipdate + 30)::INTEGER,
      (SELECT count(*) FROM gen.lineitem WHERE l_returnflag <>
         CASE WHEN l_receiptdate > DATE '1995-06-17' THEN 'N' ELSE l_returnflag END
         OR l_returnflag NOT IN ('R', 'A', 'N')
         OR l_linestatus <> CASE WHEN l_shipdate > DATE '1995-06-17' THEN 'O' ELSE 'F' END)::INTEGER,
      (SELECT count(*) FROM gen.lineitem JOIN gen.part ON l_partkey = p_partkey
        WHERE l_extendedprice <> l_quantity * p_retailprice)::INTEGER,
      (SELECT count(*) FROM gen.orders WHERE o_orderdate NOT BETWEEN DATE '1992-01-01' AND DATE '1998-08-02'
        OR o_orderpriority NOT IN ('1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW')
        OR o_clerk NOT SIMILAR TO 'Clerk#[0-9]{9}' OR o_custkey % 3 = 0 OR o_shippriority <> 0
        OR length(o_comment) NOT BETWEEN 19 AND 78)::INTEGER,
      (SELECT count(*) FROM (SELECT o_orderkey, o_orderstatus, o_totalprice,
          CASE WHEN bool_and(l_linestatus = 'F') THEN 'F' WHEN bool_and(l_linestatus = 'O') THEN 'O' ELSE 'P' END AS status,
          sum(round(l_extendedprice * (1 - l_discount) * (1 + l_tax), 2)) AS total
        FROM gen.orders JOIN gen.lineitem ON l_orderkey = o_orderkey GROUP BY ALL)
        WHERE o_orderstatus <> status OR o_totalprice <> total)::INTEGER,
      (SELECT count(*) FROM gen.customer WHERE c_acctbal NOT BETWEEN -999.99 AND 9999.99
        OR c_phone <> (c_nationkey + 10)::VARCHAR || substr(c_phone, 3) OR c_phone NOT SIMILAR TO '[0-9]{2}-[0-9]{3}-[0-9]{3}-[0-9]{4}'
        OR c_mktsegment NOT IN ('AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY')
        OR c_name <> 'Customer#' || lpad(c_custkey::VARCHAR, 9, '0') OR length(c_address) NOT BETWEEN 10 AND 40)::INTEGER,
      (SELECT count(*) FROM gen.part WHERE p_retailprice <> (90000 + (p_partkey // 10) % 20001 + 100 * (p_partkey % 1000)) / 100
        OR p_size NOT BETWEEN 1 AND 50 OR p_brand NOT SIMILAR TO 'Brand#[1-5][1-5]'
        OR substr(p_brand, 7, 1) <> substr(p_mfgr, 14, 1)
        OR len(list_distinct(string_split(p_name, ' '))) <> 5
        OR p_type NOT SIMILAR TO '(STANDARD|SMALL|MEDIUM|LARGE|ECONOMY|PROMO) (ANODIZED|BURNISHED|PLATED|POLISHED|BRUSHED) (TIN|NICKEL|BRASS|STEEL|COPPER)'
        OR p_container NOT SIMILAR TO '(SM|LG|MED|JUMBO|WRAP) (CASE|BOX|BAG|JAR|PKG|PACK|CAN|DRUM)')::INTEGER,
      (SELECT count(*) FROM gen.partsupp WHERE ps_availqty NOT BETWEEN 1 AND 9999
        OR ps_supplycost NOT BETWEEN 1.00 AND 1000.00)::INTEGER`);
    expect(violations).toEqual([[0, 0, 0, 0, 0, 0, 0, 0, 0]]);
  });

  it('spreads values over their domains', async () => {
    const [[flags, modes, instructs, types, containers, years, segments]] = await rows(`SELECT
      (SELECT count(DISTINCT l_returnflag)::INTEGER FROM gen.lineitem),
      (SELECT count(DISTINCT l_shipmode)::INTEGER FROM gen.lineitem),
      (SELECT count(DISTINCT l_shipinstruct)::INTEGER FROM gen.lineitem),
      (SELECT count(DISTINCT p_type)::INTEGER FROM gen.part),
      (SELECT count(DISTINCT p_container)::INTEGER FROM gen.part),
      (SELECT count(DISTINCT year(o_orderdate))::INTEGER FROM gen.orders),
      (SELECT count(DISTINCT c_mktsegment)::INTEGER FROM gen.customer)`);
    expect([flags, modes, instructs, types, containers, years, segments]).toEqual([3, 7, 4, 150, 40, 7, 5]);
    // A third of the customers have no orders; Q13 needs '%special%requests%' in some comments.
    const [[withOrders, specialRequests]] = await rows(`SELECT
      (SELECT count(DISTINCT o_custkey)::INTEGER FROM gen.orders),
      (SELECT count(*)::INTEGER FROM gen.orders WHERE o_comment LIKE '%special%requests%')`);
    expect(withOrders).toBeLessThanOrEqual(1000);
    expect(withOrders).toBeGreaterThan(900);
    expect(specialRequests).toBeGreaterThan(50);
  });

  it('injects "Customer … Complaints" into about 5 in 10,000 supplier comments', async () => {
    // SF 1's suppliers are 10,000: the injection is drawn per row, so any range shows it.
    const { generateGroup } = await import('./generate-tables.ts');
    const [suppliers] = generateGroup({ group: 'supplier', scaleFactor: 1, start: 0, end: 10_000 });
    const comments = suppliers.columns[6] as string[];
    const complaints = comments.filter((c) => /Customer.*Complaints/.test(c)).length;
    const recommends = comments.filter((c) => /Customer.*Recommends/.test(c)).length;
    expect(complaints).toBeGreaterThan(0);
    expect(complaints).toBeLessThan(15);
    expect(recommends).toBeGreaterThan(0);
    expect(comments.every((c) => c.length >= 25 && c.length <= 100)).toBe(true);
  });

  it('is deterministic: the same scale factor gives the same bytes, whatever the threads', async () => {
    const again = path.join(root, 'csv-again');
    await generateTpch({ scaleFactor: 0.01, format: 'csv', out: again, workers: 2 });
    const parquetAgain = path.join(root, 'parquet-again');
    await generateTpch({ scaleFactor: 0.01, format: 'parquet', out: parquetAgain, workers: 0 });
    for (const table of TPCH_TABLE_NAMES) {
      for (const [first, second] of [
        [path.join(root, 'csv', `${table}.csv`), path.join(again, `${table}.csv`)],
        [path.join(root, 'parquet', `${table}.parquet`), path.join(parquetAgain, `${table}.parquet`)],
      ]) {
        expect(readFileSync(first).equals(readFileSync(second)), second).toBe(true);
      }
    }
  });

  it('runs the 22 TPC-H queries on DuckDB over the generated files, most of them returning rows', async () => {
    await duck.run('SET search_path = gen');
    const empty: number[] = [];
    for (const n of TPCH_QUERY_NUMBERS) {
      const result = await rows(tpchQuery(n));
      if (result.length === 0) empty.push(n);
    }
    expect(empty.length, `empty: ${empty.join(', ')}`).toBeLessThanOrEqual(2);
  });
});
