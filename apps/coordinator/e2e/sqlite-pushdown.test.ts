import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { hasOrderBy } from './sql-cases.ts';
import { TributaryClient, type SqlResult } from './tributary-client.ts';

/**
 * SQLite pushdown end to end: aggregates, joins and ORDER BY … LIMIT run inside SQLite's
 * statement (EXPLAIN shows each scan's SQL), on one executor and on two with every join
 * shuffled, and the answers are DuckDB's over the same rows, and the same with the three
 * pushdown rules switched off. The TPC-H file is one split per table at SF 0.01, so a
 * generated table of 150,000 rows (split by rowid ranges) checks that partial aggregates
 * and per-split top rows merge right.
 */
const TPCH_SQLITE = path.join(tpchRoot, 'sf0.01', 'sqlite', 'tpch.db');
const PUSHDOWN_RULES = [
  'push_join_into_sqlite_scan',
  'push_aggregate_into_sqlite_scan',
  'push_top_n_into_sqlite_scan',
];

interface PushdownCase {
  readonly name: string;
  readonly sql: string;
  /** What EXPLAIN must show was pushed: text each plan must contain. */
  readonly pushed: readonly string[];
  /** Order keys for ties, when the query orders (compareResults' orderKeys). */
  readonly orderKeys?: number[];
}

/** A scan of gen.big is cut into several rowid-range splits, read by several tasks. */
const SEVERAL_SPLITS = /Stage \d+: ([2-9]|\d\d+) tasks, one per split group/;

const CASES: PushdownCase[] = [
  {
    name: 'TPC-H Q1 aggregate (sums, averages, counts) over a filtered lineitem',
    sql: `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
        sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
        sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
        avg(l_quantity) AS avg_qty, avg(l_discount) AS avg_disc, count(*) AS count_order
      FROM tsql.lineitem WHERE l_shipdate <= DATE '1998-09-02'
      GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus`,
    pushed: ['partial-aggregate', 'GROUP BY'],
  },
  {
    name: 'global count, min and max of dates and text, count of a column',
    sql: `SELECT count(*) AS n, min(o_orderdate) AS first, max(o_orderdate) AS last, min(o_clerk) AS clerk,
        max(o_comment) AS comment, count(o_orderpriority) AS priorities, min(o_totalprice) AS cheapest
      FROM tsql.orders WHERE o_orderstatus = 'F'`,
    pushed: ['partial-aggregate'],
  },
  {
    name: 'sum and avg of integer columns (as sums of 32-bit halves) per group',
    sql: `SELECT l_linenumber, sum(l_partkey) AS parts, avg(l_suppkey) AS supp, count(l_orderkey) AS n
      FROM tsql.lineitem GROUP BY l_linenumber ORDER BY l_linenumber`,
    pushed: ['partial-aggregate', 'SUM('],
  },
  {
    name: 'three-table join aggregated by nation',
    sql: `SELECT n_name, count(*) AS orders, sum(o_totalprice) AS total, max(o_orderdate) AS latest
      FROM tsql.orders, tsql.customer, tsql.nation
      WHERE o_custkey = c_custkey AND c_nationkey = n_nationkey AND o_orderdate >= DATE '1995-01-01'
      GROUP BY n_name ORDER BY n_name`,
    pushed: ['join tsql.customer', 'join tsql.nation', 'partial-aggregate'],
  },
  {
    name: 'join with filters on both sides, top rows by a key',
    sql: `SELECT o_orderkey, c_name, o_totalprice FROM tsql.orders JOIN tsql.customer ON o_custkey = c_custkey
      WHERE c_acctbal > 9000 AND o_orderpriority = '1-URGENT'
      ORDER BY o_totalprice DESC, o_orderkey LIMIT 15`,
    pushed: ['join tsql.customer', 'ORDER BY', 'LIMIT'],
  },
  {
    name: 'ORDER BY … LIMIT with OFFSET over lineitem',
    sql: `SELECT l_orderkey, l_linenumber, l_extendedprice, l_shipdate FROM tsql.lineitem
      ORDER BY l_extendedprice DESC, l_orderkey, l_linenumber LIMIT 10 OFFSET 5`,
    pushed: ['orderBy=', 'LIMIT'],
  },
  {
    name: 'text ORDER BY ascending (bytewise) with a LIMIT',
    sql: `SELECT c_name, c_phone FROM tsql.customer ORDER BY c_phone, c_name LIMIT 7`,
    pushed: ['orderBy=', 'LIMIT'],
  },
  {
    name: 'partial aggregates of rowid-range splits merge (150,000 rows)',
    sql: `SELECT grp, count(*) AS n, count(v) AS nv, sum(v) AS sv, avg(v) AS av, min(v) AS lo, max(v) AS hi,
        sum(k) AS sk, min(label) AS first_label, max(day) AS last_day
      FROM gen.big GROUP BY grp ORDER BY grp`,
    pushed: ['partial-aggregate'],
  },
  {
    name: 'a global aggregate over splits, with a filter that leaves some splits empty',
    sql: `SELECT count(*) AS n, sum(v) AS sv, min(k) AS lo, max(k) AS hi, avg(k) AS ak FROM gen.big WHERE k > 140000`,
    pushed: ['partial-aggregate'],
  },
  {
    name: 'per-split top rows with NULLs last ascending (SQLite puts them first)',
    sql: `SELECT k, v FROM gen.big ORDER BY v, k LIMIT 12`,
    pushed: ['orderBy=', 'LIMIT'],
  },
  {
    name: 'per-split top rows descending with NULLS FIRST',
    sql: `SELECT k, v FROM gen.big ORDER BY v DESC NULLS FIRST, k LIMIT 12`,
    pushed: ['orderBy=', 'LIMIT'],
  },
  {
    name: 'integer sums beyond 64 bits (HUGEINT) merge exactly from 32-bit halves',
    sql: `SELECT g, sum(x) AS s, avg(x) AS a, count(x) AS n, min(x) AS lo, max(x) AS hi FROM gen.huge GROUP BY g ORDER BY g`,
    pushed: ['partial-aggregate', '>> 32'],
  },
  {
    name: 'a join pushed into a split table, aggregated, each split joining its rowid range',
    sql: `SELECT title, count(*) AS n, sum(v) AS sv, min(day) AS first_day FROM gen.big JOIN gen.groups ON big.grp = groups.grp
      WHERE k > 1000 GROUP BY title ORDER BY title`,
    pushed: ['join gen.groups', 'partial-aggregate', 'FROM "big" AS t0, "groups" AS t1'],
  },
  {
    name: 'identifiers with quotes, semicolons, brackets, spaces and unicode, and a value that looks like SQL',
    sql: `SELECT "na me", count(*) AS n, sum("co""l; ]x ö") AS s, max("co""l; ]x ö") AS m
      FROM gen."we""ird; ]tbl ü" WHERE "na me" <> 'x' GROUP BY "na me" ORDER BY "na me"`,
    pushed: ['partial-aggregate', 'FROM "we""ird; ]tbl ü" AS t0'],
  },
  {
    name: 'a NOCASE column still groups and orders bytewise, as DuckDB',
    sql: `SELECT label, count(*) AS n, min(label) AS m FROM gen.big GROUP BY label ORDER BY label`,
    pushed: ['partial-aggregate', 'COLLATE BINARY'],
  },
];

let folder: string;
let generated: string;
let oracle: DuckDbOracle;

/** 150,000 rows: NULLs in v, a NOCASE text column with case variants, ISO dates. */
function writeGenerated(file: string): void {
  const db = new Database(file);
  db.exec(`CREATE TABLE big (k INTEGER, grp INTEGER, v REAL, label TEXT COLLATE NOCASE, day TEXT);
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000)
    INSERT INTO big SELECT i, i % 7, CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 1000) * 0.25 - 50 END,
      CASE i % 4 WHEN 0 THEN 'apple' WHEN 1 THEN 'Apple' WHEN 2 THEN 'banana' ELSE 'Banana' END,
      date('2020-01-01', '+' || (i % 900) || ' days') FROM n;
    CREATE TABLE groups (grp INTEGER, title TEXT);
    INSERT INTO groups SELECT value, 'group ' || value FROM (SELECT 0 AS value UNION ALL SELECT 1 UNION ALL SELECT 2
      UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5);
    CREATE TABLE huge (g INTEGER, x INTEGER);
    INSERT INTO huge VALUES (1, 9223372036854775807), (1, 9223372036854775806), (1, 9223372036854775000),
      (2, -9223372036854775808), (2, -9223372036854775807), (2, 5), (3, NULL), (3, 9007199254740993);
    CREATE TABLE "we""ird; ]tbl ü" ("co""l; ]x ö" INTEGER, "na me" TEXT);
    INSERT INTO "we""ird; ]tbl ü" SELECT i, CASE WHEN i % 3 = 0 THEN '''; DROP TABLE groups; --' ELSE 'ü ' || (i % 3) END
      FROM (SELECT k AS i FROM big WHERE k <= 30);`);
  db.close();
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'sqlite-pushdown-'));
  generated = path.join(folder, 'gen.db');
  writeGenerated(generated);
  oracle = await DuckDbOracle.open([
    { schema: 'tsql', format: 'sqlite', file: TPCH_SQLITE },
    { schema: 'gen', format: 'sqlite', file: generated },
  ]);
});

afterAll(() => {
  oracle?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

const CLUSTERS: { executors: number; env: Record<string, string> }[] = [
  { executors: 1, env: {} },
  { executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '0' } },
];

/** The generated database's bytes: no query may change them. */
function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

for (const cluster of CLUSTERS)
  describe(`SQLite pushdown on ${cluster.executors} executor(s) ${JSON.stringify(cluster.env)}`, () => {
    let service: TributaryProcess | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

    async function run(sql: string, disabledRules: readonly string[] = []): Promise<SqlResult> {
      const answer = await client.request<SqlResult>('POST', '/api/v1/sql', {
        sql,
        options: { disabledRules },
      });
      if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text.slice(0, 1500)}\n${sql}`);
      return answer.body;
    }

    let hashBefore = '';

    beforeAll(async () => {
      hashBefore = fileHash(generated);
      service = await startTributary({
        executors: cluster.executors,
        sourceRoots: [dataRoot, folder],
        env: cluster.env,
      });
      await client.addSource({ name: 'tsql', type: 'sqlite', path: TPCH_SQLITE });
      await client.addSource({ name: 'gen', type: 'sqlite', path: generated });
    });

    afterAll(async () => {
      await service?.dispose();
    });

    for (const c of CASES)
      it(c.name, async () => {
        const plan = (await run(`EXPLAIN ${c.sql}`)).rows.map((r) => String(r[0])).join('\n');
        for (const text of c.pushed) expect(plan, plan).toContain(text);
        if (c.sql.includes('gen.big')) expect(plan).toMatch(SEVERAL_SPLITS);
        const expected = await oracle.query(c.sql);
        const options = { ordered: hasOrderBy(c.sql), ...(c.orderKeys ? { orderKeys: c.orderKeys } : {}) };
        const pushed = await run(c.sql);
        expect(compareResults(pushed, expected, options), 'pushed').toEqual([]);
        const unpushed = await run(c.sql, PUSHDOWN_RULES);
        expect(compareResults(unpushed, expected, options), 'not pushed').toEqual([]);
        const unpushedPlan = (await run(`EXPLAIN ${c.sql}`, PUSHDOWN_RULES)).rows
          .map((r) => String(r[0]))
          .join('\n');
        expect(unpushedPlan).not.toContain('partial-aggregate');
        expect(unpushedPlan).not.toContain('orderBy=');
      });

    it('after every query: left the database file and its other tables untouched', async () => {
      expect((await run('SELECT count(*) AS n FROM gen.groups')).rows).toEqual([['6']]);
      expect(fileHash(generated)).toBe(hashBefore);
    });
  });
