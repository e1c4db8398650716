import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { dataRoot, startTributary, tpchRoot } from '../e2e/harness.ts';
import { SQL_CASES, TPCH_Q1, TPCH_Q3, TPCH_Q6, forSource, hasOrderBy } from '../e2e/sql-cases.ts';
import { TributaryClient } from '../e2e/tributary-client.ts';

/**
 * `npm run bench [-- --data <parquet folder>] [--runs 5] [--clusters 1x1,2x1] [--duckdb-only]`:
 * the same queries on DuckDB (in process, over the same files) and on Tributary (over HTTP)
 * started once per cluster shape (executors x threads each); the first run of each query is a
 * warm-up, the table shows medians of the rest, the speedup from the first shape to the last,
 * and every process's peak memory. SF 1 Parquet is the default where it exists.
 */
const fromCorpus = (name: string) => {
  const found = SQL_CASES.find((c) => c.name === name);
  if (!found) throw new Error(`no case ${name} in sql-cases.ts`);
  return found.sql;
};

/** Scan-heavy queries first, then join-heavy ones (the issue's targets differ between them). */
const BENCH_QUERIES: { name: string; sql: string }[] = [
  { name: 'tpch q1', sql: TPCH_Q1 },
  { name: 'tpch q6', sql: TPCH_Q6 },
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
  { name: 'tpch q3', sql: TPCH_Q3 },
  { name: 'tpch q5', sql: fromCorpus('tpch q5 six-way join') },
  { name: 'tpch q12', sql: fromCorpus('tpch q12 case in sum') },
  {
    name: 'join + group by',
    sql: `SELECT o_orderpriority, COUNT(*) AS lines, SUM(l_extendedprice * (1 - l_discount)) AS revenue
          FROM {s}.orders JOIN {s}.lineitem ON l_orderkey = o_orderkey
          WHERE o_orderdate >= DATE '1995-01-01' AND o_orderdate < DATE '1996-01-01'
          GROUP BY o_orderpriority ORDER BY o_orderpriority`,
  },
];

/** A cluster shape to time: `2x1` is two executors of one thread each. */
interface Cluster {
  readonly label: string;
  readonly executors: number;
  readonly threads: number;
}

function parseClusters(text: string): Cluster[] {
  return text.split(',').map((part) => {
    const match = /^(\d+)x(\d+)$/.exec(part.trim());
    if (!match) throw new Error(`--clusters takes executors x threads, e.g. 1x1,2x1; got ${part}`);
    return { label: part.trim(), executors: Number(match[1]), threads: Number(match[2]) };
  });
}

/** Peak resident memory (VmHWM) of a process in MB, from /proc; undefined once it is gone. */
function peakMb(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]) / 1024;
  } catch {
    return undefined;
  }
}

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

async function timeCluster(
  cluster: Cluster,
  folder: string,
  runs: number,
  expected: Map<string, Awaited<ReturnType<DuckDbOracle['query']>>>,
): Promise<{ medians: Map<string, number | string>; memory: string[] }> {
  const medians = new Map<string, number | string>();
  const service = await startTributary({
    executors: cluster.executors,
    sourceRoots: [dataRoot, folder],
    env: { TRIBUTARY_EXECUTOR_THREADS: String(cluster.threads) },
  });
  const client = new TributaryClient(() => service.url);
  try {
    await client.addSource({ name: SOURCE, type: 'parquet', path: folder });
    for (const q of BENCH_QUERIES) {
      const sql = forSource(q.sql, SOURCE);
      const times: number[] = [];
      let verdict: string | undefined;
      for (let run = 0; run < runs && verdict === undefined; run++) {
        const t = await timed(() => client.sqlAnswer(sql, 600_000));
        if (t.value.status !== 200) verdict = `error ${t.value.body?.code ?? t.value.status}`;
        else if (run === 0) {
          // Known type gaps of corpus queries (SUM of integers) are accepted as the corpus accepts them.
          const typeAllowances = SQL_CASES.find((c) => c.sql === q.sql)?.typeAllowances;
          const problems = compareResults(t.value.body, expected.get(q.name)!, {
            ordered: hasOrderBy(sql),
            typeAllowances,
          });
          if (problems.length > 0) verdict = `DIFFERENT: ${problems[0].slice(0, 80)}`;
        } else times.push(t.ms);
      }
      medians.set(q.name, verdict ?? median(times));
      console.log(`  ${cluster.label} ${q.name}: ${verdict ?? `${median(times).toFixed(1)} ms`}`);
    }
    const pids = [service.pid!, ...(await service.health()).executors.map((e) => e.pid)];
    const memory = pids.map(
      (pid, i) => `${i === 0 ? 'coordinator' : `executor ${i}`} ${peakMb(pid)?.toFixed(0) ?? '?'} MB`,
    );
    return { medians, memory };
  } finally {
    const stopped = await service.dispose();
    if (stopped.forced) console.log(`warning: Tributary needed SIGKILL to stop (${stopped.elapsedMs} ms)`);
  }
}

async function main(): Promise<void> {
  const sf1 = path.join(tpchRoot, 'sf1', 'parquet');
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: existsSync(sf1) ? sf1 : path.join(tpchRoot, 'sf0.1', 'parquet') },
      runs: { type: 'string', default: '5' },
      clusters: { type: 'string', default: '1x1,2x1' },
      'duckdb-only': { type: 'boolean', default: false },
    },
  });
  const folder = path.resolve(values.data ?? '');
  const runs = Math.max(2, Number(values.runs));
  const clusters = values['duckdb-only'] ? [] : parseClusters(values.clusters ?? '');
  console.log(
    `data ${folder}, ${runs} runs per query (the first is a warm-up), clusters ${clusters.map((c) => c.label).join(', ')}`,
  );

  const oracle = await DuckDbOracle.open([{ schema: SOURCE, format: 'parquet', folder }]);
  const duck = new Map<string, number>();
  const expected = new Map<string, Awaited<ReturnType<DuckDbOracle['query']>>>();
  try {
    for (const q of BENCH_QUERIES) {
      const sql = forSource(q.sql, SOURCE);
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const d = await timed(() => oracle.query(sql));
        if (run === 0) expected.set(q.name, d.value);
        else times.push(d.ms);
      }
      duck.set(q.name, median(times));
    }
  } finally {
    oracle.close();
  }

  const results: { cluster: Cluster; medians: Map<string, number | string>; memory: string[] }[] = [];
  for (const cluster of clusters) {
    try {
      results.push({ cluster, ...(await timeCluster(cluster, folder, runs, expected)) });
    } catch (error) {
      console.error(`${cluster.label}: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  }

  const cell = (v: number | string | undefined) => (typeof v === 'number' ? v.toFixed(1) : (v ?? 'n/a'));
  const first = results[0];
  const last = results[results.length - 1];
  const rows = BENCH_QUERIES.map((q) => {
    const d = duck.get(q.name)!;
    const ours = results.map((r) => r.medians.get(q.name));
    const mine = last?.medians.get(q.name);
    const base = first?.medians.get(q.name);
    const speedup =
      results.length > 1 && typeof base === 'number' && typeof mine === 'number'
        ? `${(base / mine).toFixed(2)}×`
        : 'n/a';
    const ratio = typeof mine === 'number' ? `${(mine / d).toFixed(1)}×` : 'n/a';
    return [q.name, d.toFixed(1), ...ours.map(cell), speedup, ratio];
  });
  console.log();
  console.log(
    table(
      [
        'query',
        'DuckDB ms',
        ...results.map((r) => `${r.cluster.label} ms`),
        `speedup ${first?.cluster.label ?? ''}→${last?.cluster.label ?? ''}`,
        `${last?.cluster.label ?? ''} / DuckDB`,
      ],
      rows,
    ),
  );
  console.log();
  for (const r of results) console.log(`peak memory ${r.cluster.label}: ${r.memory.join(', ')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
