import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  generateTpch,
  TPCH_FORMATS,
  TPCH_QUERY_NUMBERS,
  TPCH_TABLE_NAMES,
  tpchQuery,
  type TpchFormat,
} from '@tributary/tpch';
import { compareResults, type ComparableResult } from '@tributary/common/testing';
import { dataRoot, repoRoot, startTributary } from '../e2e/harness.ts';
import { hasOrderBy } from '../e2e/sql-cases.ts';
import { TributaryClient } from '../e2e/tributary-client.ts';
import { readCpuTicks } from './process-memory.ts';
import { describeCoreSpeeds, measureCoreSpeeds } from './core-speeds.ts';

/**
 * `npm run bench [-- --sf 1] [--format parquet|csv|sqlite] [--runs 3] [--timeout 120]
 *   [--queries 1,3,6] [--clusters 1x1,2x1] [--data <folder>]`:
 * the 22 TPC-H queries on Tributary (over HTTP, the source as the query's context) and on
 * DuckDB (in this process, 2 threads) over the very same generated files, in one run. Data
 * missing under `.tributary/bench-data/sf<sf>/<format>` is generated first. Tributary runs
 * as `npm start` does (a coordinator and 2 executors), or as every `--clusters` shape
 * (executors × threads each), all started at once, each query's runs alternating between
 * them and DuckDB. The first run of each query is a warm-up and its answer is checked
 * against DuckDB's; medians of the rest are printed with the ratio to DuckDB, the geometric
 * mean ratio over the queries that completed, the queries that failed and why (a failure or
 * a timeout is reported, never fatal), and each process's peak memory. With two shapes or
 * more, the last one's speedup over the first is printed beside DuckDB's own from 1 thread to
 * 2 (timed in the same alternation): how much a second core can give on this machine at
 * all, where both cores share caches and memory bandwidth.
 */

const SOURCE = 'bench';

/** A Tributary topology to time: `2x1` is two executors of one thread each; `default` is as `npm start`. */
interface Cluster {
  readonly label: string;
  readonly executors: number;
  readonly threads?: number;
}

function parseClusters(text: string | undefined): Cluster[] {
  if (text === undefined || text === 'default') return [{ label: 'default', executors: 2 }];
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
    cells
      .map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const fileOf: Record<TpchFormat, (folder: string, table: string) => string> = {
  csv: (folder, t) => path.join(folder, `${t}.csv`),
  parquet: (folder, t) => path.join(folder, `${t}.parquet`),
  sqlite: (folder) => path.join(folder, 'tpch.db'),
};

/** Generates TPC-H at `sf` as `format` into `folder` unless every file is already there. */
async function ensureData(sf: number, format: TpchFormat, folder: string): Promise<void> {
  if (TPCH_TABLE_NAMES.every((t) => existsSync(fileOf[format](folder, t)))) return;
  console.log(`generating TPC-H SF ${sf} as ${format} into ${folder}`);
  const report = await generateTpch({ scaleFactor: sf, format, out: folder });
  console.log(`  generated in ${(report.elapsedMs / 1000).toFixed(1)} s`);
}

interface DuckRun {
  readonly ms?: number;
  /** With one thread (timed when shapes are compared), the reference for their speedup. */
  readonly serialMs?: number;
  readonly answer?: ComparableResult;
  readonly error?: string;
}

/** DuckDB in this process, with `threads` threads, one view per table in the search path. */
async function openDuckDb(
  format: 'csv' | 'parquet',
  folder: string,
  threads: number,
): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const connection = await instance.connect();
  await connection.run(`CREATE SCHEMA ${SOURCE}`);
  for (const t of TPCH_TABLE_NAMES) {
    const reader = format === 'csv' ? 'read_csv' : 'read_parquet';
    const file = fileOf[format](folder, t).replace(/'/g, "''");
    await connection.run(`CREATE VIEW ${SOURCE}.${t} AS SELECT * FROM ${reader}('${file}')`);
  }
  await connection.run(`SET search_path = '${SOURCE}'`);
  return { instance, connection };
}

/** DuckDB's answer to each query (its first run: a warm-up, unless it is the only one). */
async function answerDuckDb(
  connection: DuckDBConnection,
  queries: readonly number[],
  runs: number,
): Promise<Map<number, DuckRun>> {
  const results = new Map<number, DuckRun>();
  for (const n of queries) {
    try {
      const t = await timed(() => connection.runAndReadAll(tpchQuery(n)));
      const answer = {
        columns: t.value
          .columnNames()
          .map((name, i) => ({ name, type: t.value.columnTypes()[i].toString() })),
        rows: t.value.getRowsJson(),
      };
      results.set(n, { ...(runs === 1 ? { ms: t.ms } : {}), answer });
    } catch (error) {
      results.set(n, { error: error instanceof Error ? error.message.split('\n')[0] : String(error) });
      console.log(`  DuckDB q${n}: ${results.get(n)!.error}`);
    }
  }
  return results;
}

type SqlAnswer = Awaited<ReturnType<TributaryClient['sqlAnswer']>>;

interface TributaryRun {
  readonly ms?: number;
  /**
   * CPU seconds per timed run, all executors together and the coordinator (/proc/PID/stat):
   * unlike wall time, meaningful on a busy machine, and the measure of the work a cluster
   * shape adds (2 executors should spend little more than 1).
   */
  readonly cpu?: { readonly executors: number; readonly coordinator: number };
  /** Why the query did not complete: an error code, or a timeout. */
  readonly failure?: string;
  /** The first difference from DuckDB's answer, when there is one. */
  readonly difference?: string;
}

interface TimingOptions {
  readonly format: TpchFormat;
  readonly folder: string;
  readonly runs: number;
  readonly timeoutMs: number;
}

/** A started cluster, its client, and the processes whose CPU and memory are read from /proc. */
interface RunningCluster {
  readonly cluster: Cluster;
  readonly service: Awaited<ReturnType<typeof startTributary>>;
  readonly client: TributaryClient;
  readonly pids: number[];
}

async function startCluster(cluster: Cluster, options: TimingOptions): Promise<RunningCluster> {
  const service = await startTributary({
    executors: cluster.executors,
    sourceRoots: [dataRoot, options.folder],
    env: cluster.threads === undefined ? {} : { TRIBUTARY_EXECUTOR_THREADS: String(cluster.threads) },
  });
  try {
    const client = new TributaryClient(() => service.url);
    const sourcePath = options.format === 'sqlite' ? fileOf.sqlite(options.folder, '') : options.folder;
    const added = await client.addSourceAnswer({ name: SOURCE, type: options.format, path: sourcePath });
    if (added.status !== 201)
      throw new Error(`registering ${sourcePath} answered ${added.status}: ${added.text.slice(0, 300)}`);
    const pids = [service.pid!, ...(await service.health()).executors.map((e) => e.pid)];
    return { cluster, service, client, pids };
  } catch (error) {
    await service.dispose();
    throw error;
  }
}

/** One run of TPC-H query `n`: its wall time, or why it did not complete. */
async function runQuery(
  running: RunningCluster,
  n: number,
  options: TimingOptions,
): Promise<{ ms: number; answer: SqlAnswer } | { failure: string }> {
  let t: { ms: number; value: SqlAnswer };
  try {
    t = await timed(() =>
      running.client.request<SqlAnswer['body']>(
        'POST',
        '/api/v1/sql',
        { sql: tpchQuery(n), context: SOURCE, timeoutMs: options.timeoutMs },
        { timeoutMs: options.timeoutMs + 15_000 },
      ),
    );
  } catch (error) {
    return { failure: `no answer (${error instanceof Error ? error.message : String(error)})` };
  }
  const body = t.value.body as { code?: string; message?: string } | undefined;
  if (t.value.status !== 200)
    return { failure: `${body?.code ?? t.value.status}: ${(body?.message ?? t.value.text).slice(0, 100)}` };
  return { ms: t.ms, answer: t.value };
}

/**
 * Times every query on DuckDB and every cluster, all started at once: each query's warm-up
 * runs on each cluster in turn (its answer checked against DuckDB's, `duckRuns`, whose
 * warm-up came first), then its timed runs alternate between DuckDB and the clusters, and
 * DuckDB's median is set in `duckRuns`. A shared host's speed drifts by tens of percent within
 * minutes; alternating makes DuckDB and every shape meet the same drift, so their ratios stay true.
 */
async function timeClusters(
  clusters: readonly Cluster[],
  options: TimingOptions & { readonly queries: readonly number[] },
  duck: DuckDBConnection,
  duckSerial: DuckDBConnection | undefined,
  duckRuns: Map<number, DuckRun>,
): Promise<{ cluster: Cluster; runs: Map<number, TributaryRun>; memory: string[] }[]> {
  const running: RunningCluster[] = [];
  try {
    for (const cluster of clusters) {
      try {
        running.push(await startCluster(cluster, options));
      } catch (error) {
        console.error(`${cluster.label}: ${error instanceof Error ? error.message : String(error)}`);
        process.exitCode = 1;
      }
    }
    const results = running.map(() => new Map<number, TributaryRun>());
    // Clock ticks are hundredths of a second on Linux.
    const ticks = (r: RunningCluster) => r.pids.map((pid) => readCpuTicks(pid) ?? NaN);
    for (const n of options.queries) {
      const times = running.map((): number[] => []);
      const failures = running.map((): string | undefined => undefined);
      const differences = running.map((): string | undefined => undefined);
      const used = running.map((r) => r.pids.map(() => 0));
      const duckTimes: number[] = [];
      const serialTimes: number[] = [];
      for (let run = 0; run < options.runs; run++) {
        if (duckRuns.get(n)!.error === undefined) {
          // Run 0 warms the 1-thread instance; the 2-thread one was warmed by answerDuckDb.
          if (run > 0) duckTimes.push((await timed(() => duck.runAndReadAll(tpchQuery(n)))).ms);
          const serial = duckSerial && (await timed(() => duckSerial.runAndReadAll(tpchQuery(n))));
          if (serial && run > 0) serialTimes.push(serial.ms);
        }
        for (const [c, r] of running.entries()) {
          if (failures[c] !== undefined) continue;
          const before = ticks(r);
          const outcome = await runQuery(r, n, options);
          // The warm-up is not counted (unless it is the only run).
          const counted = run > 0 || options.runs === 1;
          if (counted) ticks(r).forEach((t, i) => (used[c][i] += t - before[i]));
          if ('failure' in outcome) {
            failures[c] = outcome.failure;
            continue;
          }
          if (run === 0) differences[c] = differenceFromDuckDb(outcome.answer, duckRuns.get(n), n, options);
          if (counted) times[c].push(outcome.ms);
        }
      }
      if (duckTimes.length > 0) {
        const serialMs = serialTimes.length > 0 ? median(serialTimes) : undefined;
        duckRuns.set(n, { ...duckRuns.get(n)!, ms: median(duckTimes), serialMs });
        console.log(
          `  DuckDB q${n}: ${median(duckTimes).toFixed(1)} ms${serialMs === undefined ? '' : ` (1 thread: ${serialMs.toFixed(1)} ms)`}`,
        );
      }
      for (const [c, r] of running.entries()) {
        const timedRuns = Math.max(1, options.runs - 1);
        const perRun = used[c].map((t) => t / 100 / timedRuns);
        const cpu = { coordinator: perRun[0], executors: perRun.slice(1).reduce((a, b) => a + b, 0) };
        const result: TributaryRun =
          failures[c] !== undefined
            ? { failure: failures[c] }
            : { ms: median(times[c]), difference: differences[c], cpu };
        results[c].set(n, result);
        const cpuText = ` (CPU ${cpu.executors.toFixed(2)} s executors, ${cpu.coordinator.toFixed(2)} s coordinator)`;
        console.log(
          `  ${r.cluster.label} q${n}: ${result.failure ?? `${result.ms!.toFixed(1)} ms${cpuText}${result.difference ? ` (differs from DuckDB: ${result.difference})` : ''}`}`,
        );
      }
    }
    return running.map((r, c) => ({
      cluster: r.cluster,
      runs: results[c],
      memory: r.pids.map(
        (pid, i) => `${i === 0 ? 'coordinator' : `executor ${i}`} ${peakMb(pid)?.toFixed(0) ?? '?'} MB`,
      ),
    }));
  } finally {
    for (const r of running) {
      const stopped = await r.service.dispose();
      if (stopped.forced)
        console.log(
          `warning: ${r.cluster.label}: Tributary needed SIGKILL to stop (${stopped.elapsedMs} ms)`,
        );
    }
  }
}

/** The first difference of a warm-up's answer from DuckDB's, if any. */
function differenceFromDuckDb(
  answer: SqlAnswer,
  reference: DuckRun | undefined,
  n: number,
  options: TimingOptions,
): string | undefined {
  if (!reference?.answer) return undefined;
  const problems = compareResults(answer.body as unknown as ComparableResult, reference.answer, {
    ordered: hasOrderBy(tpchQuery(n)),
    tolerantNumbers: options.format !== 'parquet',
    relativeTolerance: 1e-6,
  });
  return problems.length > 0 ? problems[0].slice(0, 120) : undefined;
}

function geometricMean(values: number[]): number {
  return Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sf: { type: 'string', default: '1' },
      format: { type: 'string', default: 'parquet' },
      data: { type: 'string' },
      runs: { type: 'string', default: '3' },
      timeout: { type: 'string', default: '120' },
      queries: { type: 'string' },
      clusters: { type: 'string' },
      'duckdb-only': { type: 'boolean', default: false },
    },
  });
  const sf = Number(values.sf);
  const format = values.format as TpchFormat;
  if (!TPCH_FORMATS.includes(format)) throw new Error(`--format is one of ${TPCH_FORMATS.join(', ')}`);
  if (!(sf > 0)) throw new Error(`--sf takes a positive number, not ${values.sf}`);
  const benchData = path.join(repoRoot, '.tributary', 'bench-data', `sf${values.sf}`);
  const folder = path.resolve(values.data ?? path.join(benchData, format));
  const runs = Math.max(1, Number(values.runs));
  const timeoutMs = Number(values.timeout) * 1000;
  const queries = values.queries ? values.queries.split(',').map(Number) : [...TPCH_QUERY_NUMBERS];
  const clusters = values['duckdb-only'] ? [] : parseClusters(values.clusters);

  await ensureData(sf, format, folder);
  // DuckDB cannot load its sqlite extension here (no downloads): it reads the Parquet of the same data.
  const duckFormat = format === 'sqlite' ? 'parquet' : format;
  const duckFolder = format === 'sqlite' ? path.join(path.dirname(folder), 'parquet') : folder;
  if (format === 'sqlite') await ensureData(sf, 'parquet', duckFolder);

  console.log(
    `TPC-H SF ${sf} ${format} (${folder}); ${runs} run(s) per query${runs > 1 ? ', the first a warm-up' : ''}; ` +
      `timeout ${timeoutMs / 1000} s; Tributary ${clusters.map((c) => c.label).join(', ')}`,
  );
  if (format === 'sqlite') {
    console.log(
      `note: DuckDB cannot load its sqlite extension here, so it reads the Parquet of the same data (${duckFolder})`,
    );
  }

  // Before and after: a neighbour on a shared host may slow one core for a while.
  const speedsBefore = clusters.length > 1 ? describeCoreSpeeds(measureCoreSpeeds()) : undefined;
  if (speedsBefore) console.log(speedsBefore);

  const duck = await openDuckDb(duckFormat, duckFolder, 2);
  // Shapes compared: DuckDB's own speedup from 1 thread to 2 is the machine's reference.
  const duckSerial =
    clusters.length > 1 && runs > 1 ? await openDuckDb(duckFormat, duckFolder, 1) : undefined;
  let duckRuns: Map<number, DuckRun>;
  let results: Awaited<ReturnType<typeof timeClusters>>;
  try {
    duckRuns = await answerDuckDb(duck.connection, queries, runs);
    results = await timeClusters(
      clusters,
      { format, folder, runs, timeoutMs, queries },
      duck.connection,
      duckSerial?.connection,
      duckRuns,
    );
  } finally {
    for (const d of [duck, duckSerial]) {
      d?.connection.closeSync();
      d?.instance.closeSync();
    }
  }

  const last = results[results.length - 1];
  const first = results.length > 1 ? results[0] : undefined;
  const scaling = first && duckSerial;
  const ms = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(1));
  const over = (a: number | undefined, b: number | undefined) =>
    a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : 'n/a';
  const rows = queries.map((n) => {
    const d = duckRuns.get(n)!;
    const ours = results.flatMap((r) => {
      const run = r.runs.get(n);
      return run?.ms !== undefined
        ? [ms(run.ms), run.cpu ? run.cpu.executors.toFixed(2) : 'n/a']
        : ['failed', 'n/a'];
    });
    const mine = last?.runs.get(n);
    const ratio = mine?.ms !== undefined && d.ms !== undefined ? `${(mine.ms / d.ms).toFixed(1)}×` : 'n/a';
    const note =
      mine?.failure ??
      (mine?.difference ? `differs: ${mine.difference.slice(0, 60)}` : d.error ? `DuckDB: ${d.error}` : '');
    const speedups = scaling
      ? [over(first.runs.get(n)?.ms, mine?.ms), over(d.serialMs, d.ms)]
      : first
        ? [over(first.runs.get(n)?.ms, mine?.ms)]
        : [];
    return [`q${n}`, ms(d.ms), ...(scaling ? [ms(d.serialMs)] : []), ...ours, ...speedups, ratio, note];
  });
  console.log();
  console.log(
    table(
      [
        'query',
        'DuckDB ms',
        ...(scaling ? ['DuckDB 1 thread ms'] : []),
        ...results.flatMap((r) => [`${r.cluster.label} ms`, `${r.cluster.label} exec CPU s`]),
        ...(first ? [`${last.cluster.label} over ${first.cluster.label}`] : []),
        ...(scaling ? ['DuckDB 2 threads over 1'] : []),
        `${last?.cluster.label ?? ''} / DuckDB`,
        'note',
      ],
      rows,
    ),
  );
  console.log();
  for (const r of results) {
    const completed = queries.filter(
      (n) => r.runs.get(n)?.ms !== undefined && duckRuns.get(n)?.ms !== undefined,
    );
    const ratios = completed.map((n) => r.runs.get(n)!.ms! / duckRuns.get(n)!.ms!);
    const failed = queries.filter((n) => r.runs.get(n)?.failure !== undefined);
    const differing = queries.filter((n) => r.runs.get(n)?.difference !== undefined);
    console.log(
      `${r.cluster.label}: ${completed.length} of ${queries.length} queries completed, geometric mean Tributary / DuckDB ` +
        `${ratios.length > 0 ? `${geometricMean(ratios).toFixed(1)}×` : 'n/a'}`,
    );
    if (failed.length > 0) {
      console.log(`  failed: ${failed.map((n) => `q${n} (${r.runs.get(n)!.failure})`).join('; ')}`);
    }
    if (differing.length > 0)
      console.log(`  answers differing from DuckDB: ${differing.map((n) => `q${n}`).join(', ')}`);
    console.log(`  peak memory: ${r.memory.join(', ')}`);
  }
  if (first) {
    const both = queries.filter(
      (n) => first.runs.get(n)?.ms !== undefined && last.runs.get(n)?.ms !== undefined,
    );
    const ours = geometricMean(both.map((n) => first.runs.get(n)!.ms! / last.runs.get(n)!.ms!));
    const timedSerial = both.filter(
      (n) => duckRuns.get(n)?.serialMs !== undefined && duckRuns.get(n)?.ms !== undefined,
    );
    const theirs = geometricMean(timedSerial.map((n) => duckRuns.get(n)!.serialMs! / duckRuns.get(n)!.ms!));
    console.log(
      `speedup, geometric mean: Tributary ${last.cluster.label} over ${first.cluster.label} ${both.length > 0 ? `${ours.toFixed(2)}×` : 'n/a'}` +
        (timedSerial.length > 0
          ? `; DuckDB 2 threads over 1 thread ${theirs.toFixed(2)}× (same queries, same run)`
          : ''),
    );
  }
  console.log(
    `peak memory of this process (DuckDB, ${format === 'sqlite' ? 'parquet' : format}): ${peakMb(process.pid)?.toFixed(0)} MB`,
  );
  if (speedsBefore)
    console.log(`before: ${speedsBefore}\nafter:  ${describeCoreSpeeds(measureCoreSpeeds())}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
