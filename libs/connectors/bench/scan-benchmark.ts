/**
 * Times full scans of TPC-H lineitem (Parquet sf0.1, CSV and SQLite sf0.01) through each connector (warm runs after one cold run):
 *   node --import tsx libs/connectors/bench/scan-benchmark.ts [parquet-file] [csv-file]
 */
import type { TableRef } from '@tributary/plan';
import { connectorFor, type ScanRequest } from '../src/index.ts';

const parquetFile = process.argv[2] ?? '/work/shared/data/tpch/sf0.1/parquet/lineitem.parquet';
const csvFile = process.argv[3] ?? '/work/shared/data/tpch/sf0.01/csv/lineitem.csv';
const roots = ['/'];

async function time(
  label: string,
  type: 'csv' | 'parquet' | 'sqlite',
  path: string,
  pick: (t: TableRef) => number[],
  name?: string,
): Promise<void> {
  const connector = connectorFor(type);
  const tables = await connector.discover(path, {}, { roots });
  const found = tables.find((t) => name === undefined || t.name === name)!;
  const table: TableRef = {
    source: 'bench',
    table: found.name,
    sourceType: type,
    columns: found.columns,
    location: found.location,
    rowCount: found.rowCount,
  };
  const request: ScanRequest = { columns: pick(table), filters: [], limit: null };
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    let rows = 0;
    for (const split of await connector.planSplits(table, request, 1, { roots })) {
      for await (const batch of connector.scan(table, split, request, { roots })) rows += batch.numRows;
    }
    console.log(`${label} run ${run}: ${rows} rows in ${(performance.now() - start).toFixed(0)} ms`);
  }
}

const all = (t: TableRef) => t.columns.map((_, i) => i);
const q1 = (t: TableRef) =>
  ['l_quantity', 'l_extendedprice', 'l_discount', 'l_shipdate'].map((n) =>
    t.columns.findIndex((c) => c.name === n),
  );
await time('parquet 4 numeric columns', 'parquet', parquetFile, q1);
await time('parquet all columns', 'parquet', parquetFile, all);
await time('csv 4 numeric columns', 'csv', csvFile, q1);
await time('csv all columns', 'csv', csvFile, all);
await time(
  'sqlite 4 numeric columns',
  'sqlite',
  '/work/shared/data/tpch/sf0.01/sqlite/tpch.db',
  q1,
  'lineitem',
);
await time('sqlite all columns', 'sqlite', '/work/shared/data/tpch/sf0.01/sqlite/tpch.db', all, 'lineitem');
