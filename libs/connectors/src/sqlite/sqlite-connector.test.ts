import Database from 'better-sqlite3';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BOOLEAN, DATE, DOUBLE, VARCHAR, typeToString } from '@tributary/common';
import { call, column, literal, type Expr, type TableRef } from '@tributary/plan';
import type { ScanContext, ScanRequest } from '../connector.ts';
import {
  collect,
  columnSum,
  confinedFolders,
  discoveredTableRef,
  expectNotAllowed,
  rowCount,
  swapForSymlink,
  valueAt,
} from '../test-support.ts';
import { buildSqliteScan } from './build-sqlite-scan.ts';
import { SqliteConnector } from './sqlite-connector.ts';

const TPCH = '/work/shared/data/tpch/sf0.01/sqlite/tpch.db';
const connector = new SqliteConnector();
const roots = ['/work/shared/data', tmpdir()];
const context: ScanContext = { roots };

async function tables(path: string): Promise<TableRef[]> {
  const found = await connector.discover(path, {}, { roots });
  return found.map((t) => discoveredTableRef(t, 'sqlite'));
}

function request(columns: number[], filters: Expr[] = [], limit: number | null = null): ScanRequest {
  return { columns, filters, limit };
}

async function scanAll(t: TableRef, req: ScanRequest, targetSplits = 1) {
  const splits = await connector.planSplits(t, req, targetSplits, context);
  const batches = [];
  for (const split of splits) batches.push(...(await collect(connector.scan(t, split, req, context))));
  return { splits, batches };
}

const day = (text: string) => literal(Math.round(Date.parse(text) / 86_400_000), DATE);

let tmp: string;
let lineitem: TableRef;
const oracle = new Database(TPCH, { readonly: true });

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sqlite-test-'));
  lineitem = (await tables(TPCH)).find((t) => t.table === 'lineitem')!;
});

describe('SqliteConnector', () => {
  it('reads integers beyond 2^53 exactly, leaves BLOB columns and broken views out', async () => {
    const file = join(tmp, 'big.db');
    const db = new Database(file);
    db.exec(`CREATE TABLE t (v INTEGER, data BLOB, u, name TEXT);
      CREATE TABLE gone (x INTEGER); CREATE VIEW broken AS SELECT x FROM gone; DROP TABLE gone;
      INSERT INTO t VALUES (9007199254740993, x'00ff', 9223372036854775807, 'a'), (-9223372036854775808, NULL, 1, 'b'), (42, x'01', NULL, NULL);`);
    db.close();
    const found = await tables(file);
    expect(found.map((x) => x.table)).toEqual(['t']); // the broken view is skipped
    const [t] = found;
    expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'v BIGINT',
      'u BIGINT',
      'name VARCHAR',
    ]);
    expect(t.unsupportedColumns).toEqual([{ name: 'data', type: 'BLOB' }]);
    const { batches } = await scanAll(t, request([0, 1, 2]));
    expect([0, 1, 2].map((r) => valueAt(batches, r, 0))).toEqual([
      9007199254740993n,
      -9223372036854775808n,
      42n,
    ]);
    expect([0, 1, 2].map((r) => valueAt(batches, r, 1))).toEqual([9223372036854775807n, 1n, null]);
    expect(valueAt(batches, 1, 2)).toBe('b');
  });

  it('discovers tables with types from declarations and samples (TEXT dates → DATE)', async () => {
    const all = await tables(TPCH);
    expect(all.map((t) => t.table)).toEqual([
      'customer',
      'lineitem',
      'nation',
      'orders',
      'part',
      'partsupp',
      'region',
      'supplier',
    ]);
    expect(lineitem.rowCount).toBe(60_175);
    expect(lineitem.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'l_orderkey BIGINT',
      'l_partkey BIGINT',
      'l_suppkey BIGINT',
      'l_linenumber BIGINT',
      'l_quantity DOUBLE',
      'l_extendedprice DOUBLE',
      'l_discount DOUBLE',
      'l_tax DOUBLE',
      'l_returnflag VARCHAR',
      'l_linestatus VARCHAR',
      'l_shipdate DATE',
      'l_commitdate DATE',
      'l_receiptdate DATE',
      'l_shipinstruct VARCHAR',
      'l_shipmode VARCHAR',
      'l_comment VARCHAR',
    ]);
  });

  it('scans with the sums SQLite itself computes', async () => {
    const { batches } = await scanAll(lineitem, request([0, 5, 10, 15]));
    const expected = oracle
      .prepare(
        `SELECT count(*) n, sum(l_orderkey) k, sum(l_extendedprice) p, sum(CAST(julianday(l_shipdate) - 2440587.5 AS INTEGER)) d,
                sum(length(CAST(l_comment AS BLOB))) b FROM lineitem`,
      )
      .get() as { n: number; k: number; p: number; d: number; b: number };
    expect(rowCount(batches)).toBe(expected.n);
    expect(columnSum(batches, 0, lineitem.columns[0])).toBe(expected.k);
    expect(columnSum(batches, 1, lineitem.columns[5])).toBeCloseTo(expected.p, 2);
    expect(columnSum(batches, 2, lineitem.columns[10])).toBe(expected.d);
    expect(columnSum(batches, 3, lineitem.columns[15])).toBe(expected.b);
    expect(valueAt(batches, 0, 3)).toBe('egular courts above the');
    expect(valueAt(batches, 0, 2)).toBe(Date.UTC(1996, 2, 13));
  });

  it('pushes simple filters and the limit as SQL with bound parameters', async () => {
    const t = lineitem;
    const c = (i: number) => column(i, t.columns[i].name, t.columns[i].type);
    const filters: Expr[] = [
      call('gte', [c(10), day('1994-01-01')], BOOLEAN),
      call('lt', [c(10), day('1995-01-01')], BOOLEAN),
      {
        kind: 'in-list',
        expr: c(8),
        list: [literal('A', VARCHAR), literal("R'; DROP TABLE x; --", VARCHAR)],
        negated: false,
        type: BOOLEAN,
      },
      call(
        'or',
        [
          call('lt', [c(6), literal(0.05, DOUBLE)], BOOLEAN),
          { kind: 'is-null', expr: c(7), negated: false, type: BOOLEAN },
        ],
        BOOLEAN,
      ),
      {
        kind: 'like',
        expr: c(15),
        pattern: literal('%final%', VARCHAR),
        negated: false,
        caseInsensitive: false,
        type: BOOLEAN,
      },
    ];
    expect(filters.map((f) => connector.filterSupport(t, f))).toEqual([
      'exact',
      'exact',
      'exact',
      'exact',
      'unsupported',
    ]);
    const pushed = buildSqliteScan(t, request([0, 6], filters.slice(0, 4), 100), { info: {} });
    expect(pushed.sql).toBe(
      'SELECT CASE WHEN typeof("l_orderkey") = \'integer\' AND ("l_orderkey" > 9007199254740991 OR "l_orderkey" < -9007199254740991) THEN CAST("l_orderkey" AS TEXT) ELSE "l_orderkey" END, "l_discount" FROM "lineitem" WHERE "l_shipdate" >= ? AND "l_shipdate" < ? AND "l_returnflag" COLLATE BINARY IN (?, ?) AND ("l_discount" < ? OR "l_tax" IS NULL) LIMIT ?',
    );
    expect(pushed.params).toEqual(['1994-01-01', '1995-01-01', 'A', "R'; DROP TABLE x; --", 0.05, 100]);
    // With an unsupported filter the limit stays with the engine.
    expect(buildSqliteScan(t, request([0], filters, 100), { info: {} }).sql).not.toContain('LIMIT');

    const { batches } = await scanAll(t, request([0, 6], filters.slice(0, 4)));
    const { n } = oracle
      .prepare(
        "SELECT count(*) n FROM lineitem WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' AND l_returnflag IN ('A') AND (l_discount < 0.05 OR l_tax IS NULL)",
      )
      .get() as { n: number };
    expect(n).toBeGreaterThan(100);
    expect(rowCount(batches)).toBe(n);
    const limited = await scanAll(t, request([0], filters.slice(0, 4), 7));
    expect(rowCount(limited.batches)).toBe(7);
    const counted = await scanAll(t, request([], filters.slice(0, 2)));
    expect(counted.batches.every((b) => b.numCols === 0)).toBe(true);
    expect(rowCount(counted.batches)).toBe(
      (
        oracle
          .prepare(
            "SELECT count(*) n FROM lineitem WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01'",
          )
          .get() as { n: number }
      ).n,
    );
  });

  it('cuts big tables into rowid ranges that cover every row once; views and WITHOUT ROWID tables are one split', async () => {
    const file = join(tmp, 'big.db');
    const db = new Database(file);
    db.exec(
      'CREATE TABLE big (id INTEGER PRIMARY KEY, v REAL, s TEXT); CREATE VIEW big_view AS SELECT id, s FROM big WHERE id % 2 = 0;',
    );
    db.exec(
      "CREATE TABLE kv (k TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID; INSERT INTO kv VALUES ('a', 1), ('b', NULL);",
    );
    const insert = db.prepare('INSERT INTO big (id, v, s) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 250_000; i++) insert.run(i * 3, i / 4, i % 10 === 0 ? null : `s${i}`);
    })();
    db.exec('DELETE FROM big WHERE id BETWEEN 1000 AND 90000');
    db.close();
    const found = await tables(file);
    const byName = (name: string) => found.find((t) => t.table === name)!;
    const { splits, batches } = await scanAll(byName('big'), request([0, 1, 2]), 4);
    expect(splits).toHaveLength(4);
    const check = new Database(file, { readonly: true });
    const expected = check.prepare('SELECT count(*) n, sum(id) k, sum(v) v, count(s) s FROM big').get() as {
      n: number;
      k: number;
      v: number;
      s: number;
    };
    expect(rowCount(batches)).toBe(expected.n);
    expect(columnSum(batches, 0, byName('big').columns[0])).toBe(expected.k);
    expect(columnSum(batches, 1, byName('big').columns[1])).toBe(expected.v);
    expect(batches.reduce((n, b) => n + b.numRows - b.getChildAt(2)!.nullCount, 0)).toBe(expected.s);
    expect((await connector.planSplits(byName('big_view'), request([0]), 4, context)).length).toBe(1);
    const kvScan = await scanAll(byName('kv'), request([1, 0]), 4);
    expect(kvScan.splits).toHaveLength(1);
    expect([
      valueAt(kvScan.batches, 0, 0),
      valueAt(kvScan.batches, 1, 0),
      valueAt(kvScan.batches, 1, 1),
    ]).toEqual([1n, null, 'b']);
    check.close();
  });

  it('quotes identifiers and reports a value that does not fit its column with its rowid', async () => {
    const file = join(tmp, 'odd.db');
    const db = new Database(file);
    db.exec(
      'CREATE TABLE "we""ird" ("a b" INTEGER, "c" TEXT); INSERT INTO "we""ird" VALUES (1, \'x\'), (2, \'y\'), (\'oops\', \'z\');',
    );
    db.close();
    const [t] = await tables(file);
    expect(t.table).toBe('we"ird');
    const ok = await scanAll(
      t,
      request([1, 0], [call('eq', [column(1, 'c', VARCHAR), literal('y', VARCHAR)], BOOLEAN)]),
    );
    expect(rowCount(ok.batches)).toBe(1);
    expect(valueAt(ok.batches, 0, 1)).toBe(2n);
    await expect(scanAll(t, request([0]))).rejects.toMatchObject({
      code: 'SQLITE_VALUE_INVALID',
      message: expect.stringMatching(
        /"oops" of column "a b" of SQLite table "we"ird" of database ".*" \(rowid 3\)/,
      ),
    });
  });

  it('refuses non-database files and paths out of the roots', async () => {
    const bad = join(tmp, 'bad.db');
    await writeFile(bad, 'this is not a database, just text that is long enough to have a header........');
    await expect(connector.discover(bad, {}, { roots })).rejects.toMatchObject({
      code: 'SOURCE_FILE_INVALID',
      message: expect.stringContaining(bad),
    });
    const link = join(tmp, 'link.db');
    await symlink(TPCH, link);
    await expect(connector.discover(link, {}, { roots: [tmp] })).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
  });
});

describe('SqliteConnector confinement at scan time', () => {
  /** A database at `file` holding table t(x) with the given values. */
  function database(file: string, values: number[]): void {
    const db = new Database(file);
    db.exec(`CREATE TABLE t (x INTEGER); INSERT INTO t VALUES ${values.map((v) => `(${v})`).join(', ')};`);
    db.close();
  }
  async function registered(file: string, context: ScanContext): Promise<TableRef> {
    const [t] = await connector.discover(file, {}, context);
    return { source: 's', table: t.name, sourceType: 'sqlite', columns: t.columns, location: t.location };
  }
  const scanWhole = (t: TableRef, context: ScanContext) =>
    collect(connector.scan(t, { info: {} }, request([0]), context));
  /** Planning cuts tables this big into rowid ranges, which reads the database. */
  const big = (t: TableRef): TableRef => ({ ...t, rowCount: 1_000_000 });

  it('refuses a registered database since swapped for a symlink out of the roots, naming only the path', async () => {
    const { root, outside, context } = await confinedFolders();
    const file = join(root, 'a.db');
    database(file, [1, 2]);
    database(join(outside, 'secret.db'), [42]);
    const t = await registered(file, context);
    expect(rowCount(await scanWhole(t, context))).toBe(2);
    await swapForSymlink(file, join(outside, 'secret.db'));
    await expectNotAllowed(scanWhole(t, context), file, outside);
    await expectNotAllowed(connector.planSplits(big(t), request([0]), 4, context), file, outside);
  });

  it('refuses a hand-made location outside the roots before opening it', async () => {
    const { root, context } = await confinedFolders();
    database(join(root, 'a.db'), [1]);
    const t = await registered(join(root, 'a.db'), context);
    const passwd: TableRef = { ...t, location: { ...t.location, database: '/etc/passwd' } };
    // Opened, /etc/passwd would fail as "not a database": refused, it never got that far.
    await expectNotAllowed(scanWhole(passwd, context), '/etc/passwd');
    await expectNotAllowed(connector.planSplits(big(passwd), request([0]), 4, context), '/etc/passwd');
  });

  it('still reads through a symlink that stays inside the roots', async () => {
    const { root, context } = await confinedFolders();
    const file = join(root, 'a.db');
    database(file, [1, 2]);
    database(join(root, 'b.db'), [7, 8, 9]);
    const t = await registered(file, context);
    await swapForSymlink(file, join(root, 'b.db'));
    const batches = await scanWhole(t, context);
    expect(columnSum(batches, 0, t.columns[0])).toBe(24);
    expect(await connector.planSplits(big(t), request([0]), 4, context)).not.toHaveLength(0);
  });
});
