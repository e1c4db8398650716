import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectorFor, type ScanRequest } from '@tributary/connectors';
import type { TableRef } from '@tributary/plan';
import { generateTpch } from '@tributary/tpch';
import { repoRoot } from '../e2e/harness.ts';

/**
 * `npm run bench:csv [-- --file <lineitem.csv>] [--runs 3]`: the CSV connector's scan speed.
 * Reads every column of TPC-H lineitem (SF 1 CSV under .tributary/bench-data/sf1/csv,
 * generated first when missing) as one split on one thread, and has DuckDB's read_csv do
 * the same on one thread (min() of every column, so no column is skipped) on the same file
 * in the same run. Prints the medians of the warm runs in MB/s per core and the ratio of
 * the two (Tributary ÷ DuckDB), by wall time and by CPU time (the steadier figure on a
 * shared machine). Printed, never asserted.
 */

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});

const runs = Math.max(1, Number(values.runs));
const file = path.resolve(values.file ?? path.join(repoRoot, '.tributary/bench-data/sf1/csv/lineitem.csv'));

/** Wall and CPU (user + system, all threads of this process) milliseconds of one run. */
interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

function timed<T>(work: () => Promise<T>): Promise<{ result: T; timing: Timing }> {
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  return work().then((result) => {
    const cpu = process.cpuUsage(cpu0);
    return { result, timing: { wall: performance.now() - wall0, cpu: (cpu.user + cpu.system) / 1000 } };
  });
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeTributary(): Promise<Timing[]> {
  const connector = connectorFor('csv');
  const roots = [path.dirname(file)];
  const [found] = await connector.discover(file, {}, { roots });
  const table: TableRef = {
    source: 'bench',
    table: found.name,
    sourceType: 'csv',
    columns: found.columns,
    location: found.location,
  };
  const request: ScanRequest = { columns: found.columns.map((_, i) => i), filters: [], limit: null };
  const times: Timing[] = [];
  for (let run = 0; run <= runs; run++) {
    const { result: rows, timing } = await timed(async () => {
      let rows = 0;
      // One split, whatever the file's size: the speed of one core.
      for await (const batch of connector.scan(table, { info: { start: 0, end: null } }, request, { roots }))
        rows += batch.numRows;
      return rows;
    });
    console.log(
      `  tributary ${run === 0 ? 'warm-up' : `run ${run}`}: ${rows} rows in ${timing.wall.toFixed(0)} ms (CPU ${timing.cpu.toFixed(0)} ms)`,
    );
    if (run > 0) times.push(timing);
  }
  return times;
}

async function timeDuckDb(): Promise<Timing[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('SET threads = 1');
  const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${file}')`))
    .getRowObjectsJson()
    .map((r) => `min("${String(r.column_name)}")`);
  const sql = `SELECT count(*), ${columns.join(', ')} FROM read_csv('${file}')`;
  const times: Timing[] = [];
  try {
    for (let run = 0; run <= runs; run++) {
      const { timing } = await timed(() => connection.runAndReadAll(sql));
      console.log(
        `  duckdb ${run === 0 ? 'warm-up' : `run ${run}`}: ${timing.wall.toFixed(0)} ms (CPU ${timing.cpu.toFixed(0)} ms)`,
      );
      if (run > 0) times.push(timing);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return times;
}

async function main(): Promise<void> {
  if (!existsSync(file)) {
    const out = path.dirname(file);
    console.log(`generating TPC-H SF 1 as CSV into ${out}`);
    await generateTpch({ scaleFactor: 1, format: 'csv', out });
  }
  const mb = statSync(file).size / 1e6;
  console.log(`CSV scan of ${file} (${mb.toFixed(0)} MB), every column, one thread each`);
  const tributaryRuns = await timeTributary();
  const duckdbRuns = await timeDuckDb();
  const rate = (ms: number) => (mb / (ms / 1000)).toFixed(0);
  // On a shared machine wall time counts other processes' load; CPU time much less so.
  for (const kind of ['wall', 'cpu'] as const) {
    const tributary = median(tributaryRuns.map((t) => t[kind]));
    const duckdb = median(duckdbRuns.map((t) => t[kind]));
    console.log(`by ${kind} time:`);
    console.log(`  tributary: ${tributary.toFixed(0)} ms, ${rate(tributary)} MB/s per core`);
    console.log(`  duckdb:    ${duckdb.toFixed(0)} ms, ${rate(duckdb)} MB/s per core`);
    console.log(`  ratio (tributary / duckdb): ${(tributary / duckdb).toFixed(2)}x`);
  }
}

await main();
