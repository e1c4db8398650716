import { copyFile, mkdtemp, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Dictionary,
  Float32,
  Int16,
  Int32,
  LargeUtf8,
  Table,
  TimestampMillisecond,
  Utf8,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm/node';
import { BOOLEAN, DATE, decimal, typeToString } from '@tributary/common';
import { call, column, literal, type Expr, type TableRef } from '@tributary/plan';
import type { ScanContext, ScanRequest } from '../connector.ts';
import {
  collect,
  columnSum,
  confinedFolders,
  discoveredTableRef,
  duckdb,
  expectNotAllowed,
  makeFifo,
  rowCount,
  swapForSymlink,
  valueAt,
} from '../test-support.ts';
import { decodedColumnCache } from './decoded-column-cache.ts';
import { ParquetConnector } from './parquet-connector.ts';

const SF001 = '/work/shared/data/tpch/sf0.01/parquet';
const LINEITEM_SF01 = '/work/shared/data/tpch/sf0.1/parquet/lineitem.parquet';
const connector = new ParquetConnector();
const roots = ['/work/shared/data', tmpdir()];
const context: ScanContext = { roots };

async function table(path: string): Promise<TableRef> {
  const [t] = await connector.discover(path, {}, { roots });
  return discoveredTableRef(t, 'parquet');
}

function request(columns: number[], filters: Expr[] = [], limit: number | null = null): ScanRequest {
  return { columns, filters, limit };
}

async function scanSplits(t: TableRef, req: ScanRequest) {
  const splits = await connector.planSplits(t, req, 8, context);
  const batches = [];
  for (const split of splits) batches.push(...(await collect(connector.scan(t, split, req, context))));
  return { splits, batches };
}

const shipdate = (t: TableRef) => column(10, 'l_shipdate', t.columns[10].type);
const day = (text: string) => literal(Math.round(Date.parse(text) / 86_400_000), DATE);

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'parquet-test-'));
});

describe('ParquetConnector', () => {
  it('discovers a folder, typing columns from the footer', async () => {
    const tables = await connector.discover(SF001, {}, { roots });
    expect(tables.map((t) => t.name)).toEqual([
      'customer',
      'lineitem',
      'nation',
      'orders',
      'part',
      'partsupp',
      'region',
      'supplier',
    ]);
    const lineitem = tables.find((t) => t.name === 'lineitem')!;
    expect(lineitem.rowCount).toBe(60_175);
    expect(lineitem.columns.map((c) => `${c.name} ${typeToString(c.type)}`).slice(0, 11)).toEqual([
      'l_orderkey BIGINT',
      'l_partkey BIGINT',
      'l_suppkey BIGINT',
      'l_linenumber BIGINT',
      'l_quantity DECIMAL(15,2)',
      'l_extendedprice DECIMAL(15,2)',
      'l_discount DECIMAL(15,2)',
      'l_tax DECIMAL(15,2)',
      'l_returnflag VARCHAR',
      'l_linestatus VARCHAR',
      'l_shipdate DATE',
    ]);
  });

  it("scans projected columns in the asked order with DuckDB's sums", async () => {
    const t = await table(`${SF001}/lineitem.parquet`);
    const { batches } = await scanSplits(t, request([15, 5, 10, 0]));
    expect(batches[0].schema.fields.map((f) => f.name)).toEqual([
      'l_comment',
      'l_extendedprice',
      'l_shipdate',
      'l_orderkey',
    ]);
    const [[count, price, days, keys, bytes]] = await duckdb<number>(
      `SELECT count(*)::DOUBLE, sum(l_extendedprice * 100)::DOUBLE, sum(l_shipdate - DATE '1970-01-01')::DOUBLE, sum(l_orderkey)::DOUBLE,
              sum(strlen(l_comment))::DOUBLE FROM read_parquet('${SF001}/lineitem.parquet')`,
    );
    expect(rowCount(batches)).toBe(count);
    expect(columnSum(batches, 1, t.columns[5])).toBe(price);
    expect(columnSum(batches, 2, t.columns[10])).toBe(days);
    expect(columnSum(batches, 3, t.columns[0])).toBe(keys);
    expect(columnSum(batches, 0, t.columns[15])).toBe(bytes);
    expect(valueAt(batches, 0, 0)).toBe('egular courts above the');
  });

  it('cuts sf0.1 lineitem into one split per row group, covering every row once', async () => {
    const t = await table(LINEITEM_SF01);
    const { splits, batches } = await scanSplits(t, request([0]));
    expect(splits).toHaveLength(5);
    const [[count, keys]] = await duckdb<number>(
      `SELECT count(*)::DOUBLE, sum(l_orderkey)::DOUBLE FROM read_parquet('${LINEITEM_SF01}')`,
    );
    expect(rowCount(batches)).toBe(count);
    expect(columnSum(batches, 0, t.columns[0])).toBe(keys);
  });

  it('prunes row groups with l_shipdate, l_orderkey and l_quantity statistics', async () => {
    const t = await table(LINEITEM_SF01);
    const sd = shipdate(t);
    const splitsFor = async (filter: Expr) =>
      (await connector.planSplits(t, request([0], [filter]), 8, context)).map(
        (s) => (s.info.rowGroups as number[])[0],
      );
    // Row group minima: 1992-01-03 except group 1 (1992-01-04); maxima 1998-11-29/30, 12-01 in groups 2 and 3.
    expect(await splitsFor(call('lt', [sd, day('1992-01-03')], BOOLEAN))).toEqual([]);
    expect(await splitsFor(call('lte', [sd, day('1992-01-03')], BOOLEAN))).toEqual([0, 2, 3, 4]);
    expect(await splitsFor(call('gt', [sd, day('1998-11-30')], BOOLEAN))).toEqual([2, 3]);
    expect(await splitsFor(call('gt', [day('1992-01-03'), sd], BOOLEAN))).toEqual([]);
    expect(
      await splitsFor(
        call('eq', [column(0, 'l_orderkey', t.columns[0].type), literal(7, t.columns[0].type)], BOOLEAN),
      ),
    ).toEqual([0]);
    const qty = column(4, 'l_quantity', t.columns[4].type);
    expect(await splitsFor(call('gt', [qty, literal(5000, decimal(15, 2))], BOOLEAN))).toEqual([]);
    expect(await splitsFor(call('gte', [qty, literal(5000, decimal(15, 2))], BOOLEAN))).toHaveLength(5);
    expect(connector.filterSupport(t, call('gt', [sd, day('1998-11-30')], BOOLEAN))).toBe('inexact');
    expect(
      connector.filterSupport(
        t,
        call('gt', [call('add', [qty, qty], t.columns[4].type), literal(1, t.columns[4].type)], BOOLEAN),
      ),
    ).toBe('unsupported');

    // The kept row groups hold every matching row.
    const filter = call('gt', [sd, day('1998-11-30')], BOOLEAN);
    const { batches } = await scanSplits(t, request([10], [filter]));
    let matching = 0;
    const limit = Math.round(Date.parse('1998-11-30') / 86_400_000);
    for (const b of batches) {
      const values = b.getChildAt(0)!.data[0].values as Int32Array;
      for (let i = 0; i < b.numRows; i++) if (values[i] > limit) matching++;
    }
    const [[expected]] = await duckdb<number>(
      `SELECT count(*)::DOUBLE FROM read_parquet('${LINEITEM_SF01}') WHERE l_shipdate > DATE '1998-11-30'`,
    );
    expect(matching).toBe(expected);
  });

  it('counts rows without decoding when no column is asked, and honours a limit', async () => {
    const t = await table(LINEITEM_SF01);
    const { batches } = await scanSplits(t, request([]));
    expect(rowCount(batches)).toBe(600_572);
    expect(batches.every((b) => b.numCols === 0)).toBe(true);
    const split = (await connector.planSplits(t, request([0]), 1, context))[0];
    const limited = await collect(connector.scan(t, split, request([0], [], 10), context));
    expect(limited.length).toBe(1);
  });

  it('converts the Arrow types of a DuckDB-written file, NULLs included', async () => {
    const file = join(tmp, 'types.parquet');
    await duckdb(`COPY (SELECT * FROM (VALUES
        (1::INTEGER, true, 1.5::DOUBLE, TIMESTAMP '2024-01-02 03:04:05.123456', 'é'::VARCHAR, 123456789012.345::DECIMAL(18,3), 12.5::DECIMAL(38,10), 5::SMALLINT, DATE '2024-02-29'),
        (NULL, false, NULL, NULL, NULL, NULL, -1.25::DECIMAL(38,10), NULL, NULL),
        (3, NULL, -2.0, TIMESTAMP '1969-12-31 23:59:59', 'abc', -0.001, NULL, -7, DATE '1900-01-01')
      ) t(i, b, d, ts, s, dec, big, small, dt)) TO '${file}' (FORMAT parquet)`);
    const t = await table(file);
    expect(t.columns.map((c) => typeToString(c.type))).toEqual([
      'INTEGER',
      'BOOLEAN',
      'DOUBLE',
      'TIMESTAMP',
      'VARCHAR',
      'DECIMAL(18,3)',
      'DECIMAL(38,10)',
      'SMALLINT',
      'DATE',
    ]);
    const { batches } = await scanSplits(t, request([0, 1, 2, 3, 4, 5, 6, 7, 8]));
    const row = (r: number) => [0, 1, 2, 3, 4, 7, 8].map((c) => valueAt(batches, r, c));
    expect(row(0)).toEqual([
      1,
      true,
      1.5,
      Date.UTC(2024, 0, 2, 3, 4, 5, 123) + 0.456,
      'é',
      5,
      Date.UTC(2024, 1, 29),
    ]);
    expect(row(1)).toEqual([null, false, null, null, null, null, null]);
    expect(row(2)).toEqual([3, null, -2, -1000, 'abc', -7, Date.UTC(1900, 0, 1)]);
    expect(columnSum(batches, 5, t.columns[5])).toBe(123456789012345 - 1);
    expect(columnSum(batches, 6, t.columns[6])).toBe(125_000_000_000 - 12_500_000_000);
  });

  it('converts dictionary, LargeUtf8, Float32, Int16 and millisecond timestamps written by Arrow', async () => {
    const file = join(tmp, 'arrow-types.parquet');
    const source = new Table({
      d: vectorFromArray(['a', 'b', null, 'a', 'ccc'], new Dictionary(new Utf8(), new Int32())),
      l: vectorFromArray(['x', null, 'yy', 'zzz', ''], new LargeUtf8()),
      f: vectorFromArray([1.5, 2.25, null, -1, 0], new Float32()),
      s: vectorFromArray([1, -2, 3, null, 5], new Int16()),
      ts: vectorFromArray(
        [new Date(Date.UTC(2020, 0, 1)), null, new Date(0), new Date(-1000), new Date(1234)],
        new TimestampMillisecond(),
      ),
    });
    await writeFile(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(source, 'stream'))));
    const t = await table(file);
    expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'd VARCHAR',
      'l VARCHAR',
      'f FLOAT',
      's SMALLINT',
      'ts TIMESTAMP',
    ]);
    const { batches } = await scanSplits(t, request([0, 1, 2, 3, 4]));
    const columnValues = (c: number) => [0, 1, 2, 3, 4].map((r) => valueAt(batches, r, c));
    expect(columnValues(0)).toEqual(['a', 'b', null, 'a', 'ccc']);
    expect(columnValues(1)).toEqual(['x', null, 'yy', 'zzz', '']);
    expect(columnValues(2)).toEqual([1.5, 2.25, null, -1, 0]);
    expect(columnValues(3)).toEqual([1, -2, 3, null, 5]);
    expect(columnValues(4)).toEqual([Date.UTC(2020, 0, 1), null, 0, -1000, 1234]);
  });

  it('refuses corrupt files and paths leading out of the roots', async () => {
    const bad = join(tmp, 'corrupt.parquet');
    await writeFile(bad, 'PAR1 this is not parquet at all PAR1');
    await expect(connector.discover(bad, {}, { roots })).rejects.toMatchObject({
      code: 'SOURCE_FILE_INVALID',
      message: expect.stringContaining(bad),
    });
    const link = join(tmp, 'outside.parquet');
    await symlink(`${SF001}/nation.parquet`, link);
    await expect(connector.discover(link, {}, { roots: [tmp] })).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
  });
});

describe('ParquetConnector decoded-column cache', () => {
  it('serves warm scans from cached columns, also mixed with freshly decoded ones', async () => {
    const t = await table(LINEITEM_SF01);
    const [quantity, , discount] = [t.columns[4], t.columns[5], t.columns[6]];
    const cold = await scanSplits(t, request([4, 5]));
    const usedAfterCold = decodedColumnCache.usedBytes;
    expect(usedAfterCold).toBeGreaterThan(0);
    const warm = await scanSplits(t, request([4, 5]));
    expect(decodedColumnCache.usedBytes).toBe(usedAfterCold);
    expect(columnSum(warm.batches, 0, quantity)).toBe(columnSum(cold.batches, 0, quantity));
    // l_quantity comes from the cache, l_discount is decoded now; asked in reverse order.
    const mixed = await scanSplits(t, request([6, 4]));
    expect(decodedColumnCache.usedBytes).toBeGreaterThan(usedAfterCold);
    expect(rowCount(mixed.batches)).toBe(600_572);
    expect(columnSum(mixed.batches, 1, quantity)).toBe(columnSum(cold.batches, 0, quantity));
    const [[expected]] = await duckdb<number>(
      `SELECT (sum(l_discount) * 100)::BIGINT FROM read_parquet('${LINEITEM_SF01}')`,
    );
    expect(columnSum(mixed.batches, 0, discount)).toBe(Number(expected));
  });
});

describe('ParquetConnector confinement at scan time', () => {
  /** Copies TPC-H files into the folder, all with one mtime (so copies are alike to the cache). */
  async function place(folder: string, ...names: string[]): Promise<void> {
    for (const name of names) {
      await copyFile(`${SF001}/${name}.parquet`, join(folder, `${name}.parquet`));
      await utimes(join(folder, `${name}.parquet`), 1_700_000_000, 1_700_000_000);
    }
  }
  async function registered(path: string, context: ScanContext, name?: string): Promise<TableRef> {
    const found = await connector.discover(path, {}, context);
    const t = name ? found.find((x) => x.name === name)! : found[0];
    return { source: 's', table: t.name, sourceType: 'parquet', columns: t.columns, location: t.location };
  }
  const scanWhole = (t: TableRef, context: ScanContext, columns = [0, 1]) =>
    collect(connector.scan(t, { info: {} }, request(columns), context));

  it('refuses a registered file since swapped for a symlink out of the roots, naming only the path', async () => {
    const { root, outside, context } = await confinedFolders();
    await place(root, 'nation');
    await place(outside, 'region');
    const file = join(root, 'nation.parquet');
    const t = await registered(file, context);
    expect(rowCount(await scanWhole(t, context))).toBe(25);
    await swapForSymlink(file, join(outside, 'region.parquet'));
    await expectNotAllowed(connector.planSplits(t, request([0]), 4, context), file, outside);
    await expectNotAllowed(scanWhole(t, context), file, outside);
  });

  it('refuses a hand-made location outside the roots before opening it', async () => {
    const { root, outside, context } = await confinedFolders();
    await place(root, 'nation');
    const t = await registered(join(root, 'nation.parquet'), context);
    const at = (file: string): TableRef => ({ ...t, location: { file } });
    await expectNotAllowed(scanWhole(at('/etc/passwd'), context), '/etc/passwd');
    await expectNotAllowed(connector.planSplits(at('/etc/passwd'), request([0]), 1, context), '/etc/passwd');
    makeFifo(join(outside, 'pipe.parquet'));
    await expectNotAllowed(
      scanWhole(at(join(outside, 'pipe.parquet')), context),
      join(outside, 'pipe.parquet'),
    );
  });

  it('still reads through a symlink that stays inside the roots', async () => {
    const { root, context } = await confinedFolders();
    await place(root, 'nation');
    await symlink(join(root, 'nation.parquet'), join(root, 'alias.parquet'));
    const t = await registered(join(root, 'nation.parquet'), context);
    const alias: TableRef = { ...t, location: { file: join(root, 'alias.parquet') } };
    const splits = await connector.planSplits(alias, request([0]), 1, context);
    const batches = await collect(connector.scan(alias, splits[0], request([0]), context));
    expect(columnSum(batches, 0, t.columns[0])).toBe(300);
  });

  it('refuses the swapped file of a folder source and reads the others', async () => {
    const { root, outside, context } = await confinedFolders();
    await place(root, 'nation', 'region');
    await place(outside, 'region');
    const nation = await registered(root, context, 'nation');
    const region = await registered(root, context, 'region');
    await swapForSymlink(join(root, 'region.parquet'), join(outside, 'region.parquet'));
    expect(rowCount(await scanWhole(nation, context))).toBe(25);
    await expectNotAllowed(scanWhole(region, context), join(root, 'region.parquet'), outside);
  });

  it('serves no cached column of a file that now leads out of the roots', async () => {
    const { root, outside, context } = await confinedFolders();
    await place(root, 'nation');
    // The same bytes, size and mtime outside: (file, size, mtime) alone would match the cache.
    await place(outside, 'nation');
    const file = join(root, 'nation.parquet');
    const t = await registered(file, context);
    const before = decodedColumnCache.size;
    expect(rowCount(await scanWhole(t, context))).toBe(25);
    expect(decodedColumnCache.size).toBe(before + 2);
    await swapForSymlink(file, join(outside, 'nation.parquet'));
    await expectNotAllowed(scanWhole(t, context), file, outside);
  });

  it('confines the file again before each row group, so a swap mid-scan stops the scan', async () => {
    const { root, outside, context } = await confinedFolders();
    const file = join(root, 'groups.parquet');
    await duckdb(
      `COPY (SELECT range AS x FROM range(300000)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 100000)`,
    );
    await copyFile(file, join(outside, 'groups.parquet'));
    await utimes(file, 1_700_000_000, 1_700_000_000);
    await utimes(join(outside, 'groups.parquet'), 1_700_000_000, 1_700_000_000);
    const t = await registered(file, context);
    const splits = await connector.planSplits(t, request([0]), 8, context);
    expect(splits.length).toBeGreaterThan(1);
    const rowGroups = splits.flatMap((s) => s.info.rowGroups as number[]);
    const batches = connector.scan(t, { info: { rowGroups } }, request([0]), context);
    const scanned = (async () => {
      let rows = 0;
      for await (const batch of batches) {
        if (rows === 0) await swapForSymlink(file, join(outside, 'groups.parquet'));
        rows += batch.numRows;
      }
      return rows;
    })();
    await expectNotAllowed(scanned, file, outside);
  });
});
