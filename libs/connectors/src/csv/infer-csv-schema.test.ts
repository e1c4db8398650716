import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { beforeAll, describe, expect, it } from 'vitest';
import { columnBuffers, isValid, typeToString, type ColumnDescriptor } from '@tributary/common';
import { sharedDuckDbOracle, tributaryTypeName } from '@tributary/common/testing';
import { collect } from '../test-support.ts';
import { csvDialect, type CsvDialect } from './csv-dialect.ts';
import { csvLocation, type CsvLocation } from './csv-location.ts';
import { inferCsvSchema } from './infer-csv-schema.ts';
import { scanCsv } from './scan-csv.ts';

/**
 * Columns of CSV text: each is written under a header `a` (beside a text column `b`) and
 * typed both by inferCsvSchema and by DuckDB's read_csv on the very same file. DuckDB
 * decides the expected type; the values Tributary scans must equal DuckDB's, doubles to the
 * bit.
 */
const AGREED: readonly (readonly string[])[] = [
  ['1', '2', '-3'],
  ['1.50', '2.25', '-3.1'],
  ['1', '2.5', '3'],
  ['1.5', '1'],
  ['1e5', '2.5E-3', '3'],
  ['1', '1e5'],
  ['0.1e1', '5e-324', '1e-400'],
  ['1e400', '-1e400', '1'],
  ['0.1000000000000000055511151231257827', '1.23456789012345678901234567890', '3'],
  ['9007199254740993.0', '0.3', '2.675'],
  ['+1', '+2', '3'],
  ['+1.5', '2', '3'],
  ['1', '+1'],
  [' 1', ' 2 ', '3 '],
  [' 1.5', ' 2', '3'],
  ['1.5 ', '2', '3'],
  [' 1.5 ', '2', '3'],
  ['1\t', '\t2'],
  ['NaN', '1.5', '2'],
  ['nan', 'NAN', '-nan'],
  ['1', 'nan'],
  ['1', 'inf'],
  ['1', '-Infinity'],
  ['inf', '1.5', '2'],
  ['t', 'f', 't'],
  ['true', 'false', 'TRUE'],
  ['YES', 'No', 'nO'],
  ['true', 'yes', 'f'],
  [' true', 'false'],
  ['1', '0', '1'],
  ['y', 'n'],
  ['1', 't'],
  ['t', '1'],
  ['2024-01-02', '2024-02-29', '1999-12-31'],
  ['2024-1-2', '2024-01-02'],
  [' 2024-01-02', '2024-01-02 '],
  ['2024/01/02', '2024/2/29'],
  ['2024-02-30', '2024-01-01'],
  ['20240102', '20240103'],
  ['2024-01-02 03:04:05', '2024-01-02 03:04:05.123', '2024-01-02T03:04:05'],
  ['2024-01-02 03:04', '2024-01-03 03:05'],
  ['2024-01-02T03:04:05.123456789', '2024-01-02 03:04:05.1234567'],
  ['2024-01-02 03:04:05', '2024-01-02'],
  ['2024-01-02 3:4:5', '2024-01-02 03:04:05'],
  ['2024/01/02 03:04:05', '2024/01/03 04:05:06'],
  ['2024-1-2 3:04', '2024-01-02T03:04'],
  ['2024-01-02  03:04:05', '2024-01-02 03:04:05.1234567891234', '2024-01-02 23:59:59.9999999'],
  ['2024-01-02 24:00:01', '2024-01-02 03:04:05'],
  ['2024-01-02 03:04:60', '2024-01-02 03:04:05'],
  ['2024-01-02 03', '2024-01-02 03:04:05'],
  ['2024-01-02 03:04:05 Z', '2024-01-02 03:04:05'],
  ['2024-01-02 03:04:05+5', '2024-01-02 03:04:05'],
  ['2024-01-02 03:04:05 +02:00', '2024-01-02 03:04:05'],
  ['2024-01-02 24:00:00', '2024-01-02 03:04:05'],
  ['2024-01-02 03:04:05.', '2024-01-02 03:04:05'],
  ['  2024-01-02 03:04:05', '2024-01-02 03:04:05  '],
  ['25:00:00', '1'],
  ['2024-01-02', '2024-01-02 03:04:05'],
  ['2024-01-02 03:60:00', '2024-01-02 03:04:05'],
  ['2024-01-02 03:04:05', '5'],
  ['1', '2024-01-02'],
  ['2024-01-02', '1'],
  ['03:04:05', '1'],
  ['1', '03:04:05'],
  ['', '', ''],
  ['', '1', '2'],
  [' ', '1', '2'],
  ['9223372036854775807', '1', '2'],
  ['-9223372036854775808', '1'],
  ['9223372036854775808', '1', '2'],
  ['1', '-9223372036854775809'],
  ['123456789012345678901234567890123456789012', '1'],
  ['18446744073709551615', '1'],
  ['9223372036854775808', 'x'],
  ['007', '010', '3'],
  ['1', '007'],
  ['1', '00'],
  ['1', '-007'],
  ['007.5', '010', '3'],
  ['00.5', '1'],
  ['1.5', '-00.5'],
  ['0', '-0', '0.0'],
  ['0', '1'],
  ['0e5', '1'],
  ['1.', '.5', '-.5'],
  ['+.5', '1'],
  ['.e5', '1'],
  ['1.5e', '1'],
  ['0x10', '0X1F', '1'],
  ['0b101', '0x1F'],
  ['-0x10', '1'],
  ['0xZZ', '1'],
  ['1_000', '2'],
  ['1,000', '2'],
  ['1d5', '1'],
  ['1.5.5', '1'],
  ['-', '1'],
  ['NULL', '1'],
  ['x', '1', '2'],
  // Dates and timestamps in the other formats DuckDB's sniffer tries.
  ['01/02/2024', '13/02/2024'],
  ['02/01/2024', '03/01/2024'],
  ['2024.01.02', '2024.02.03'],
  ['01-13-2024', '12-31-2024'],
  ['02/01/24', '03/01/24'],
  ['02/01/2024 10:11:12', '13/01/2024 23:59:59'],
  ['01-13-2024 10:11:12 PM', '12-31-2024 01:02:03 AM'],
  // Zoned: TIMESTAMP WITH TIME ZONE, each value the UTC instant it names.
  ['2024-01-02 03:04:05+02', '2024-01-02 03:04:05Z', '2024-01-02 03:04:05'],
  ['2024-01-02 03:04:05', '2024-01-02 03:04:05-05:30'],
  ['2024-01-02 03:04:05+0530', '2024-01-02 03:04:05+02:00:00'],
  ['2024-01-02T03:04:05.123456Z', '1999-12-31 23:59:59.5-08'],
  // Times of day: TIME.
  ['03:04:05', '12:00:00', '03:04'],
  ['03:04:05.123', '3:4:5.', ' 23:59:59.999999 '],
  ['10:00', '24:00:00'],
  ['10:00', '10:00:00+02'],
];

/**
 * Where Tributary deliberately differs, each checked against DuckDB so the gap stays known:
 * Tributary has no infinite dates.
 */
const GAPS: readonly { values: readonly string[]; duckdb: string; tributary: string }[] = [
  { values: ['inf', 'infinity', '-Inf'], duckdb: 'DATE', tributary: 'VARCHAR' },
  { values: ['2024-01-02', 'infinity'], duckdb: 'DATE', tributary: 'VARCHAR' },
  { values: ['2024-01-02', 'epoch'], duckdb: 'DATE', tributary: 'VARCHAR' },
];

const roots = [tmpdir()];
const DIALECT: CsvDialect = csvDialect({});
let folder: string;
let fileCount = 0;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'csv-infer-'));
});

async function csvFile(values: readonly string[]): Promise<string> {
  const file = join(folder, `column${fileCount++}.csv`);
  const quote = (v: string): string => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  await writeFile(file, `a,b\n${values.map((v) => `${quote(v)},x`).join('\n')}\n`);
  return file;
}

async function duckdbType(file: string): Promise<string> {
  const oracle = await sharedDuckDbOracle();
  const [column] = await oracle.describe(`SELECT a FROM read_csv('${file}')`);
  return column.duckdbType;
}

/** Row `row` of a scanned column in a form DuckDB's values are turned into below. */
function scannedValue(batches: readonly RecordBatch[], row: number, descriptor: ColumnDescriptor): unknown {
  for (const batch of batches) {
    if (row >= batch.numRows) {
      row -= batch.numRows;
      continue;
    }
    const col = columnBuffers(batch.data.children[0], descriptor.type);
    if (!isValid(col.validity, row)) return null;
    switch (descriptor.type.kind) {
      case 'BIGINT':
      case 'TIMESTAMP':
      case 'TIME':
        return new BigInt64Array(col.values.buffer, col.values.byteOffset, col.length)[row];
      case 'DOUBLE':
      case 'DATE':
        return (col.values as Float64Array | Int32Array)[row];
      default:
        return batch.getChildAt(0)?.get(row);
    }
  }
  return undefined;
}

/** DuckDB's values of column `a` in the same form: BIGINT and epoch microseconds as bigint, days and doubles as numbers. */
async function duckdbValues(file: string, kind: string): Promise<unknown[]> {
  const oracle = await sharedDuckDbOracle();
  const expression =
    kind === 'DATE'
      ? `(a - DATE '1970-01-01')::INTEGER`
      : kind === 'TIMESTAMP'
        ? 'epoch_us(a)'
        : kind === 'TIME'
          ? `date_diff('microsecond', TIME '00:00:00', a)`
          : 'a';
  const rows = await oracle.rowsJs(`SELECT ${expression} FROM read_csv('${file}')`);
  return rows.map((r) => r[0]);
}

describe('inferCsvSchema types columns as DuckDB read_csv does', () => {
  it.each(AGREED.map((values) => [JSON.stringify(values), values] as const))('%s', async (_name, values) => {
    const file = await csvFile(values);
    const expected = tributaryTypeName(await duckdbType(file));
    const schema = await inferCsvSchema(file, DIALECT);
    expect(schema.header).toBe(true);
    const column = schema.columns[0];
    expect(typeToString(column.type)).toBe(expected);
    // The values too: the scanner reads what DuckDB reads, doubles correctly rounded.
    let duck: unknown[];
    try {
      duck = await duckdbValues(file, column.type.kind);
    } catch {
      // DuckDB's sniffed type fails on a later value (0x10 then 1.5): so must the scan.
      await expect(
        collect(
          scanCsv(
            csvLocationOf(file, schema.columnFormats),
            schema.columns,
            [0],
            { start: 0, end: Infinity },
            null,
            { roots },
          ),
        ),
      ).rejects.toMatchObject({ code: 'CSV_VALUE_INVALID' });
      return;
    }
    const batches = await collect(
      scanCsv(
        csvLocationOf(file, schema.columnFormats),
        schema.columns,
        [0],
        { start: 0, end: Infinity },
        null,
        { roots },
      ),
    );
    const scanned = duck.map((_, row) => scannedValue(batches, row, column));
    if (column.type.kind === 'VARCHAR') expect(scanned).toEqual(duck);
    else
      expect(scanned.map((v) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : v) : v))).toEqual(
        duck.map((v) => (typeof v === 'number' ? (Object.is(v, -0) ? '-0' : v) : v)),
      );
  });

  it.each(GAPS.map((gap) => [JSON.stringify(gap.values), gap] as const))(
    'known gap %s',
    async (_name, gap) => {
      const file = await csvFile(gap.values);
      expect(await duckdbType(file)).toBe(gap.duckdb);
      const schema = await inferCsvSchema(file, DIALECT);
      expect(typeToString(schema.columns[0].type)).toBe(gap.tributary);
    },
  );

  it('samples 20480 lines as DuckDB does: a decimal on the last sampled line makes the column DOUBLE', async () => {
    const inside = await csvFile([...Array<string>(20_478).fill('1'), '1.5']);
    const beyond = await csvFile([...Array<string>(20_479).fill('1'), '1.5']);
    for (const file of [inside, beyond]) {
      const schema = await inferCsvSchema(file, DIALECT);
      expect(typeToString(schema.columns[0].type)).toBe(tributaryTypeName(await duckdbType(file)));
    }
  });
});

function csvLocationOf(file: string, columnFormats: Record<string, string> = {}): CsvLocation {
  return csvLocation({ file, delimiter: ',', quote: '"', header: true, splittable: true, columnFormats });
}
