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
 * the two times (Tributary ÷ DuckDB). Printed, never asserted: the machine is shared.
 */

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    runs: { type: 'string', default: '3' },
  },
});

const runs = Math.max(1, Number(values.runs));
const file = path.resolve(values.file ?? path.join(repoRoot, '.tributary/bench-data/sf1/csv/lineitem.csv'));

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeTributary(): Promise<number[]> {
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
  const times: number[] = [];
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    let rows = 0;
    // One split, whatever the file's size: the speed of one core.
    for await (const batch of connector.scan(table, { info: { start: 0, end: null } }, request, { roots }))
      rows += batch.numRows;
    const ms = performance.now() - started;
    console.log(`  tributary ${run === 0 ? 'warm-up' : `run ${run}`}: ${rows} rows in ${ms.toFixed(0)} ms`);
    if (run > 0) times.push(ms);
  }
  return times;
}

async function timeDuckDb(): Promise<number[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('SET threads = 1');
  const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${file}')`))
    .getRowObjectsJson()
    .map((r) => `min("${String(r.column_name)}")`);
  const sql = `SELECT count(*), ${columns.join(', ')} FROM read_csv('${file}')`;
  const times: number[] = [];
  try {
    for (let run = 0; run <= runs; run++) {
      const started = performance.now();
      await connection.runAndReadAll(sql);
      const ms = performance.now() - started;
      console.log(`  duckdb ${run === 0 ? 'warm-up' : `run ${run}`}: ${ms.toFixed(0)} ms`);
      if (run > 0) times.push(ms);
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
  const tributary = median(await timeTributary());
  const duckdb = median(await timeDuckDb());
  const rate = (ms: number) => (mb / (ms / 1000)).toFixed(0);
  console.log(`tributary: ${tributary.toFixed(0)} ms, ${rate(tributary)} MB/s per core`);
  console.log(`duckdb:    ${duckdb.toFixed(0)} ms, ${rate(duckdb)} MB/s per core`);
  console.log(`ratio (tributary time / duckdb time): ${(tributary / duckdb).toFixed(2)}x`);
}

await main();
