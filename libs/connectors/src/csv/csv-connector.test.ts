import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { typeToString, type TributaryError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import type { ScanRequest } from '../connector.ts';
import { collect, columnSum, duckdb, rowCount, valueAt } from '../test-support.ts';
import { CsvConnector, csvRanges } from './csv-connector.ts';

const DATA = '/work/shared/data/tpch/sf0.01/csv';
const connector = new CsvConnector();
const roots = ['/work/shared/data', tmpdir()];

async function table(path: string, options: Record<string, unknown> = {}, name?: string): Promise<TableRef> {
  const found = await connector.discover(path, options, { roots });
  const t = name ? found.find((x) => x.name === name)! : found[0];
  return {
    source: 's',
    table: t.name,
    sourceType: 'csv',
    columns: t.columns,
    location: t.location,
    rowCount: t.rowCount,
  };
}

function request(columns: number[], limit: number | null = null): ScanRequest {
  return { columns, filters: [], limit };
}

async function scanAll(t: TableRef, req: ScanRequest, targetSplits = 1) {
  const splits = await connector.planSplits(t, req, targetSplits);
  const batches = [];
  for (const split of splits) batches.push(...(await collect(connector.scan(t, split, req))));
  return { splits, batches };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'csv-test-'));
});

describe('CsvConnector', () => {
  it('discovers the TPC-H folder with typed columns', async () => {
    const tables = await connector.discover(DATA, {}, { roots });
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
    expect(lineitem.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'l_orderkey BIGINT',
      'l_partkey BIGINT',
      'l_suppkey BIGINT',
      'l_linenumber BIGINT',
      'l_quantity DECIMAL(18,2)',
      'l_extendedprice DECIMAL(18,2)',
      'l_discount DECIMAL(18,2)',
      'l_tax DECIMAL(18,2)',
      'l_returnflag VARCHAR',
      'l_linestatus VARCHAR',
      'l_shipdate DATE',
      'l_commitdate DATE',
      'l_receiptdate DATE',
      'l_shipinstruct VARCHAR',
      'l_shipmode VARCHAR',
      'l_comment VARCHAR',
    ]);
    expect(lineitem.location).toMatchObject({ file: `${DATA}/lineitem.csv`, header: true, delimiter: ',' });
  });

  it('scans lineitem with the same count and sums as DuckDB', async () => {
    const t = await table(`${DATA}/lineitem.csv`);
    const { batches } = await scanAll(t, request([0, 4, 5, 10, 15, 8]));
    const [[count, orderkeys, qty, price, days, commentBytes]] = await duckdb<number>(
      `SELECT count(*)::DOUBLE, sum(l_orderkey)::DOUBLE, sum(round(l_quantity * 100))::DOUBLE, sum(round(l_extendedprice * 100))::DOUBLE,
              sum(l_shipdate - DATE '1970-01-01')::DOUBLE, sum(strlen(l_comment))::DOUBLE
       FROM read_csv('${DATA}/lineitem.csv')`,
    );
    expect(rowCount(batches)).toBe(count);
    expect(batches).toHaveLength(1); // 60175 rows fit one batch of 64K
    expect(batches[0].schema.fields.map((f) => f.name)).toEqual([
      'l_orderkey',
      'l_quantity',
      'l_extendedprice',
      'l_shipdate',
      'l_comment',
      'l_returnflag',
    ]);
    expect(columnSum(batches, 0, t.columns[0])).toBe(orderkeys);
    expect(columnSum(batches, 1, t.columns[4])).toBe(qty);
    expect(columnSum(batches, 2, t.columns[5])).toBe(price);
    expect(columnSum(batches, 3, t.columns[10])).toBe(days);
    expect(columnSum(batches, 4, t.columns[15])).toBe(commentBytes);
    expect(valueAt(batches, 0, 4)).toBe('egular courts above the');
    expect(valueAt(batches, 0, 5)).toBe('N');
  });

  it('byte-range splits cover every row exactly once', async () => {
    const t = await table(`${DATA}/lineitem.csv`);
    const ranges = csvRanges(7_396_204, 7, 1 << 20);
    expect(ranges).toHaveLength(7);
    let total = 0;
    let keys = 0;
    for (const { start, end } of ranges) {
      const split = { info: { start, end: Number.isFinite(end) ? end : null } };
      const batches = await collect(connector.scan(t, split, request([0])));
      total += rowCount(batches);
      keys += columnSum(batches, 0, t.columns[0]);
    }
    const [[count, sum]] = await duckdb<number>(
      `SELECT count(*)::DOUBLE, sum(l_orderkey)::DOUBLE FROM read_csv('${DATA}/lineitem.csv')`,
    );
    expect(total).toBe(count);
    expect(keys).toBe(sum);
  });

  it('yields row counts without columns, and stops at a limit', async () => {
    const t = await table(`${DATA}/orders.csv`);
    const { batches } = await scanAll(t, request([]));
    expect(rowCount(batches)).toBe(15_000);
    expect(batches[0].numCols).toBe(0);
    const limited = await scanAll(t, request([0], 10));
    expect(rowCount(limited.batches)).toBe(10);
  });

  it('parses quotes, doubled quotes, CRLF, BOM, a last line without newline and NULLs', async () => {
    const file = join(tmp, 'quoted.csv');
    await writeFile(
      file,
      '\ufeffid,name,price,day\r\n1,"a, ""b""",1.50,2024-01-02\r\n2,,2,\r\n3,"x\ny",-0.25,2024-02-29',
    );
    const t = await table(file);
    expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'id BIGINT',
      'name VARCHAR',
      'price DECIMAL(18,2)',
      'day DATE',
    ]);
    expect(t.location.splittable).toBe(false);
    const { batches } = await scanAll(t, request([1, 2, 3, 0]));
    expect(rowCount(batches)).toBe(3);
    expect([0, 1, 2].map((r) => valueAt(batches, r, 0))).toEqual(['a, "b"', null, 'x\ny']);
    expect(columnSum(batches, 1, t.columns[2])).toBe(150 + 200 - 25);
    expect(valueAt(batches, 1, 2)).toBe(null);
    expect(columnSum(batches, 2, t.columns[3])).toBe(19724 + 19782);
  });

  it('detects a header-less file and a custom delimiter', async () => {
    const file = join(tmp, 'plain.tsv');
    await writeFile(file, '1\t2.5e3\ttrue\n2\t1e-2\tfalse\n');
    const t = await table(file, { delimiter: '\t' });
    expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'column0 BIGINT',
      'column1 DOUBLE',
      'column2 BOOLEAN',
    ]);
    const { batches } = await scanAll(t, request([1, 2]));
    expect(valueAt(batches, 0, 0)).toBe(2500);
    expect(valueAt(batches, 1, 0)).toBe(0.01);
    expect(valueAt(batches, 0, 1)).toBe(true);
  });

  it('reads a header-only file as a header with no rows', async () => {
    const file = join(tmp, 'empty.csv');
    await writeFile(file, 'id,name\n');
    const t = await table(file);
    expect(t.columns.map((c) => c.name)).toEqual(['id', 'name']);
    const { batches } = await scanAll(t, request([0, 1]));
    expect(rowCount(batches)).toBe(0);
  });

  it('fills missing fields of short rows with NULL and refuses long rows', async () => {
    const file = join(tmp, 'ragged.csv');
    await writeFile(file, 'a,b,c\n1,x,2\n2,y\n3,z,4,5\n');
    const t = await table(file);
    const short = await collect(connector.scan(t, { info: { start: 0, end: 14 } }, request([2])));
    expect(rowCount(short)).toBe(2);
    expect(valueAt(short, 1, 0)).toBe(null);
    await expect(scanAll(t, request([0]))).rejects.toMatchObject({
      code: 'CSV_RAGGED_ROW',
      message: expect.stringContaining('line 4'),
    });
  });

  it('reports a value that does not match the inferred type with file, line and column', async () => {
    const file = join(tmp, 'bad-value.csv');
    const lines = ['k,v'];
    for (let i = 0; i < 12_000; i++) lines.push(`${i},${i}`);
    lines.push('12000,oops');
    await writeFile(file, lines.join('\n'));
    const t = await table(file);
    expect(t.columns[1].type.kind).toBe('BIGINT');
    const error = (await scanAll(t, request([1])).catch((e: unknown) => e)) as TributaryError;
    expect(error.code).toBe('CSV_VALUE_INVALID');
    expect(error.message).toContain('line 12002');
    expect(error.message).toContain('"v"');
    expect(error.message).toContain(file);
  });

  it('refuses paths outside the roots, also through a symlink', async () => {
    const link = join(tmp, 'escape.csv');
    await symlink('/etc/passwd', link);
    await expect(connector.discover(link, {}, { roots: [tmp] })).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
    await expect(connector.discover(`${DATA}/lineitem.csv`, {}, { roots: [tmp] })).rejects.toMatchObject({
      code: 'PATH_NOT_ALLOWED',
    });
    await expect(connector.discover(join(tmp, 'missing.csv'), {}, { roots: [tmp] })).rejects.toMatchObject({
      code: 'PATH_NOT_FOUND',
    });
  });

  it('refuses a binary file as SOURCE_FILE_INVALID', async () => {
    const file = join(tmp, 'binary.csv');
    await writeFile(file, Buffer.from([0, 1, 2, 3, 0, 10]));
    await expect(connector.discover(file, {}, { roots })).rejects.toMatchObject({
      code: 'SOURCE_FILE_INVALID',
      message: expect.stringContaining(file),
    });
  });
});
