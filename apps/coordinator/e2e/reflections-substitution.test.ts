import { copyFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { TPCH_QUERIES } from '@tributary/sql/testing';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { hasOrderBy } from './sql-cases.ts';
import { TributaryClient, type SqlResult } from './tributary-client.ts';

/**
 * Reflections substituted into real queries on one cluster: a corpus run with reflections on
 * and off must both give DuckDB's answer (values, names, types); the jobs say which
 * reflections were chosen and why the others were not; a changed base file makes a
 * reflection stale, which only a query accepting data that old reads.
 */

const TABLES = ['lineitem', 'orders', 'customer', 'nation', 'supplier', 'region', 'part', 'partsupp'];
const VIEW_SQL =
  'SELECT o_orderpriority, o_orderdate, l_returnflag, l_extendedprice * (1 - l_discount) AS revenue, l_quantity ' +
  'FROM tp.lineitem JOIN tp.orders ON l_orderkey = o_orderkey';

interface Answer extends SqlResult {
  jobId: string;
  acceleration?: { reflections: string[]; dataAgeMs: number };
}

interface Relationship {
  reflectionId: string;
  reflectionName: string;
  relationship: string;
  reason?: string;
}

let folder: string;
let tributary: TributaryProcess;
let client: TributaryClient;
let oracle: DuckDbOracle;
const ids: Record<string, string> = {};

async function run(sql: string, extra: Record<string, unknown> = {}): Promise<Answer> {
  const answer = await client.request<Answer>('POST', '/api/v1/sql', { sql, context: 'tp', ...extra });
  if (answer.status !== 200) throw new Error(`${answer.status}: ${answer.text.slice(0, 1000)}\n${sql}`);
  return answer.body;
}

async function relationships(jobId: string): Promise<Relationship[]> {
  const job = await client.request<{ acceleration: { reflectionRelationships: Relationship[] } }>(
    'GET',
    `/api/v3/job/${jobId}`,
  );
  return job.body.acceleration.reflectionRelationships;
}

async function createReflection(body: Record<string, unknown>): Promise<void> {
  const answer = await client.request<{ id: string; status: string }>(
    'POST',
    '/api/v1/reflections?wait=true&waitMs=120000',
    body,
    { timeoutMs: 150_000 },
  );
  // The coordinator's log says why a build did not end.
  if (answer.status !== 201) throw new Error(`${answer.text}\n${tributary.output().slice(-4000)}`);
  expect(answer.body.status).toBe('CAN_ACCELERATE');
  ids[body.name as string] = answer.body.id;
}

beforeAll(async () => {
  // The base files in a folder of their own: the staleness test touches one.
  folder = mkdtempSync(path.join(tmpdir(), 'reflections-e2e-'));
  for (const t of TABLES)
    copyFileSync(path.join(tpchRoot, 'sf0.01', 'parquet', `${t}.parquet`), path.join(folder, `${t}.parquet`));
  // Reflections are rebuilt only on request here: the staleness test needs one to stay stale.
  tributary = await startTributary({
    executors: 2,
    sourceRoots: [dataRoot, folder],
    env: { TRIBUTARY_REFLECTION_CHECK_INTERVAL_MS: '0' },
  });
  client = new TributaryClient(() => tributary.url);
  await client.addSource({ name: 'tp', type: 'parquet', path: folder });
  expect((await client.request('POST', '/api/v1/spaces', { name: 'sp' })).status).toBe(201);
  await run(`CREATE VIEW sp.order_lines AS ${VIEW_SQL}`);
  oracle = await DuckDbOracle.open([{ schema: 'tp', format: 'parquet', folder }]);
  await oracle.run('CREATE SCHEMA sp');
  await oracle.run(`CREATE VIEW sp.order_lines AS ${VIEW_SQL}`);
  await oracle.run("SET search_path = 'tp'");
  await createReflection({
    name: 'li_agg',
    dataset: ['tp', 'lineitem'],
    type: 'AGGREGATION',
    dimensions: [
      { column: 'l_returnflag' },
      { column: 'l_linestatus' },
      { column: 'l_shipdate', granularity: 'month' },
    ],
    measures: [
      { column: 'l_quantity', functions: ['SUM', 'COUNT', 'MIN', 'MAX'] },
      { column: 'l_extendedprice', functions: ['SUM', 'COUNT'] },
    ],
  });
  await createReflection({
    name: 'li_raw',
    dataset: ['tp', 'lineitem'],
    type: 'RAW',
    displayColumns: [
      'l_orderkey',
      'l_returnflag',
      'l_linestatus',
      'l_quantity',
      'l_extendedprice',
      'l_discount',
      'l_tax',
      'l_shipdate',
    ],
    localSortBy: ['l_shipdate'],
  });
  await createReflection({
    name: 'ol_agg',
    dataset: ['sp', 'order_lines'],
    type: 'AGGREGATION',
    dimensions: [{ column: 'o_orderpriority' }, { column: 'o_orderdate', granularity: 'day' }],
    measures: [{ column: 'revenue', functions: ['SUM', 'COUNT'] }],
  });
}, 400_000);

afterAll(async () => {
  oracle?.close();
  await tributary?.dispose();
  rmSync(folder, { recursive: true, force: true });
});

/** [name, SQL, the reflection that must serve it (undefined: none may; '*': any, or none)] */
const CORPUS: [string, string, string | undefined][] = [
  ['TPC-H Q1', TPCH_QUERIES.q1, 'li_raw'],
  // Its lineitem columns are all in the raw reflection.
  ['TPC-H Q3', TPCH_QUERIES.q3, 'li_raw'],
  ['TPC-H Q6', TPCH_QUERIES.q6, 'li_raw'],
  [
    'roll-up to years with COUNT(*), COUNT, AVG, MIN, MAX',
    `SELECT l_returnflag, year(l_shipdate) AS y, count(*) AS n, count(l_quantity) AS c, sum(l_quantity) AS q,
       avg(l_extendedprice) AS a, min(l_quantity) AS lo, max(l_quantity) AS hi
     FROM lineitem GROUP BY 1, 2 ORDER BY 1, 2`,
    'li_agg',
  ],
  [
    'month roll-up with a filter on a coarser truncation',
    `SELECT date_trunc('month', l_shipdate) AS m, sum(l_extendedprice) AS s FROM lineitem
     WHERE year(l_shipdate) = 1995 AND l_linestatus = 'F' GROUP BY 1 ORDER BY 1`,
    'li_agg',
  ],
  [
    'a grand total over no rows: COUNT 0, SUM NULL',
    `SELECT count(*) AS n, sum(l_quantity) AS q, count(DISTINCT l_returnflag) AS flags FROM lineitem WHERE l_returnflag = 'X'`,
    'li_agg',
  ],
  [
    'a selective range on the raw reflection sort column',
    `SELECT l_orderkey, l_quantity FROM lineitem WHERE l_shipdate BETWEEN DATE '1994-03-01' AND DATE '1994-03-03'
     ORDER BY l_orderkey, l_quantity`,
    'li_raw',
  ],
  [
    'a view joining tables, rolled up from days to months',
    `SELECT o_orderpriority, date_trunc('month', o_orderdate) AS m, sum(revenue) AS r, count(revenue) AS c
     FROM sp.order_lines WHERE o_orderdate < DATE '1993-01-01' GROUP BY 1, 2 ORDER BY 1, 2`,
    'ol_agg',
  ],
  [
    "the view's join written on the tables, its revenue expression found among the query's",
    `SELECT o_orderpriority, sum(l_extendedprice * (1 - l_discount)) AS r, count(*) AS n
     FROM tp.lineitem JOIN tp.orders ON l_orderkey = o_orderkey
     WHERE o_orderdate >= DATE '1995-01-01' GROUP BY 1 ORDER BY 1`,
    'ol_agg',
  ],
  [
    'AVG over a view, from SUM and COUNT',
    'SELECT o_orderpriority, avg(revenue) AS a FROM sp.order_lines GROUP BY 1 ORDER BY 1',
    'ol_agg',
  ],
  [
    'COUNT DISTINCT of a measure is not derivable',
    'SELECT l_returnflag, count(DISTINCT l_quantity) AS d FROM lineitem GROUP BY 1 ORDER BY 1',
    'li_raw',
  ],
  [
    'a column no reflection holds',
    `SELECT l_shipmode, count(*) AS n FROM lineitem GROUP BY 1 ORDER BY 1`,
    undefined,
  ],
  // The rest of TPC-H: whatever planning substitutes must not change an answer.
  ...Object.entries(TPCH_QUERIES)
    .filter(([q]) => !['q1', 'q3', 'q6'].includes(q))
    .map(([q, sql]): [string, string, string] => [`TPC-H ${q.toUpperCase()}`, sql, '*']),
];

/** The TPC-H queries beyond Q1, Q3 and Q6 that a reflection served. */
const servedTpch: string[] = [];

describe('queries with reflections on and off give DuckDB answers', () => {
  for (const [name, sql, servedBy] of CORPUS) {
    it(name, async () => {
      const expected = await oracle.query(sql);
      const on = await run(sql);
      const off = await run(sql, { options: { reflections: false } });
      for (const actual of [on, off])
        expect(compareResults(actual, expected, { ordered: hasOrderBy(sql) })).toEqual([]);
      expect(off.acceleration).toBeUndefined();
      if (servedBy === undefined) expect(on.acceleration).toBeUndefined();
      else if (servedBy === '*') {
        expect(on.acceleration?.dataAgeMs ?? 0).toBe(0);
        if (on.acceleration) servedTpch.push(name);
      } else expect(on.acceleration).toEqual({ reflections: [ids[servedBy]], dataAgeMs: 0 });
    });
  }
});

describe('the rest of TPC-H', () => {
  it('is served by reflections where their lineitem columns suffice', () => {
    // li_raw holds every lineitem column Q10 and Q18 read (Q18 reads lineitem twice).
    expect(servedTpch).toEqual(expect.arrayContaining(['TPC-H Q10', 'TPC-H Q18']));
  });
});

describe('what a job records of reflections', () => {
  it('says which was chosen and why the others were not, in v3, sys.jobs and EXPLAIN', async () => {
    const sql = 'SELECT l_returnflag, sum(l_quantity) AS q FROM lineitem GROUP BY 1';
    const answer = await run(sql);
    const byName = Object.fromEntries((await relationships(answer.jobId)).map((r) => [r.reflectionName, r]));
    expect(byName.li_agg).toMatchObject({ relationship: 'CHOSEN', reflectionId: ids.li_agg });
    expect(byName.li_raw).toMatchObject({ relationship: 'MATCHED', reason: 'li_agg reads fewer rows' });
    expect(byName.ol_agg).toBeUndefined();

    const finer = await run('SELECT l_suppkey, sum(l_quantity) AS q FROM lineitem GROUP BY 1');
    const reasons = Object.fromEntries((await relationships(finer.jobId)).map((r) => [r.reflectionName, r]));
    expect(reasons.li_agg).toMatchObject({
      relationship: 'CONSIDERED',
      reason: 'grouping by l_suppkey is finer than the reflection',
    });
    expect(reasons.li_raw).toMatchObject({ relationship: 'CONSIDERED', reason: 'needs column l_suppkey' });

    const jobs = await client.sql(
      `SELECT job_id, accelerated FROM sys.jobs WHERE job_id IN ('${answer.jobId}', '${finer.jobId}') ORDER BY accelerated`,
    );
    expect(jobs.rows).toEqual([
      [finer.jobId, false],
      [answer.jobId, true],
    ]);

    const explained = String((await run(`EXPLAIN ${sql}`)).rows[0][0]);
    expect(explained).toContain('Scan $reflection.');
    expect(explained).toContain('li_agg (AGGREGATION on tp.lineitem): CHOSEN');
    expect(explained).toContain('li_raw (RAW on tp.lineitem): MATCHED: li_agg reads fewer rows');
  });
});

describe('builds', () => {
  it('read the sources, never a reflection (not even their own previous copy)', async () => {
    // li_raw is fresh and could serve its own defining query: a rebuild must not read it.
    const refreshed = await client.request<{ status: string }>(
      'POST',
      `/api/v1/reflections/${ids.li_raw}/refresh?wait=true&waitMs=120000`,
      undefined,
      { timeoutMs: 150_000 },
    );
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.status).toBe('CAN_ACCELERATE');
    // Build statements quote every name (definingSql); the corpus' queries do not.
    const builds = await client.sql(
      `SELECT count(*) AS builds, count(*) FILTER (WHERE accelerated) AS accelerated FROM sys.jobs WHERE query LIKE 'SELECT "%' AND state = 'COMPLETED'`,
    );
    const [count, accelerated] = builds.rows[0].map(Number);
    expect(count).toBeGreaterThan(Object.keys(ids).length);
    expect(accelerated).toBe(0);
  });
});

describe('stale reflections', () => {
  it('are not read once a base file changed, unless the query accepts data that old', async () => {
    const sql =
      "SELECT l_returnflag, count(*) AS n FROM lineitem WHERE l_linestatus = 'O' GROUP BY 1 ORDER BY 1";
    expect((await run(sql)).acceleration?.reflections).toEqual([ids.li_agg]);
    // The same rows, a new modification time: the fingerprint the reflections were built on no longer holds.
    const file = path.join(folder, 'lineitem.parquet');
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    const expected = await oracle.query(sql);
    const fresh = await run(sql);
    expect(compareResults(fresh, expected, { ordered: true })).toEqual([]);
    expect(fresh.acceleration).toBeUndefined();
    const reasons = await relationships(fresh.jobId);
    expect(reasons.find((r) => r.reflectionName === 'li_agg')?.reason).toMatch(/^stale by \d+ (s|min)$/);

    const allowed = await run(sql, { maxStalenessMs: 3_600_000 });
    expect(compareResults(allowed, expected, { ordered: true })).toEqual([]);
    expect(allowed.acceleration?.reflections).toEqual([ids.li_agg]);
    expect(allowed.acceleration?.dataAgeMs).toBeGreaterThan(0);
    const job = await client.request<{ acceleration: { dataAgeMs: number } }>(
      'GET',
      `/api/v1/jobs/${allowed.jobId}`,
    );
    expect(job.body.acceleration.dataAgeMs).toBe(allowed.acceleration?.dataAgeMs);

    const tooOld = await run(sql, { maxStalenessMs: 1 });
    expect(tooOld.acceleration).toBeUndefined();

    // Over pg-wire the bound is the session's setting.
    const session = new pg.Client({
      host: '127.0.0.1',
      port: tributary.pgPort,
      user: 'anyone',
      database: 'tributary',
    });
    await session.connect();
    try {
      const pgSql = (alias: string) =>
        `SELECT l_returnflag, count(*) AS ${alias} FROM tp.lineitem WHERE l_linestatus = 'O' GROUP BY 1 ORDER BY 1`;
      await session.query(pgSql('strict_n'));
      await session.query('SET tributary.max_staleness_ms = 3600000');
      expect((await session.query('SHOW tributary.max_staleness_ms')).rows).toEqual([
        { 'tributary.max_staleness_ms': '3600000' },
      ]);
      const rows = (await session.query(pgSql('lenient_n'))).rows;
      expect(rows.map((r: Record<string, unknown>) => String(r.lenient_n))).toEqual(
        expected.rows.map((r) => String(r[1])),
      );
      const accelerated = await client.sql(
        "SELECT query LIKE '%lenient_n%' AS lenient, accelerated FROM sys.jobs WHERE query LIKE 'SELECT l_returnflag, count(*) AS %_n FROM tp.lineitem%' ORDER BY 1",
      );
      expect(accelerated.rows).toEqual([
        [false, false],
        [true, true],
      ]);
    } finally {
      await session.end();
    }
  });
});
