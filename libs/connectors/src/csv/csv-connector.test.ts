import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { typeToString, type TributaryError } from '@tributary/common';
import type { TableRef } from '@tributary/plan';
import type { ScanContext, ScanRequest } from '../connector.ts';
import {
  collect,
  columnSum,
  confinedFolders,
  duckdb,
  expectNotAllowed,
  makeFifo,
  rowCount,
  swapForSymlink,
  valueAt,
} from '../test-support.ts';
import { CsvConnector, csvRanges } from './csv-connector.ts';
import { csvLocation } from './csv-location.ts';
import { scanCsv } from './scan-csv.ts';

const DATA = '/work/shared/data/tpch/sf0.01/csv';
const connector = new CsvConnector();
const roots = ['/work/shared/data', tmpdir()];
const context: ScanContext = { roots };

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
  const splits = await connector.planSplits(t, req, targetSplits, context);
  const batches = [];
  for (const split of splits) batches.push(...(await collect(connector.scan(t, split, req, context))));
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
      'l_quantity DOUBLE',
      'l_extendedprice DOUBLE',
      'l_discount DOUBLE',
      'l_tax DOUBLE',
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
      `SELECT count(*)::DOUBLE, sum(l_orderkey)::DOUBLE, sum(l_quantity), sum(l_extendedprice),
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
    // Sums of doubles: equal up to the summation order.
    expect(columnSum(batches, 1, t.columns[4])).toBeCloseTo(qty, 4);
    expect(columnSum(batches, 2, t.columns[5])).toBeCloseTo(price, 4);
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
      const batches = await collect(connector.scan(t, split, request([0]), context));
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
      'price DOUBLE',
      'day DATE',
    ]);
    const { batches } = await scanAll(t, request([1, 2, 3, 0]));
    expect(rowCount(batches)).toBe(3);
    expect([0, 1, 2].map((r) => valueAt(batches, r, 0))).toEqual(['a, "b"', null, 'x\ny']);
    expect(columnSum(batches, 1, t.columns[2])).toBe(1.5 + 2 - 0.25);
    expect(valueAt(batches, 1, 2)).toBe(null);
    expect(columnSum(batches, 2, t.columns[3])).toBe(19724 + 19782);
  });

  it('sniffs ; tab and | delimiters like DuckDB when none is given', async () => {
    const files = {
      'semi.csv': 'id;name;amount\n1;"a;b";1.5\n2;"x ""q"" y";-2.25\n',
      'tabbed.csv': 'id\tname\tamount\n1\ta;b\t1.5\n2\tx, y\t-2.25\n',
      'piped.csv': 'id|name|amount\n1|a;b|1.5\n2|x, y|-2.25\n',
    };
    for (const [name, text] of Object.entries(files)) {
      const file = join(tmp, name);
      await writeFile(file, text);
      const t = await table(file);
      expect(t.columns.map((c) => c.name)).toEqual(['id', 'name', 'amount']);
      const { batches } = await scanAll(t, request([0, 1, 2]));
      const [duck] = await duckdb<bigint>(`SELECT sum(id), sum(amount) FROM read_csv('${file}')`);
      expect(columnSum(batches, 0, t.columns[0])).toBe(Number(duck[0]));
      expect(columnSum(batches, 2, t.columns[2])).toBe(Number(duck[1]));
    }
  });

  it('reads padded numbers, t/f booleans, zoned timestamps and a nameless last column like DuckDB', async () => {
    // A double with a trailing blank is text to DuckDB's sniffer, an integer is not.
    const file = join(tmp, 'loose.csv');
    await writeFile(
      file,
      'a, b ,flag,ts,\n 1 , 2.5,t,2024-01-01 10:00:00+02,\n3,4 ,f,2024-01-01T10:00:00.5Z,\n',
    );
    const t = await table(file);
    expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'a BIGINT',
      'b VARCHAR',
      'flag BOOLEAN',
      'ts TIMESTAMP WITH TIME ZONE',
      'column4 VARCHAR',
    ]);
    const { batches } = await scanAll(t, request([0, 1, 2, 3, 4]));
    const [duck] = await duckdb<bigint>(
      `SELECT sum(a), sum(epoch_us(ts)) FROM read_csv('${file}', types = {'a': 'BIGINT'})`,
    );
    expect(columnSum(batches, 0, t.columns[0])).toBe(Number(duck[0]));
    const types = await duckdb<string>(
      `SELECT column_type FROM (DESCRIBE SELECT * FROM read_csv('${file}'))`,
    );
    expect(types.map((r) => r[0]).slice(0, 4)).toEqual([
      'BIGINT',
      'VARCHAR',
      'BOOLEAN',
      'TIMESTAMP WITH TIME ZONE',
    ]);
    expect([0, 1].map((r) => valueAt(batches, r, 1))).toEqual([' 2.5', '4 ']);
    expect([0, 1].map((r) => valueAt(batches, r, 2))).toEqual([true, false]);
    expect(columnSum(batches, 3, t.columns[3])).toBe(Number(duck[1]));
    expect(valueAt(batches, 0, 4)).toBe(null);
  });

  it('cuts a file with quoted newlines past the sample into byte ranges without losing or doubling a row', async () => {
    const file = join(tmp, 'late-newline.csv');
    const lines = ['id,s'];
    for (let i = 0; i < 120_000; i++)
      lines.push(i % 10_000 === 5 ? `${i},"two\nlines, ""quoted""\n${i},x"` : `${i},v${i}`);
    const text = `${lines.join('\n')}\n`;
    await writeFile(file, text);
    const t = await table(file);
    expect(t.location.splittable).toBe(true);
    const location = csvLocation(t.location);
    const size = Buffer.byteLength(text);
    const scanRange = (start: number, end: number) =>
      collect(scanCsv(location, t.columns, [0], { start, end }, null, context));
    // Cuts right inside, at and after the quoted newlines, and at arbitrary places.
    const inside = text.indexOf('two\nlines') + 4;
    for (const cuts of [
      [inside - 1, inside, inside + 1, inside + 8],
      [Math.floor(size / 3), Math.floor((2 * size) / 3)],
      [text.indexOf('\n50005,x"') + 1, text.indexOf('\n50005,x"') + 2],
    ]) {
      const bounds = [0, ...cuts, Infinity];
      const parts = await Promise.all(bounds.slice(1).map((end, i) => scanRange(bounds[i], end)));
      const all = parts.flat();
      expect(rowCount(all)).toBe(120_000);
      expect(columnSum(all, 0, t.columns[0])).toBe((119_999 * 120_000) / 2);
    }
    const whole = await table(file, { splittable: false });
    expect(whole.location.splittable).toBe(false);
  });

  it('passes over split starts that also read as the inside of a quoted field holding CSV lines', async () => {
    const file = join(tmp, 'embedded-csv.csv');
    const embedded = Array.from({ length: 12 }, (_, k) => `${k},${k * 2}`).join('\n');
    const lines = ['id,note'];
    for (let i = 0; i < 3000; i++) lines.push(i % 50 === 7 ? `${i},"rows:\n${embedded}\nend"` : `${i},n${i}`);
    const text = `${lines.join('\n')}\n`;
    await writeFile(file, text);
    const t = await table(file);
    const location = csvLocation(t.location);
    const scanRange = (start: number, end: number) =>
      collect(scanCsv(location, t.columns, [0], { start, end }, null, context));
    let from = 0;
    for (let k = 0; k < 4; k++) {
      const cut = text.indexOf('\n3,6\n', from) + 1; // inside an embedded block
      from = cut + 1;
      const parts = [...(await scanRange(0, cut)), ...(await scanRange(cut, Infinity))];
      expect(rowCount(parts)).toBe(3000);
      expect(columnSum(parts, 0, t.columns[0])).toBe((2999 * 3000) / 2);
    }
  });

  it('takes a first row of text as the header of an all-text file, as DuckDB does', async () => {
    const file = join(tmp, 'people.csv');
    await writeFile(file, 'First Name,Last-Name,e-mail\nalice,smith,a@x.org\nbob,jones,b@y.org\n');
    const t = await table(file);
    const duck = await duckdb<string>(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_csv('${file}'))`);
    expect(t.columns.map((c) => c.name)).toEqual(duck.map((r) => r[0]));
    expect(rowCount((await scanAll(t, request([0]))).batches)).toBe(2);
    const lone = join(tmp, 'lone.csv');
    await writeFile(lone, '1,2\n');
    expect((await table(lone)).location.header).toBe(false);
  });

  it('refuses, rather than rounds, a decimal past the sample in an integer column', async () => {
    const file = join(tmp, 'late-digits.csv');
    await writeFile(file, `v\n${'1\n'.repeat(25_000)}2.0\n2.5\n`);
    const t = await table(file);
    expect(typeToString(t.columns[0].type)).toBe('BIGINT');
    await expect(scanAll(t, request([0]))).rejects.toMatchObject({ code: 'CSV_VALUE_INVALID' });
    await expect(scanAll(t, request([0]))).rejects.toThrow(
      /line 25002: column 1 \("v"\): expected a BIGINT, found "2\.0"/,
    );
  });

  it('reads an empty file as an empty table', async () => {
    const file = join(tmp, 'nothing.csv');
    await writeFile(file, '');
    const t = await table(file);
    expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual(['column0 VARCHAR']);
    const { batches } = await scanAll(t, request([0]));
    expect(rowCount(batches)).toBe(0);
  });

  it('refuses text that is not UTF-8 naming the byte offset, or replaces it when asked', async () => {
    const file = join(tmp, 'latin1.csv');
    await writeFile(file, Buffer.from('a,b\n1,caf\xe9\n2,ok\n', 'latin1'));
    const t = await table(file);
    for (const columns of [[1], [0]])
      await expect(scanAll(t, request(columns))).rejects.toMatchObject({
        code: 'CSV_ENCODING_INVALID',
        message: expect.stringContaining('byte offset 9'),
      });
    const replaced = await table(file, { invalidUtf8: 'replace' });
    const { batches } = await scanAll(replaced, request([0, 1]));
    expect([0, 1].map((r) => valueAt(batches, r, 1))).toEqual(['caf\ufffd', 'ok']);
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

  it('refuses short and long rows by default, naming file, line and widths', async () => {
    const file = join(tmp, 'ragged.csv');
    await writeFile(file, 'a,b,c\n1,x,2\n2,y\n3,z,4,5\n');
    const t = await table(file);
    await expect(scanAll(t, request([0]))).rejects.toMatchObject({
      code: 'CSV_RAGGED_ROW',
      message: expect.stringContaining(`"${file}" line 3: expected 3 fields, found 2`),
    });
    const long = join(tmp, 'ragged-long.csv');
    await writeFile(long, 'a,b,c\n1,x,2\n3,z,4,5\n');
    await expect(scanAll(await table(long), request([0]))).rejects.toMatchObject({
      code: 'CSV_RAGGED_ROW',
      message: expect.stringContaining('line 3: expected 3 fields, found 4'),
    });
  });

  it('reports a value that does not match the inferred type with file, line and column', async () => {
    const file = join(tmp, 'bad-value.csv');
    const lines = ['k,v'];
    for (let i = 0; i < 25_000; i++) lines.push(`${i},${i}`);
    lines.push('25000,oops');
    await writeFile(file, lines.join('\n'));
    const t = await table(file);
    expect(t.columns[1].type.kind).toBe('BIGINT');
    const error = (await scanAll(t, request([1])).catch((e: unknown) => e)) as TributaryError;
    expect(error.code).toBe('CSV_VALUE_INVALID');
    expect(error.message).toContain('line 25002');
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

describe('CsvConnector confinement at scan time', () => {
  /** A table registered under `context`'s root, as the catalog would hand it to a scan. */
  async function registered(path: string, context: ScanContext, name?: string): Promise<TableRef> {
    const found = await connector.discover(path, {}, context);
    const t = name ? found.find((x) => x.name === name)! : found[0];
    return { source: 's', table: t.name, sourceType: 'csv', columns: t.columns, location: t.location };
  }
  const scanWhole = (t: TableRef, context: ScanContext) =>
    collect(connector.scan(t, { info: { start: 0, end: null } }, request([0]), context));

  it('refuses a registered file since swapped for a symlink out of the roots, naming only the path', async () => {
    const { root, outside, context } = await confinedFolders();
    const file = join(root, 'a.csv');
    const secret = join(outside, 'secret.csv');
    await writeFile(file, 'x\n1\n2\n');
    await writeFile(secret, 'x\n42\n');
    const t = await registered(file, context);
    expect(rowCount(await scanWhole(t, context))).toBe(2);
    await swapForSymlink(file, secret);
    await expectNotAllowed(connector.planSplits(t, request([0]), 4, context), file, secret);
    await expectNotAllowed(scanWhole(t, context), file, secret);
  });

  it('refuses a hand-made location outside the roots before opening it', async () => {
    const { root, outside, context } = await confinedFolders();
    await writeFile(join(root, 'a.csv'), 'x\n1\n');
    const t = await registered(join(root, 'a.csv'), context);
    const at = (file: string): TableRef => ({ ...t, location: { ...t.location, file } });
    await expectNotAllowed(scanWhole(at('/etc/passwd'), context), '/etc/passwd');
    await expectNotAllowed(connector.planSplits(at('/etc/passwd'), request([0]), 1, context), '/etc/passwd');
    // Opening a FIFO would block: being refused shows that nothing was opened, let alone read.
    makeFifo(join(outside, 'pipe.csv'));
    await expectNotAllowed(scanWhole(at(join(outside, 'pipe.csv')), context), join(outside, 'pipe.csv'));
  });

  it('still reads through a symlink that stays inside the roots', async () => {
    const { root, context } = await confinedFolders();
    const file = join(root, 'a.csv');
    await writeFile(file, 'x\n1\n2\n');
    await writeFile(join(root, 'b.csv'), 'x\n7\n8\n9\n');
    const t = await registered(file, context);
    await swapForSymlink(file, join(root, 'b.csv'));
    const splits = await connector.planSplits(t, request([0]), 1, context);
    const batches = await collect(connector.scan(t, splits[0], request([0]), context));
    expect(columnSum(batches, 0, t.columns[0])).toBe(24);
  });

  it('refuses the swapped file of a folder source and reads the others', async () => {
    const { root, outside, context } = await confinedFolders();
    await writeFile(join(root, 'a.csv'), 'x\n1\n');
    await writeFile(join(root, 'b.csv'), 'x\n2\n');
    await writeFile(join(outside, 'secret.csv'), 'x\n42\n');
    const a = await registered(root, context, 'a');
    const b = await registered(root, context, 'b');
    await swapForSymlink(join(root, 'b.csv'), join(outside, 'secret.csv'));
    expect(rowCount(await scanWhole(a, context))).toBe(1);
    await expectNotAllowed(scanWhole(b, context), join(root, 'b.csv'), join(outside, 'secret.csv'));
  });
});
