import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateTpch, TPCH_TABLE_NAMES } from '@tributary/tpch';
import { compareResults } from '@tributary/common/testing';
import { dataRoot, repoRoot, startTributary } from '../e2e/harness.ts';
import { TributaryClient, type SqlResult } from '../e2e/tributary-client.ts';
import { SqlPoster } from './post-sql.ts';
import { lineitemByPart, selectiveSql } from './selective-query.ts';

/**
 * `npm run bench:reflections [-- --sf 1] [--runs 5] [--data <folder>]`: what reflections buy,
 * measured in one run on one cluster (as `npm start`: a coordinator and 2 executors) over
 * TPC-H Parquet (generated under `.tributary/bench-data/sf<sf>/parquet` when missing):
 * - a dashboard aggregate, revenue by nation and month over lineitem ⨝ orders ⨝ customer ⨝
 *   nation (a view), with an aggregation reflection on the view (nation, month) vs without;
 * - a selective query, one part's line items, with a raw reflection of lineitem sorted by
 *   l_partkey vs without (the base files are in l_orderkey order: every row group is read).
 * Each query runs `--runs` times with reflections and as many with `options.reflections:
 * false`, alternating in blocks of BLOCK runs, after one warm-up each whose answers must agree,
 * timed to the answer's last byte (node:http, SqlPoster); medians and their ratio are printed,
 * with the load average before and after (the machine is shared).
 */

const SOURCE = 'bench';
const SPACE = 'bench_dash';
const VIEW_SQL = `SELECT n_name, o_orderdate, l_extendedprice * (1 - l_discount) AS revenue
  FROM ${SOURCE}.lineitem
  JOIN ${SOURCE}.orders ON l_orderkey = o_orderkey
  JOIN ${SOURCE}.customer ON o_custkey = c_custkey
  JOIN ${SOURCE}.nation ON c_nationkey = n_nationkey`;

const CASES = [
  {
    name: 'dashboard: revenue by nation and month (aggregation reflection)',
    sql: `SELECT n_name, date_trunc('month', o_orderdate) AS month, sum(revenue) AS revenue
      FROM ${SPACE}.revenue GROUP BY 1, 2 ORDER BY 1, 2`,
  },
  {
    name: "selective: one part's line items (raw reflection sorted by l_partkey)",
    sql: selectiveSql(SOURCE),
  },
];

/**
 * Timed runs come in blocks of this many each way, alternating: each query is timed as a
 * dashboard repeats it (the first of a block follows the other query's block), and both meet
 * the same drift of a shared machine.
 */
const BLOCK = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sf: { type: 'string', default: '1' },
      runs: { type: 'string', default: '5' },
      data: { type: 'string' },
    },
  });
  const sf = Number(values.sf);
  if (!(sf > 0)) throw new Error(`--sf takes a positive number, not ${values.sf}`);
  const runs = Math.max(1, Number(values.runs));
  const folder = path.resolve(
    values.data ?? path.join(repoRoot, '.tributary', 'bench-data', `sf${values.sf}`, 'parquet'),
  );
  if (!TPCH_TABLE_NAMES.every((t) => existsSync(path.join(folder, `${t}.parquet`)))) {
    console.log(`generating TPC-H SF ${sf} as parquet into ${folder}`);
    await generateTpch({ scaleFactor: sf, format: 'parquet', out: folder });
  }
  console.log(`TPC-H SF ${sf} parquet (${folder}); ${runs} timed run(s) each way; load average ${load()}`);

  const tributary = await startTributary({ sourceRoots: [dataRoot, folder], readyTimeoutMs: 120_000 });
  const client = new TributaryClient(() => tributary.url);
  const poster = new SqlPoster();
  try {
    await client.addSource({ name: SOURCE, type: 'parquet', path: folder });
    await client.sql(`CREATE SPACE ${SPACE}`);
    await client.sql(`CREATE VIEW ${SPACE}.revenue AS ${VIEW_SQL}`);
    const build = async (name: string, body: Record<string, unknown>) => {
      const started = performance.now();
      const answer = await client.request<{ status: string; materialization?: { rows: number } }>(
        'POST',
        '/api/v1/reflections?wait=true&waitMs=1800000',
        { name, ...body },
        { timeoutMs: 1_900_000 },
      );
      if (answer.status !== 201 || answer.body.status !== 'CAN_ACCELERATE')
        throw new Error(`reflection ${name}: ${answer.status} ${answer.text.slice(0, 500)}`);
      console.log(
        `built ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s (${answer.body.materialization?.rows} rows)`,
      );
    };
    await build('revenue_by_nation_month', {
      dataset: [SPACE, 'revenue'],
      type: 'AGGREGATION',
      dimensions: [{ column: 'n_name' }, { column: 'o_orderdate', granularity: 'month' }],
      measures: [{ column: 'revenue', functions: ['SUM'] }],
    });
    const { name, ...byPart } = lineitemByPart(SOURCE);
    await build(name, byPart);

    const rows: string[] = [];
    for (const c of CASES) {
      const run = async (reflections: boolean) => {
        const body = { sql: c.sql, ...(reflections ? {} : { options: { reflections: false } }) };
        const started = performance.now();
        const answer = await poster.post(tributary.url, body);
        const ms = performance.now() - started;
        if (answer.status !== 200)
          throw new Error(`${c.name}: ${answer.status} ${answer.text.slice(0, 500)}`);
        return { ms, answer: JSON.parse(answer.text) as SqlResult & { acceleration?: unknown } };
      };
      const withWarm = await run(true);
      const withoutWarm = await run(false);
      if (!withWarm.answer.acceleration) throw new Error(`${c.name}: no reflection served it`);
      const problems = compareResults(withWarm.answer, withoutWarm.answer, { ordered: true });
      if (problems.length > 0)
        throw new Error(`${c.name}: answers differ: ${problems.slice(0, 3).join('; ')}`);
      const on: number[] = [];
      const off: number[] = [];
      for (let i = 0; i < runs; i += BLOCK) {
        const block = Math.min(BLOCK, runs - i);
        for (let j = 0; j < block; j++) on.push((await run(true)).ms);
        for (let j = 0; j < block; j++) off.push((await run(false)).ms);
      }
      const [a, b] = [median(on), median(off)];
      rows.push(
        `${c.name}\n  with ${a.toFixed(0)} ms, without ${b.toFixed(0)} ms (medians of ${runs}): ${(b / a).toFixed(1)}x faster, ${withWarm.answer.rowCount} rows`,
      );
    }
    console.log(rows.join('\n'));
    console.log(`load average after: ${load()}`);
  } finally {
    poster.close();
    await tributary.dispose();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
