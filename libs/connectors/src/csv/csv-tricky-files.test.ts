import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RecordBatch } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  columnBuffers,
  formatDate,
  formatTimestamp,
  isValid,
  typeToString,
  type ColumnDescriptor,
} from '@tributary/common';
import { compareResults, sharedDuckDbOracle, type ComparableResult } from '@tributary/common/testing';
import type { TableRef } from '@tributary/plan';
import { emptyScanCounters, type ScanContext, type ScanCounters } from '../connector.ts';
import { collect } from '../test-support.ts';
import { CsvConnector } from './csv-connector.ts';

/**
 * Tricky CSV files, generated here, each read by the connector and compared with DuckDB's
 * read_csv on the very same file (names, types, values), or with the typed error expected.
 */

const connector = new CsvConnector();
const roots = [tmpdir()];
let folder: string;
let files = 0;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'csv-tricky-'));
});

async function fileOf(content: string | Buffer, ext = 'csv'): Promise<string> {
  const file = join(folder, `t${files++}.${ext}`);
  await writeFile(file, content);
  return file;
}

async function tableOf(path: string, options: Record<string, unknown> = {}): Promise<TableRef> {
  const [t] = await connector.discover(path, options, { roots });
  return { source: 's', table: t.name, sourceType: 'csv', columns: t.columns, location: t.location };
}

/** Every row of a table, through `splits` byte-range splits. */
async function scan(t: TableRef, splits = 1, counters?: ScanCounters): Promise<RecordBatch[]> {
  const context: ScanContext = { roots, ...(counters ? { counters } : {}) };
  const request = { columns: t.columns.map((_, i) => i), filters: [], limit: null };
  const batches: RecordBatch[] = [];
  for (const split of await connector.planSplits(t, request, splits, context))
    batches.push(...(await collect(connector.scan(t, split, request, context))));
  return batches;
}

function cell(batch: RecordBatch, c: number, row: number, column: ColumnDescriptor): unknown {
  const data = batch.data.children[c];
  const buffers = columnBuffers(data, column.type);
  if (!isValid(buffers.validity, row)) return null;
  switch (column.type.kind) {
    case 'BIGINT':
      return String(new BigInt64Array(buffers.values.buffer, buffers.values.byteOffset, buffers.length)[row]);
    case 'TIMESTAMP':
      return formatTimestamp(
        Number(new BigInt64Array(buffers.values.buffer, buffers.values.byteOffset, buffers.length)[row]),
      );
    case 'DATE':
      return formatDate((buffers.values as Int32Array)[row]);
    default:
      return batch.getChildAt(c)?.get(row);
  }
}

function resultOf(t: TableRef, batches: readonly RecordBatch[]): ComparableResult {
  const rows: unknown[][] = [];
  for (const batch of batches)
    for (let r = 0; r < batch.numRows; r++) rows.push(t.columns.map((col, c) => cell(batch, c, r, col)));
  return { columns: t.columns.map((c) => ({ name: c.name, type: typeToString(c.type) })), rows };
}

/** Reads `file` with the connector (`options`) and DuckDB (`duckdbOptions`) and compares all. */
async function expectAsDuckDb(
  file: string,
  options: Record<string, unknown> = {},
  duckdbOptions = '',
  splits = 1,
): Promise<TableRef> {
  const t = await tableOf(file, options);
  const oracle = await sharedDuckDbOracle();
  const expected = await oracle.query(
    `SELECT * FROM read_csv('${file}'${duckdbOptions ? `, ${duckdbOptions}` : ''})`,
  );
  expect(compareResults(resultOf(t, await scan(t, splits)), expected, { ordered: true })).toEqual([]);
  return t;
}

describe('CSV tricky files, as DuckDB reads them', () => {
  it('quoted fields with delimiters, doubled quotes and newlines', async () => {
    const file = await fileOf(
      'id,text,n\n1,"a, b",2\n2,"say ""hi""",3\n3,"two\nlines\r\nthree",4\n4,plain,5\n',
    );
    await expectAsDuckDb(file);
  });

  it('a BOM and CRLF line ends', async () => {
    const file = await fileOf('\ufeffid,name,day\r\n1,x,2024-01-02\r\n2,"y\r\nz",2024-02-29\r\n');
    const t = await expectAsDuckDb(file);
    expect(t.columns[0].name).toBe('id');
  });

  it('backslash-escaped quotes, sniffed', async () => {
    const file = await fileOf('a,b\n1,"he said \\"hi\\""\n2,"x"\n3,"back\\\\slash"\n');
    const t = await expectAsDuckDb(file);
    expect(connector.tableSettings(t.location)).toMatchObject({ quote: '"', escape: '\\' });
  });

  it.each([
    [';', 'semicolon'],
    ['\t', 'tab'],
    ['|', 'pipe'],
  ])('a %j-delimited file (%s)', async (delimiter) => {
    const rows = ['id,name,price,day', '1,"a;b|c",1.5,2024-01-02', '2,x,2.25,2024-03-04', '3,,3,'];
    const file = await fileOf(`${rows.map((r) => r.replaceAll(',', delimiter)).join('\n')}\n`);
    const t = await expectAsDuckDb(file);
    expect(connector.tableSettings(t.location)).toMatchObject({ delimiter });
  });

  it('an empty file and a header-only file', async () => {
    await expectAsDuckDb(await fileOf(''));
    await expectAsDuckDb(await fileOf('a,b,c\n'));
  });

  it('a 1 MB field', async () => {
    const big = 'x'.repeat(1 << 20);
    const file = await fileOf(`id,blob,n\n1,"${big}",2\n2,${big.slice(0, 1000)},3\n`);
    await expectAsDuckDb(file);
  });

  it('nulls spelled several ways', async () => {
    const file = await fileOf('a,b,c\n1,NA,x\nNULL,y,-\n-,,z\n3,"NA",\n');
    await expectAsDuckDb(file, { nullStrings: ['NA', 'NULL', '-'] }, "nullstr=['NA','NULL','-']");
    await expectAsDuckDb(file, { nullString: 'NA' }, "nullstr='NA'");
  });

  it('day-first and month-first dates and timestamps, and a format given as an option', async () => {
    await expectAsDuckDb(
      await fileOf('day,ts,n\n13/01/2024,02/01/2024 10:11:12,1\n01/02/2024,13/01/2024 23:00:00,2\n'),
    );
    const file = await fileOf('d,n\n2024|01|13,1\n2024|02|01,2\n');
    await expectAsDuckDb(file, { dateFormat: '%Y|%m|%d' }, "dateformat='%Y|%m|%d'");
  });

  it('mixed ISO date spellings, which DuckDB leaves as text, are all read as dates', async () => {
    const file = await fileOf('d\n2024-01-02\n2024/01/03\n2024-1-4\n');
    const oracle = await sharedDuckDbOracle();
    expect((await oracle.query(`SELECT * FROM read_csv('${file}')`)).columns[0].type).toBe('VARCHAR');
    const t = await tableOf(file);
    expect(resultOf(t, await scan(t)).rows).toEqual([['2024-01-02'], ['2024-01-03'], ['2024-01-04']]);
  });

  it('a pinned column type', async () => {
    const file = await fileOf('id,code,day\n1,007,2024-01-02\n2,010,2024-01-03\n');
    const t = await expectAsDuckDb(
      file,
      { columns: { id: 'VARCHAR', day: 'VARCHAR' } },
      "types={'id': 'VARCHAR', 'day': 'VARCHAR'}",
    );
    expect(connector.tableSettings(t.location)).toMatchObject({ columns: { id: 'VARCHAR', day: 'VARCHAR' } });
  });

  it('a gzip-compressed file, read as one split', async () => {
    const lines = ['id,name,price'];
    for (let i = 0; i < 5000; i++) lines.push(`${i},"n ${i}",${i}.25`);
    const file = await fileOf(gzipSync(`${lines.join('\n')}\n`), 'csv.gz');
    const t = await expectAsDuckDb(file, {}, '', 4);
    expect(t.table).toBe(
      file
        .split('/')
        .pop()!
        .replace(/\.csv\.gz$/, ''),
    );
    expect(
      await connector.planSplits(t, { columns: [0], filters: [], limit: null }, 4, { roots }),
    ).toHaveLength(1);
    const counters = emptyScanCounters();
    await scan(t, 1, counters);
    expect(counters).toMatchObject({ rowsRead: 5000, filesRead: 1 });
    expect(counters.bytesRead).toBeLessThan(Buffer.byteLength(lines.join('\n')));
  });

  it('a corrupt gzip file fails with a typed error naming it', async () => {
    const good = gzipSync('a,b\n1,2\n'.repeat(1000));
    const file = await fileOf(
      Buffer.concat([good.subarray(0, good.length - 40), Buffer.alloc(40, 7)]),
      'csv.gz',
    );
    const error = await tableOf(file)
      .then((t) => scan(t))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SOURCE_FILE_INVALID', message: expect.stringContaining(file) });
  });
});

describe('CSV bad rows', () => {
  const ragged = 'a,b,c\n1,x,2\n2,y\n3,z,4,5\n4,w,6\n';

  it('fails on a short or a long row by default, with file, line and what was expected', async () => {
    const t = await tableOf(await fileOf(ragged));
    await expect(scan(t)).rejects.toMatchObject({
      code: 'CSV_RAGGED_ROW',
      message: expect.stringMatching(/line 3: expected 3 fields, found 2$/),
      details: { line: 3 },
    });
  });

  it('skips them as DuckDB ignore_errors does, counting them and naming their lines', async () => {
    const file = await fileOf(ragged);
    const t = await expectAsDuckDb(file, { badRows: 'skip' }, 'ignore_errors=true');
    const counters = emptyScanCounters();
    await scan(t, 1, counters);
    expect(counters.badRowsSkipped).toBe(2);
    expect(counters.badRowSamples).toEqual([
      `${file} line 3: expected 3 fields, found 2`,
      `${file} line 4: expected 3 fields, found 4`,
    ]);
    expect(counters.rowsRead).toBe(2);
  });

  it('skips a value its column cannot hold, whichever columns are read', async () => {
    const lines = ['k,v'];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},${i}`);
    lines.push('30000,oops', '30001,1');
    const file = await fileOf(`${lines.join('\n')}\n`);
    const t = await expectAsDuckDb(file, { badRows: 'skip' }, 'ignore_errors=true');
    const counters = emptyScanCounters();
    const request = { columns: [0], filters: [], limit: null };
    const context = { roots, counters };
    const [split] = await connector.planSplits(t, request, 1, context);
    const only = await collect(connector.scan(t, split, request, context));
    expect(only.reduce((n, b) => n + b.numRows, 0)).toBe(30_001);
    expect(counters.badRowSamples).toEqual([
      `${file} line 30002: column 2 ("v"): expected a BIGINT, found "oops"`,
    ]);
    const error = await scan(await tableOf(file)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'CSV_VALUE_INVALID',
      message: expect.stringContaining('line 30002: column 2 ("v"): expected a BIGINT, found "oops"'),
    });
  });

  it('fills short rows with NULLs (DuckDB null_padding) and bad values with NULL under "null"', async () => {
    const file = await fileOf('a,b,c\n1,x,2\n2,y\n3,z,4\n');
    await expectAsDuckDb(file, { badRows: 'null' }, 'null_padding=true');
    const lines = ['k,v'];
    for (let i = 0; i < 25_000; i++) lines.push(`${i},${i}`);
    lines.push('25000,oops');
    const t = await tableOf(await fileOf(`${lines.join('\n')}\n`), { badRows: 'null' });
    const rows = resultOf(t, await scan(t)).rows;
    expect(rows).toHaveLength(25_001);
    expect(rows[25_000]).toEqual(['25000', null]);
  });

  it('refuses bad UTF-8 naming the byte offset, or replaces it', async () => {
    const file = await fileOf(
      Buffer.concat([Buffer.from('a,b\n1,ok\n2,bad'), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]),
    );
    const oracle = await sharedDuckDbOracle();
    await expect(oracle.query(`SELECT * FROM read_csv('${file}')`)).rejects.toThrow(/unicode|UTF-8/i);
    await expect(scan(await tableOf(file))).rejects.toMatchObject({
      code: 'CSV_ENCODING_INVALID',
      message: expect.stringContaining('byte offset 14'),
      details: { byteOffset: 14 },
    });
    const t = await tableOf(file, { invalidUtf8: 'replace' });
    expect(resultOf(t, await scan(t)).rows).toEqual([
      ['1', 'ok'],
      ['2', 'bad\ufffd('],
    ]);
  });

  it('an unterminated quote is a typed error with its line', async () => {
    const t = await tableOf(await fileOf('a,b\n1,x\n2,"open\n3,y\n'), { quote: '"' });
    await expect(scan(t)).rejects.toMatchObject({ code: 'CSV_QUOTE_UNTERMINATED', details: { line: 3 } });
  });
});

describe('CSV options', () => {
  it('refuses unknown option names at the source and at the table level, with a did-you-mean', async () => {
    const file = await fileOf('a,b\n1,2\n');
    await expect(tableOf(file, { delimter: ';' })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_UNKNOWN',
      message: expect.stringContaining('did you mean "delimiter"'),
    });
    const name = file
      .split('/')
      .pop()!
      .replace(/\.csv$/, '');
    await expect(tableOf(file, { tables: { [name]: { hedaer: false } } })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_UNKNOWN',
      message: expect.stringContaining('did you mean "header"'),
    });
    await expect(tableOf(file, { tables: { [`${name}x`]: { header: false } } })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_UNKNOWN',
      message: expect.stringContaining(`did you mean "${name}"`),
    });
    await expect(tableOf(file, { badRows: 'ignore' })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_INVALID',
    });
    await expect(tableOf(file, { columns: { c: 'DATE' } })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_INVALID',
    });
  });

  it('overrides the source options per table and shows the settings', async () => {
    const dir = await mkdtemp(join(folder, 'multi-'));
    await writeFile(join(dir, 'one.csv'), 'a;b\n1;2\n');
    await writeFile(join(dir, 'two.csv'), '1|2\n3|4\n');
    const tables = await connector.discover(
      dir,
      {
        delimiter: ';',
        nullStrings: ['NA'],
        tables: { two: { delimiter: '|', header: false, badRows: 'skip' } },
      },
      { roots },
    );
    const settings = Object.fromEntries(tables.map((t) => [t.name, connector.tableSettings(t.location)]));
    expect(settings.one).toEqual({
      delimiter: ';',
      quote: '"',
      escape: '"',
      header: true,
      nullStrings: ['NA'],
      badRows: 'error',
      invalidUtf8: 'error',
      compression: 'none',
      splittable: true,
    });
    expect(settings.two).toMatchObject({ delimiter: '|', header: false, badRows: 'skip' });
    expect(tables[1].columns.map((c) => c.name)).toEqual(['column0', 'column1']);
  });

  it('counts bytes, rows and files read', async () => {
    const content = 'a,b\n1,2\n3,4\n';
    const t = await tableOf(await fileOf(content));
    const counters = emptyScanCounters();
    await scan(t, 1, counters);
    expect(counters).toMatchObject({ bytesRead: content.length, rowsRead: 2, filesRead: 1 });
  });
});
