import path from 'node:path';
import { parseArgs } from 'node:util';
import { compareResults } from '../e2e/compare-results.ts';
import { DuckDbOracle } from '../e2e/duckdb-oracle.ts';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from '../e2e/harness.ts';
import { TPCH_Q1, TPCH_Q6, forSource, hasOrderBy } from '../e2e/sql-cases.ts';
import { TributaryClient } from '../e2e/tributary-client.ts';

/**
 * `npm run bench [-- --data <parquet folder>] [--runs 5] [--executors 2] [--duckdb-only]`: the same queries on
 * Tributary (over HTTP) and on DuckDB (in process, read_parquet of the same files); the first
 * run of each is a warm-up, the table shows medians of the rest.
 */
const BENCH_QUERIES: { name: string; sql: string }[] = [
  { name: 'tpch q1', sql: TPCH_Q1 },
  { name: 'tpch q6', sql: TPCH_Q6 },
  {
    name: 'join + group by',
    sql: `SELECT o_orderpriority, COUNT(*) AS lines, SUM(l_extendedprice * (1 - l_discount)) AS revenue
          FROM {s}.orders JOIN {s}.lineitem ON l_orderkey = o_orderkey
          WHERE o_orderdate >= DATE '1995-01-01' AND o_orderdate < DATE '1996-01-01'
          GROUP BY o_orderpriority ORDER BY o_orderpriority`,
  },
  {
    name: 'filtered count',
    sql: `SELECT COUNT(*) AS n FROM {s}.lineitem
          WHERE l_shipmode IN ('AIR', 'RAIL') AND l_quantity > 30 AND l_shipdate >= DATE '1996-01-01'`,
  },
  {
    name: 'top-n',
    sql: `SELECT l_orderkey, l_linenumber, l_extendedprice FROM {s}.lineitem
          ORDER BY l_extendedprice DESC, l_orderkey, l_linenumber LIMIT 20`,
  },
];

const SOURCE = 'bench';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await run();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: path.join(tpchRoot, 'sf0.1', 'parquet') },
      runs: { type: 'string', default: '5' },
      executors: { type: 'string', default: '2' },
      'duckdb-only': { type: 'boolean', default: false },
    },
  });
  const folder = path.resolve(values.data ?? '');
  const runs = Math.max(2, Number(values.runs));
  const executors = Number(values.executors);
  console.log(`data ${folder}, ${runs} runs per query (first is warm-up), ${executors} executors`);

  const oracle = await DuckDbOracle.open([{ schema: SOURCE, format: 'parquet', folder }]);
  let service: TributaryProcess | undefined;
  let client: TributaryClient | undefined;
  try {
    if (!values['duckdb-only']) {
      try {
        service = await startTributary({ executors, sourceRoots: [dataRoot, folder] });
        client = new TributaryClient(() => service?.url ?? '');
        await client.addSource({ name: SOURCE, type: 'parquet', path: folder });
      } catch (error) {
        // Still time DuckDB, so the run is useful while Tributary cannot start; the exit code says it failed.
        console.error(error instanceof Error ? error.message : error);
        process.exitCode = 1;
        client = undefined;
      }
    }

    const rows: string[][] = [];
    for (const q of BENCH_QUERIES) {
      const sql = forSource(q.sql, SOURCE);
      const ours: number[] = [];
      const theirs: number[] = [];
      let verdict = client ? 'same' : 'not run';
      for (let run = 0; run < runs; run++) {
        const d = await timed(() => oracle.query(sql));
        if (run > 0) theirs.push(d.ms);
        if (!client || verdict.startsWith('error')) continue;
        const t = await timed(() => (client as TributaryClient).sqlAnswer(sql, 600_000));
        if (t.value.status !== 200) {
          verdict = `error ${t.value.status}: ${t.value.body?.code ?? t.value.text.slice(0, 80)}`;
          continue;
        }
        if (run === 0) {
          const problems = compareResults(t.value.body, d.value, { ordered: hasOrderBy(sql) });
          if (problems.length > 0) verdict = `DIFFERENT: ${problems[0].slice(0, 120)}`;
        } else ours.push(t.ms);
      }
      const tMed = ours.length > 0 ? median(ours) : NaN;
      const dMed = median(theirs);
      const cells = [
        q.name,
        Number.isNaN(tMed) ? 'n/a' : tMed.toFixed(1),
        dMed.toFixed(1),
        Number.isNaN(tMed) ? 'n/a' : (tMed / dMed).toFixed(1),
        verdict,
      ];
      rows.push(cells);
      console.log(`  ${q.name}: Tributary ${cells[1]} ms, DuckDB ${cells[2]} ms (${verdict})`);
    }
    console.log();
    console.log(table(['query', 'Tributary ms', 'DuckDB ms', 'ratio', 'result'], rows));
  } finally {
    const stopped = await service?.dispose();
    if (stopped?.forced) console.log(`warning: Tributary needed SIGKILL to stop (${stopped.elapsedMs} ms)`);
    oracle.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
