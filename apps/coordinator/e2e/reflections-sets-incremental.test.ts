import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { TPCH_QUERIES } from '@tributary/sql/testing';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { hasOrderBy } from './sql-cases.ts';
import { TributaryClient, type SqlResult } from './tributary-client.ts';

/**
 * Reflections on one cluster of two executors (shuffles forced): a view's join served however
 * a query writes it (as sets: comma joins, other orders, extra filters, extra relations on
 * top), incremental refresh by a refresh field on a single CSV file and a SQLite table
 * (append, refresh, answers vs DuckDB; a shrink rebuilds in full), and two builds at once.
 */

interface Answer extends SqlResult {
  jobId: string;
  acceleration?: { reflections: string[]; dataAgeMs: number };
}

interface ReflectionBody {
  id: string;
  status: string;
  buildingJobId?: string;
  refreshMethod: string;
  refreshField: string | null;
  materialization: { id: string; rows: number; incremental: boolean } | null;
}

const TPCH = path.join(tpchRoot, 'sf0.01');
const ORDER_LINES =
  'SELECT o_orderpriority, o_orderdate, l_extendedprice, l_quantity FROM tp.lineitem JOIN tp.orders ON l_orderkey = o_orderkey';
/** Every column but the comments: TPC-H's queries over lineitem ⨝ orders can all read it. */
const LINES_ORDERS = 'SELECT * FROM tp.lineitem JOIN tp.orders ON l_orderkey = o_orderkey';
const LINES_ORDERS_COLUMNS = [
  ...['l_orderkey', 'l_partkey', 'l_suppkey', 'l_linenumber', 'l_quantity', 'l_extendedprice', 'l_discount'],
  ...[
    'l_tax',
    'l_returnflag',
    'l_linestatus',
    'l_shipdate',
    'l_commitdate',
    'l_receiptdate',
    'l_shipinstruct',
  ],
  ...[
    'l_shipmode',
    'o_custkey',
    'o_orderstatus',
    'o_totalprice',
    'o_orderdate',
    'o_orderpriority',
    'o_clerk',
  ],
  'o_shippriority',
];
const BIG_LINES =
  'SELECT o_orderkey, o_custkey, o_orderdate, l_quantity, l_extendedprice FROM tp.orders JOIN tp.lineitem ON o_orderkey = l_orderkey WHERE l_quantity > 45';

let folder: string;
let csvFolder: string;
let sqliteFile: string;
let gate: string;
let tributary: TributaryProcess;
let client: TributaryClient;
let oracle: DuckDbOracle;
const ids: Record<string, string> = {};

async function run(sql: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  const answer = await client.request<Answer>('POST', '/api/v1/sql', { sql, ...extra });
  if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text.slice(0, 1000)}\n${sql}`);
  return answer.body;
}

async function reflection(id: string): Promise<ReflectionBody> {
  return (await client.request<ReflectionBody>('GET', `/api/v1/reflections/${id}`)).body;
}

async function createReflection(body: Record<string, unknown>): Promise<ReflectionBody> {
  const answer = await client.request<ReflectionBody>(
    'POST',
    '/api/v1/reflections?wait=true&waitMs=120000',
    body,
    { timeoutMs: 150_000 },
  );
  if (answer.status !== 201) throw new Error(`${answer.text}\n${tributary.output().slice(-4000)}`);
  expect(answer.body.status).toBe('CAN_ACCELERATE');
  ids[body.name as string] = answer.body.id;
  return answer.body;
}

async function refresh(id: string): Promise<ReflectionBody> {
  const answer = await client.request<ReflectionBody>(
    'POST',
    `/api/v1/reflections/${id}/refresh?wait=true&waitMs=120000`,
    undefined,
    { timeoutMs: 150_000 },
  );
  if (answer.status !== 200) throw new Error(`${answer.text}\n${tributary.output().slice(-4000)}`);
  expect(answer.body.status).toBe('CAN_ACCELERATE');
  return answer.body;
}

/** The query with reflections on and off against DuckDB; the reflections the first read. */
async function bothWays(
  sql: string,
  expectedFrom: DuckDbOracle = oracle,
  context?: string,
): Promise<string[]> {
  const expected = await expectedFrom.query(sql);
  const on = await run(sql, context ? { context } : {});
  const off = await run(sql, { options: { reflections: false }, ...(context ? { context } : {}) });
  for (const actual of [on, off])
    expect(compareResults(actual, expected, { ordered: hasOrderBy(sql) }), sql).toEqual([]);
  expect(off.acceleration).toBeUndefined();
  return on.acceleration?.reflections ?? [];
}

beforeAll(async () => {
  folder = mkdtempSync(path.join(tmpdir(), 'reflections-sets-'));
  csvFolder = path.join(folder, 'csv');
  gate = path.join(folder, 'build-gate');
  // A single CSV file holding the first orders; the rest is appended by the test.
  const [header, ...lines] = readFileSync(path.join(TPCH, 'csv', 'orders.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  mkdirSync(csvFolder);
  writeFileSync(path.join(csvFolder, 'orders.csv'), `${[header, ...lines.slice(0, 10_000)].join('\n')}\n`);
  writeFileSync(path.join(folder, 'orders-rest.csv'), `${lines.slice(10_000).join('\n')}\n`);
  sqliteFile = path.join(folder, 'tpch.db');
  copyFileSync(path.join(TPCH, 'sqlite', 'tpch.db'), sqliteFile);
  tributary = await startTributary({
    executors: 2,
    sourceRoots: [dataRoot, folder],
    env: {
      TRIBUTARY_REFLECTION_CHECK_INTERVAL_MS: '0',
      TRIBUTARY_BROADCAST_ROW_LIMIT: '0',
      TRIBUTARY_REFLECTION_BUILD_GATE: gate,
    },
  });
  client = new TributaryClient(() => tributary.url);
  await client.addSource({ name: 'tp', type: 'parquet', path: path.join(TPCH, 'parquet') });
  await client.addSource({ name: 'grow', type: 'csv', path: path.join(csvFolder, 'orders.csv') });
  await client.addSource({ name: 'lite', type: 'sqlite', path: sqliteFile });
  expect((await client.request('POST', '/api/v1/spaces', { name: 'sp' })).status).toBe(201);
  await run(`CREATE VIEW sp.order_lines AS ${ORDER_LINES}`);
  await run(`CREATE VIEW sp.big_lines AS ${BIG_LINES}`);
  await run(`CREATE VIEW sp.lines_orders AS ${LINES_ORDERS}`);
  oracle = await DuckDbOracle.open([
    { schema: 'tp', format: 'parquet', folder: path.join(TPCH, 'parquet') },
    { schema: 'grow', format: 'csv', folder: csvFolder, tables: ['orders'] },
  ]);
  await oracle.run('CREATE SCHEMA sp');
  await oracle.run(`CREATE VIEW sp.order_lines AS ${ORDER_LINES}`);
  await oracle.run(`CREATE VIEW sp.big_lines AS ${BIG_LINES}`);
  await oracle.run(`CREATE VIEW sp.lines_orders AS ${LINES_ORDERS}`);
  // TPC-H's queries name tables bare (context tp); the rest qualify every name.
  await oracle.run("SET search_path = 'tp'");
  await createReflection({
    name: 'big_raw',
    dataset: ['sp', 'big_lines'],
    type: 'RAW',
    displayColumns: ['o_orderkey', 'o_custkey', 'o_orderdate', 'l_quantity', 'l_extendedprice'],
  });
  await createReflection({
    name: 'lo_raw',
    dataset: ['sp', 'lines_orders'],
    type: 'RAW',
    displayColumns: LINES_ORDERS_COLUMNS,
  });
  await createReflection({
    name: 'ol_agg',
    dataset: ['sp', 'order_lines'],
    type: 'AGGREGATION',
    dimensions: [{ column: 'o_orderpriority' }, { column: 'o_orderdate', granularity: 'month' }],
    measures: [{ column: 'l_extendedprice', functions: ['SUM', 'COUNT'] }],
  });
}, 400_000);

afterAll(async () => {
  oracle?.close();
  await tributary?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

describe("a view's join served however the query writes it", () => {
  const CASES: [string, string, string | undefined][] = [
    [
      'a comma join, the condition in WHERE the other way round',
      `SELECT o_orderdate, sum(l_quantity) AS q, count(*) AS n FROM tp.lineitem, tp.orders
       WHERE l_orderkey = o_orderkey AND l_quantity > 45 AND o_orderdate < DATE '1993-01-01' GROUP BY 1 ORDER BY 1`,
      'big_raw',
    ],
    [
      'one more relation joined on top, on a column the view gives',
      `SELECT c_name, o_orderdate, l_quantity FROM tp.lineitem, tp.customer, tp.orders
       WHERE c_custkey = o_custkey AND l_orderkey = o_orderkey AND l_quantity > 45 AND c_mktsegment = 'BUILDING'
       ORDER BY 1, 2, 3`,
      'big_raw',
    ],
    [
      'two more relations, joins written in another order',
      `SELECT n_name, count(*) AS n, sum(l_extendedprice) AS s FROM tp.nation
       JOIN tp.customer ON n_nationkey = c_nationkey JOIN tp.orders ON c_custkey = o_custkey
       JOIN tp.lineitem ON o_orderkey = l_orderkey WHERE l_quantity > 45 GROUP BY 1 ORDER BY 1`,
      'big_raw',
    ],
    [
      'an aggregate over a comma join filtered on a dimension',
      `SELECT o_orderpriority, year(o_orderdate) AS y, sum(l_extendedprice) AS s, avg(l_extendedprice) AS a
       FROM tp.orders, tp.lineitem WHERE o_orderkey = l_orderkey AND o_orderpriority IN ('1-URGENT', '2-HIGH')
       GROUP BY 1, 2 ORDER BY 1, 2`,
      'ol_agg',
    ],
    [
      "a query without big_lines' filter is served by the view without it",
      `SELECT o_orderdate, count(*) AS n FROM tp.orders, tp.lineitem WHERE o_orderkey = l_orderkey
       AND o_custkey < 20 GROUP BY 1 ORDER BY 1`,
      'lo_raw',
    ],
  ];
  for (const [name, sql, servedBy] of CASES)
    it(name, async () => {
      const used = await bothWays(sql);
      expect(used).toEqual(servedBy === undefined ? [] : [ids[servedBy]]);
    });
});

describe("TPC-H with a raw reflection on lineitem ⨝ orders: whatever it serves, DuckDB's answers", () => {
  const served: string[] = [];
  // Those reading both (the others cannot use it; the substitution suite runs them all).
  const both = Object.entries(TPCH_QUERIES).filter(
    ([, sql]) => /\borders\b/.test(sql) && /\blineitem\b/.test(sql),
  );
  for (const [q, sql] of both)
    it(q, async () => {
      if ((await bothWays(sql, oracle, 'tp')).includes(ids.lo_raw)) served.push(q);
    });
  it('serves those joining the two on the order key, however they write it', () => {
    // Q3, Q5, Q7 and Q10 join more relations on top; Q12 is a comma join with extra filters.
    expect(served).toEqual(expect.arrayContaining(['q3', 'q5', 'q7', 'q10', 'q12']));
  });
});

describe('incremental refresh by a refresh field', () => {
  it('a single CSV file appended to: only the new rows are read and appended, answers as DuckDB', async () => {
    await run('ALTER TABLE grow.orders REFRESH METHOD INCREMENTAL BY o_orderkey');
    const created = await createReflection({
      name: 'grow_raw',
      dataset: ['grow', 'orders'],
      type: 'RAW',
      displayColumns: ['o_orderkey', 'o_custkey', 'o_orderdate', 'o_totalprice'],
    });
    expect(created).toMatchObject({ refreshMethod: 'INCREMENTAL', refreshField: 'o_orderkey' });
    expect(created.materialization).toMatchObject({ rows: 10_000, incremental: false });
    const sql =
      'SELECT o_orderkey, o_orderdate, o_totalprice FROM grow.orders WHERE o_custkey < 40 ORDER BY 1';
    expect(await bothWays(sql)).toEqual([ids.grow_raw]);

    appendFileSync(path.join(csvFolder, 'orders.csv'), readFileSync(path.join(folder, 'orders-rest.csv')));
    const refreshed = await refresh(ids.grow_raw);
    expect(refreshed.materialization).toMatchObject({ rows: 15_000, incremental: true });
    expect(await bothWays(sql)).toEqual([ids.grow_raw]);
    // The build read the rows above the mark only.
    const builds = await client.sql(
      `SELECT row_count FROM sys.jobs WHERE query LIKE 'SELECT "o_orderkey"%"grow"."orders" WHERE "o_orderkey" > %' AND state = 'COMPLETED'`,
    );
    expect(builds.rows.map((r) => Number(r[0]))).toEqual([5_000]);
  });

  it('a SQLite table: rows added above are appended to an aggregation; rows removed rebuild it in full', async () => {
    await createReflection({
      name: 'lite_agg',
      dataset: ['lite', 'orders'],
      type: 'AGGREGATION',
      dimensions: [{ column: 'o_orderstatus' }, { column: 'o_orderpriority' }],
      measures: [{ column: 'o_totalprice', functions: ['SUM', 'COUNT', 'MAX'] }],
      refreshField: 'o_orderkey',
    });
    const sql =
      'SELECT o_orderstatus, count(*) AS n, sum(o_totalprice) AS s, max(o_totalprice) AS hi FROM lite.orders GROUP BY 1 ORDER BY 1';
    const sqliteOracle = async () =>
      DuckDbOracle.open([{ schema: 'lite', format: 'sqlite', file: sqliteFile }]);
    const write = (statement: string) => {
      const db = new Database(sqliteFile);
      try {
        db.exec(statement);
      } finally {
        db.close();
      }
    };
    write(
      `INSERT INTO orders SELECT o_orderkey + 1000000, o_custkey, 'N', o_totalprice * 2, o_orderdate, o_orderpriority,
         o_clerk, o_shippriority, o_comment FROM orders WHERE o_orderkey < 3000`,
    );
    let expected = await sqliteOracle();
    try {
      const appended = await refresh(ids.lite_agg);
      expect(appended.materialization?.incremental).toBe(true);
      expect(await bothWays(sql, expected)).toEqual([ids.lite_agg]);
    } finally {
      expected.close();
    }
    write('DELETE FROM orders WHERE o_orderkey < 100');
    expected = await sqliteOracle();
    try {
      const rebuilt = await refresh(ids.lite_agg);
      expect(rebuilt.materialization?.incremental).toBe(false);
      expect(await bothWays(sql, expected)).toEqual([ids.lite_agg]);
      expect(tributary.output()).toContain('lite_agg: a full build, as its dataset no longer has');
    } finally {
      expected.close();
    }
  });
});

describe('concurrent builds', () => {
  it('two reflections build at once, each its own job, while a user query still runs', async () => {
    writeFileSync(gate, '');
    try {
      await run('ALTER TABLE tp.part CREATE RAW REFLECTION part_raw USING DISPLAY (p_partkey, p_size)');
      await run(
        'ALTER TABLE tp.supplier CREATE AGGREGATE REFLECTION supp_agg USING DIMENSIONS (s_nationkey) MEASURES (s_acctbal (SUM))',
      );
      const listed = async (dataset: string) =>
        (
          await client.request<{ reflections: ReflectionBody[] }>(
            'GET',
            `/api/v1/reflections?dataset=${dataset}`,
          )
        ).body.reflections[0];
      const part = await listed('tp.part');
      const supp = await listed('tp.supplier');
      const deadline = Date.now() + 60_000;
      let both: ReflectionBody[] = [];
      while (Date.now() < deadline) {
        both = await Promise.all([reflection(part.id), reflection(supp.id)]);
        if (both.every((r) => r.buildingJobId !== undefined) && existsSync(`${gate}.reached`)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Both held at the gate after writing their files: two builds running at once.
      expect(both.map((r) => r.status)).toEqual(['REFRESHING', 'REFRESHING']);
      expect(new Set(both.map((r) => r.buildingJobId)).size).toBe(2);
      expect(existsSync(`${gate}.reached`)).toBe(true);
      expect(await bothWays('SELECT r_name FROM tp.region ORDER BY 1')).toEqual([]);
      rmSync(gate);
      for (const id of [part.id, supp.id]) {
        const end = Date.now() + 60_000;
        let r = await reflection(id);
        while (r.status !== 'CAN_ACCELERATE' && Date.now() < end) {
          await new Promise((resolve) => setTimeout(resolve, 100));
          r = await reflection(id);
        }
        expect(r.status).toBe('CAN_ACCELERATE');
      }
      expect(
        await bothWays('SELECT s_nationkey, sum(s_acctbal) AS s FROM tp.supplier GROUP BY 1 ORDER BY 1'),
      ).toEqual([supp.id]);
    } finally {
      rmSync(gate, { force: true });
    }
  });
});
