import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Int64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import {
  EnabledStatistics,
  Table as WasmTable,
  WriterPropertiesBuilder,
  writeParquet,
} from 'parquet-wasm/node';
import { BIGINT, BOOLEAN, VARCHAR, type SqlType } from '@tributary/common';
import { call, column, literal, type Expr, type TableRef } from '@tributary/plan';
import { emptyScanCounters, type ScanContext } from '../connector.ts';
import { collect, duckdb } from '../test-support.ts';
import { ParquetConnector } from './parquet-connector.ts';
import { readParquetFooter } from './read-parquet-footer.ts';
import { canonicalRows, tableRef } from './parquet-test-support.ts';

const connector = new ParquetConnector();
const roots = [tmpdir()];
const ROWS = 20_000;
/** arrow-rs closes a data page every this many rows (its write batch size), so pages are this long. */
const PAGE_ROWS = 1024;

let file: string;
let t: TableRef;

const col = (name: string): Expr => {
  const index = t.columns.findIndex((c) => c.name === name);
  return column(index, name, t.columns[index].type);
};
const cmp = (fn: 'eq' | 'lt' | 'gte', name: string, value: number | string, type: SqlType) =>
  call(fn, [col(name), literal(value, type)], BOOLEAN);

beforeAll(async () => {
  const tmp = await mkdtemp(join(tmpdir(), 'parquet-page-index-'));
  file = join(tmp, 'paged.parquet');
  // One row group of sorted keys; text sorted too ('k00000'...); n NULL in the first 3000 rows.
  const keys = Array.from({ length: ROWS }, (_, i) => BigInt(i));
  const table = new Table({
    k: vectorFromArray(keys, new Int64()),
    s: vectorFromArray(
      keys.map((k) => `k${String(k).padStart(5, '0')}`),
      new Utf8(),
    ),
    n: vectorFromArray(
      keys.map((k) => (k < 3000n ? null : k)),
      new Int64(),
    ),
  });
  const properties = new WriterPropertiesBuilder()
    .setMaxRowGroupSize(ROWS)
    .setWriteBatchSize(PAGE_ROWS)
    .setDataPageSizeLimit(1024)
    .setDictionaryEnabled(false)
    .setStatisticsEnabled(EnabledStatistics.Page)
    .build();
  await writeFile(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), properties));
  const [found] = await connector.discover(file, {}, { roots });
  t = tableRef(found);
});

/** Scans with `filter` pushed, then applies `keep` as the engine would; counts what was read. */
async function scan(filter: Expr, keep: (row: unknown[]) => boolean) {
  const counters = emptyScanCounters();
  const context: ScanContext = { roots, counters };
  const request = { columns: [0, 1, 2], filters: [filter], limit: null };
  const splits = await connector.planSplits(t, request, 8, context);
  const rows: unknown[][] = [];
  for (const split of splits)
    rows.push(...canonicalRows(await collect(connector.scan(t, split, request, context)), t.columns));
  return { splits, counters, rows: rows.filter(keep) };
}

describe('Parquet page-index pruning (a file written by arrow-rs, which writes page indexes)', () => {
  it('writes one row group with a page index, where DuckDB writes none', async () => {
    const footer = await readParquetFooter(file);
    expect(footer.metadata.row_groups.length).toBe(1);
    expect(footer.metadata.row_groups[0].columns.map((c) => c.column_index_offset !== undefined)).toEqual([
      true,
      true,
      true,
    ]);
    const byDuckdb = join(tmpdir(), `duckdb-no-page-index-${process.pid}.parquet`);
    await duckdb(`COPY (SELECT range AS k FROM range(5000)) TO '${byDuckdb}' (FORMAT parquet)`);
    const duckdbFooter = await readParquetFooter(byDuckdb);
    expect(duckdbFooter.metadata.row_groups[0].columns[0].column_index_offset).toBeUndefined();
  });

  const cases: [string, () => Expr, (row: unknown[]) => boolean, string][] = [
    ['k = 12345', () => cmp('eq', 'k', 12345, BIGINT), (r) => r[0] === '12345', 'k = 12345'],
    ['k < 1500', () => cmp('lt', 'k', 1500, BIGINT), (r) => Number(r[0]) < 1500, 'k < 1500'],
    [
      's >= k19000',
      () => cmp('gte', 's', 'k19000', VARCHAR),
      (r) => String(r[1]) >= 'k19000',
      "s >= 'k19000'",
    ],
    [
      'n IS NULL',
      () => ({ kind: 'is-null', expr: col('n'), negated: false, type: BOOLEAN }),
      (r) => r[2] === null,
      'n IS NULL',
    ],
  ];
  for (const [label, filter, keep, sql] of cases) {
    it(`reads only the pages that may match ${label}, with DuckDB's rows`, async () => {
      const { splits, counters, rows } = await scan(filter(), keep);
      const [[expected]] = await duckdb<bigint>(`SELECT count(*) FROM read_parquet('${file}') WHERE ${sql}`);
      expect(rows.length).toBe(Number(expected));
      expect(splits.length).toBe(1);
      const range = splits[0].info.rowRange as [number, number];
      expect(range, label).toBeDefined();
      // The pages holding matches, give or take a page at each end.
      expect(counters.rowsRead).toBe(range[1] - range[0]);
      expect(counters.rowsRead).toBeLessThanOrEqual(Number(expected) + 2 * PAGE_ROWS);
      expect(counters.rowsRead).toBeLessThan(ROWS / 4);
      expect(counters.rowGroupsRead).toBe(1);
    });
  }

  it('skips the row group when no page may match, and reads it whole when every page may', async () => {
    const none = await scan(cmp('eq', 'k', 50_000, BIGINT), () => true);
    expect(none.splits).toEqual([]);
    expect(none.counters.rowGroupsSkipped).toBe(1);
    const all = await scan(cmp('gte', 'k', 0, BIGINT), () => true);
    expect(all.splits.map((s) => s.info.rowRange)).toEqual([undefined]);
    expect(all.rows.length).toBe(ROWS);
  });
});
