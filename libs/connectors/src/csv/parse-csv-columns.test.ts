import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  columnBuffers,
  DATE,
  decimal,
  DOUBLE,
  formatDate,
  INTEGER,
  TIMESTAMP,
  typeToString,
  VARCHAR,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import { compareResults, sharedDuckDbOracle } from '@tributary/common/testing';
import { collect } from '../test-support.ts';
import { CsvColumn } from './csv-column.ts';
import { CsvConnector } from './csv-connector.ts';
import { csvRowIndex, indexCsvRows, INDEX_FULL, type IndexCursor } from './csv-row-index.ts';
import { csvSyntax, rowFields, tokenizeRow, type CsvSyntax } from './csv-tokenizer.ts';
import {
  parseCsvColumn,
  parseCsvField,
  type CsvColumnTarget,
  type CsvValueOptions,
} from './parse-csv-columns.ts';

/**
 * The column parsers (the second pass of the scan) against the reference reading of one
 * field at a time (parseCsvField, the row-at-a-time scanner's reading), and against DuckDB
 * on edge values.
 */

const syntax: CsvSyntax = csvSyntax({ delimiter: ',', quote: '"', escape: '"' });

function optionsOf(nullOnError: boolean, nullStrings: string[] = []): CsvValueOptions {
  return {
    syntax,
    nullStrings: nullStrings.map((s) => Buffer.from(s)),
    emptyIsNull: true,
    nullOnError,
  };
}

function targetsOf(types: readonly SqlType[]): CsvColumnTarget[] {
  return types.map((type, field) => ({
    field,
    column: new CsvColumn(type, 1 << 16),
    scale: type.kind === 'DECIMAL' ? type.scale : 0,
    format: undefined,
  }));
}

/** A value of a column as a comparable JS value (null when not valid). */
function valueAt(c: ColumnBuffers, r: number): unknown {
  if (c.validity && ((c.validity[r >> 3] >> (r & 7)) & 1) === 0) return null;
  switch (c.type.kind) {
    case 'BIGINT':
    case 'TIMESTAMP':
      return (c.values as BigInt64Array)[r];
    case 'DECIMAL': {
      const w = c.values as Uint32Array;
      let v = 0n;
      for (let k = 3; k >= 0; k--) v = (v << 32n) | BigInt(w[4 * r + k]);
      return BigInt.asIntN(128, v);
    }
    case 'BOOLEAN':
      return (((c.values as Uint8Array)[r >> 3] >> (r & 7)) & 1) === 1;
    case 'VARCHAR':
      return Buffer.from(c.values.buffer, c.values.byteOffset, c.values.byteLength).toString(
        'utf8',
        c.offsets![r],
        c.offsets![r + 1],
      );
    default:
      return (c.values as Int32Array | Float64Array)[r];
  }
}

function valuesOf(c: ColumnBuffers): unknown[] {
  return Array.from({ length: c.length }, (_, r) => valueAt(c, r));
}

/** Every column through the two passes; the first bad row of each column (-1: none). */
function readByColumns(
  text: string,
  types: readonly SqlType[],
  options: CsvValueOptions,
): { columns: unknown[][]; firstBad: number[] } {
  const buf = new Uint8Array(Buffer.from(text)); // word-aligned, as the scan's buffers are
  const index = csvRowIndex(types.length, 100);
  const targets = targetsOf(types);
  const cursor: IndexCursor = {
    buf,
    pos: 0,
    eof: true,
    stopAt: buf.length,
    skipHeader: false,
    rowStart: 0,
    fieldCount: 0,
    nextQuote: -1,
    quoteBuf: undefined,
  };
  const firstBad = types.map(() => -1);
  let rows = 0;
  for (;;) {
    const event = indexCsvRows(cursor, index, 100, syntax, rowFields(types.length), false);
    targets.forEach((t, c) => {
      const bad = parseCsvColumn(buf, index, 0, index.rows, t, rows, options);
      if (bad >= 0 && firstBad[c] < 0) firstBad[c] = rows + bad;
    });
    rows += index.rows;
    if (event !== INDEX_FULL) break;
  }
  return { columns: targets.map((t) => valuesOf(t.column.finish(rows))), firstBad };
}

/** The reference: the tokenizer row by row, then parseCsvField field by field. */
function readByFields(
  text: string,
  types: readonly SqlType[],
  options: CsvValueOptions,
): { columns: unknown[][]; firstBad: number[] } {
  const buf = Buffer.from(text);
  const fields = rowFields(types.length);
  const targets = targetsOf(types);
  const firstBad = types.map(() => -1);
  let rows = 0;
  for (let p = 0; p < buf.length; rows++) {
    p = tokenizeRow(buf, p, buf.length, true, syntax, fields);
    targets.forEach((t, c) => {
      if (parseCsvField(buf, fields.start[c], fields.end[c], fields.flag[c], t, rows, options)) return;
      if (firstBad[c] < 0) firstBad[c] = rows;
      t.column.setNull(rows);
    });
  }
  return { columns: targets.map((t) => valuesOf(t.column.finish(rows))), firstBad };
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CANDIDATES: Record<string, string[]> = {
  BIGINT: [
    '-9223372036854775808',
    '9223372036854775807',
    '9223372036854775808',
    '-9223372036854775809',
    '0',
    '-0',
    '007',
    '+5',
    '9007199254740993',
    '-9007199254740993',
    '123456789012345',
    '-999999999999999',
    '1234567890123456',
    ' 42 ',
    '\t-7',
    '0x1F',
    '0b101',
    '1e5',
    '1.0',
    '-',
    'x',
    '',
  ],
  INTEGER: ['2147483647', '-2147483648', '2147483648', '-2147483649', '0', '12', ' 3', 'x', ''],
  DECIMAL: [
    '-0.001',
    '-12345.5',
    '0.000',
    '1.25',
    '1.2500',
    '1.2501',
    '-999999999999999.999',
    '99999999999999.999',
    '123456789012345678.9',
    '5.',
    '.5',
    '-.5',
    '+3.1',
    '.',
    '-',
    '1..2',
    '1e3',
    ' 7.5 ',
    '',
  ],
  DOUBLE: [
    '1e10',
    '-2.5E-3',
    '1.7976931348623157e308',
    '4.9e-324',
    '1e400',
    '.5',
    '5.',
    '-0',
    '0.1',
    '3.141592653589793',
    '123456789012345678',
    '1234567890.12345',
    '-inf',
    'Infinity',
    'NaN',
    '+1.5',
    '1.2.3',
    'e5',
    ' 2.5 ',
    '',
  ],
  DATE: [
    '2000-02-29',
    '2024-02-29',
    '2023-02-29',
    '1900-02-28',
    '1900-02-29',
    '0001-01-01',
    '9999-12-31',
    '1970-01-01',
    '1969-12-31',
    '2024-13-01',
    '2024-00-10',
    '2024-04-31',
    '2024-1-4',
    '2024/01/05',
    ' 2024-01-06 ',
    '2024-01-0x',
    '',
  ],
  VARCHAR: ['', 'a', 'plain text', 'żółw', 'x'.repeat(100), 'NA', '2024-01-01', '  padded  '],
  TIMESTAMP: ['2024-01-02 03:04:05', '2024-01-02T03:04:05.123456', '2024-01-02', 'x', ''],
  BOOLEAN: ['true', 'F', 'yes', '0', 'maybe', ''],
};

const TYPES: SqlType[] = [BIGINT, INTEGER, decimal(18, 3), DOUBLE, DATE, VARCHAR, TIMESTAMP, BOOLEAN];

/** A CSV text of random candidate values, some quoted, some with doubled quotes. */
function randomCsv(rows: number, seed: number): string {
  const next = random(seed);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const fields = TYPES.map((t) => {
      const pool = CANDIDATES[t.kind];
      const value = pool[Math.floor(next() * pool.length)];
      const dice = next();
      if (dice < 0.15) return `"${value}"`;
      if (dice < 0.18 && t.kind === 'VARCHAR') return `"${value}""q"`;
      if (dice < 0.2 && t.kind === 'VARCHAR') return `"${value},${value}"`;
      return value;
    });
    lines.push(fields.join(','));
  }
  return `${lines.join(next() < 0.5 ? '\n' : '\r\n')}\n`;
}

describe('column parsers, against the reference reading of one field at a time', () => {
  it.each([1, 2, 3])('read random edge values alike (seed %i), bad values as NULL', (seed) => {
    const text = randomCsv(3000, seed);
    const options = optionsOf(true);
    const byColumns = readByColumns(text, TYPES, options);
    const byFields = readByFields(text, TYPES, options);
    for (let c = 0; c < TYPES.length; c++) expect(byColumns.columns[c]).toEqual(byFields.columns[c]);
    expect(byColumns.columns[0]).toHaveLength(3000);
  });

  it.each([4, 5])('stop at the same first bad row of each column (seed %i)', (seed) => {
    const text = randomCsv(500, seed);
    const options = optionsOf(false);
    const byColumns = readByColumns(text, TYPES, options);
    const byFields = readByFields(text, TYPES, options);
    expect(byColumns.firstBad).toEqual(byFields.firstBad);
    expect(byColumns.firstBad.some((r) => r > 0)).toBe(true);
  });

  it('read null strings, quoted or not, and empty fields', () => {
    const text = 'NA,NA,"NA",\n"",1,2024-01-02,x\n,"",,"NA"\n';
    const types = [VARCHAR, BIGINT, DATE, VARCHAR];
    const options = optionsOf(false, ['NA']);
    const byColumns = readByColumns(text, types, options);
    expect(byColumns).toEqual(readByFields(text, types, options));
    expect(byColumns.columns).toEqual([
      [null, '', null],
      [null, 1n, null],
      [null, formatDays('2024-01-02'), null],
      [null, 'x', null],
    ]);
  });

  it('refuse dates with bytes just outside the digits', () => {
    // '/' and ':' sit on either side of '0'-'9'.
    expect(readByColumns('2024-01-19,2099-09-10', [DATE, DATE], optionsOf(false)).firstBad).toEqual([-1, -1]);
    for (const text of ['2024-01-1:', '2024-01-0/', '20:4-01-01', '/024-01-01', '2024-:1-01', '2024-1/-01']) {
      expect(readByColumns(text, [DATE], optionsOf(false)).firstBad).toEqual([0]);
    }
  });

  it('read edge values to the exact value', () => {
    const text = [
      '-9223372036854775808,-0.001,1e10,2000-02-29',
      '9223372036854775807,-12345.5,-2.5E-3,2024-02-29',
      '-999999999999999,-999999999999999.999,1.7976931348623157e308,1900-02-28',
      '123456789012345,.5,.5,0001-01-01',
      ',,,',
    ].join('\n');
    const types = [BIGINT, decimal(18, 3), DOUBLE, DATE];
    const { columns } = readByColumns(text, types, optionsOf(false));
    expect(columns).toEqual([
      [-9223372036854775808n, 9223372036854775807n, -999999999999999n, 123456789012345n, null],
      [-1n, -12345500n, -999999999999999999n, 500n, null],
      [1e10, -0.0025, 1.7976931348623157e308, 0.5, null],
      [
        formatDays('2000-02-29'),
        formatDays('2024-02-29'),
        formatDays('1900-02-28'),
        formatDays('0001-01-01'),
        null,
      ],
    ]);
  });
});

function decimalText(unscaled: bigint, scale: number): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${unscaled < 0n ? '-' : ''}${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}

function formatDays(iso: string): number {
  const days =
    Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
  // Date.UTC reads years 0-99 as 1900-1999.
  if (Number(iso.slice(0, 4)) < 100) {
    const d = new Date(0);
    d.setUTCFullYear(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
    return Math.round(d.getTime() / 86_400_000);
  }
  return days;
}

describe('the scan, on edge values, as DuckDB reads them', () => {
  it('reads min/max BIGINT, negative decimals, exponent doubles, leap dates, empty and quoted fields', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'csv-columns-'));
    const file = join(folder, 'edges.csv');
    const rows = [
      'big,dec,dbl,d,s',
      '-9223372036854775808,-0.001,1e10,2000-02-29,"q"',
      '9223372036854775807,-12345.5,-2.5E-3,2024-02-29,"a,b"',
      '0,0.000,1.7976931348623157e308,1900-02-28,"say ""hi"""',
      '007,"-3.25",.5,0001-01-01,plain',
      '9007199254740993,99999999999999.999,5.,9999-12-31,"żółw"',
      '"-42",5.,123456789012345678,"1969-12-31",',
      ',,,,"x"',
    ];
    await writeFile(file, `${rows.join('\n')}\n`);
    const connector = new CsvConnector();
    const roots = [tmpdir()];
    const types = { big: 'BIGINT', dec: 'DECIMAL(18,3)', dbl: 'DOUBLE', d: 'DATE', s: 'VARCHAR' };
    const [t] = await connector.discover(file, { columns: types }, { roots });
    const request = { columns: t.columns.map((_, i) => i), filters: [], limit: null };
    const batches = await collect(
      connector.scan(
        { source: 's', table: t.name, sourceType: 'csv', columns: t.columns, location: t.location },
        { info: { start: 0, end: null } },
        request,
        { roots },
      ),
    );
    const actual = {
      columns: t.columns.map((c) => ({ name: c.name, type: typeToString(c.type) })),
      rows: batches.flatMap((b) =>
        Array.from({ length: b.numRows }, (_, r) =>
          t.columns.map((c, i) => {
            const v = valueAt(columnBuffers(b.data.children[i], c.type), r);
            if (v === null) return null;
            if (c.type.kind === 'DATE') return formatDate(v as number);
            if (c.type.kind === 'DECIMAL') return decimalText(v as bigint, c.type.scale);
            return v;
          }),
        ),
      ),
    };
    const oracle = await sharedDuckDbOracle();
    const expected = await oracle.query(
      `SELECT * FROM read_csv('${file}', types={'big': 'BIGINT', 'dec': 'DECIMAL(18,3)', 'dbl': 'DOUBLE', 'd': 'DATE', 's': 'VARCHAR'})`,
    );
    expect(compareResults(actual, expected, { ordered: true })).toEqual([]);
  });
});
