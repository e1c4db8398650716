import type { RecordBatch } from 'apache-arrow';
import {
  BIGINT,
  BOOLEAN,
  ColumnBuilder,
  DATE,
  DOUBLE,
  FLOAT,
  INTEGER,
  SMALLINT,
  TIME,
  TIMESTAMP,
  TIMESTAMPTZ,
  TINYINT,
  VARCHAR,
  decimal,
  makeRecordBatch,
  type SqlType,
} from '@tributary/common';
import type { Field } from '@tributary/plan';

/** The columns of the test batch, and the same table in DuckDB SQL (VALUES with typed columns). */
export const TEST_FIELDS: Field[] = [
  { name: 'id', type: INTEGER, nullable: true },
  { name: 'amount', type: decimal(15, 2), nullable: true },
  { name: 'big', type: BIGINT, nullable: true },
  { name: 'day', type: DATE, nullable: true },
  { name: 'name', type: VARCHAR, nullable: true },
  { name: 'ratio', type: DOUBLE, nullable: true },
  { name: 'flag', type: BOOLEAN, nullable: true },
  { name: 'ts', type: TIMESTAMP, nullable: true },
  { name: 'tz', type: TIMESTAMPTZ, nullable: true },
  { name: 'clock', type: TIME, nullable: true },
  { name: 'tiny', type: TINYINT, nullable: true },
  { name: 'small', type: SMALLINT, nullable: true },
  { name: 'single', type: FLOAT, nullable: true },
];

type Cell = number | bigint | string | boolean | null;

/** Rows of awkward values: commas, quotes, line breaks, the empty string, NULLs, 2^53+1, decimals' trailing zeros. */
const ROWS: Cell[][] = [
  [
    1,
    1230n,
    9007199254740993n,
    19000,
    'plain',
    0.1,
    true,
    1_700_000_000_123_456n,
    1_700_000_000_500_000n,
    45_000_000_000n,
    127,
    32767,
    Math.fround(0.1),
  ],
  [2, -5n, -42n, 0, 'a, "quoted"\nline', -2.5, false, 0n, 0n, 0n, -128, -32768, -1.5],
  [3, 99999999999999n, 0n, -1, '', 1e-7, null, null, -1n, 86_400_000_000n, 0, 300, Math.fround(3.4e38)],
  [null, null, null, null, null, null, null, null, null, null, null, null, null],
  [5, 7n, 1n, 20000, ' edge spaces ', 12345.678, true, 86_400_000_000n, null, 1n, -1, 7, 16777216],
];

/** The same rows as DuckDB SQL, so DuckDB gives the expected answer of every read-back. */
export const TEST_ROWS_SQL = `SELECT * FROM (VALUES
  (1, 12.30::DECIMAL(15,2), 9007199254740993::BIGINT, DATE '2022-01-08', 'plain', 0.1::DOUBLE, true, TIMESTAMP '2023-11-14 22:13:20.123456', TIMESTAMPTZ '2023-11-14 22:13:20.5+00', TIME '12:30:00', 127::TINYINT, 32767::SMALLINT, 0.1::FLOAT),
  (2, -0.05::DECIMAL(15,2), -42::BIGINT, DATE '1970-01-01', e'a, "quoted"\\nline', -2.5::DOUBLE, false, TIMESTAMP '1970-01-01 00:00:00', TIMESTAMPTZ '1970-01-01 00:00:00+00', TIME '00:00:00', (-128)::TINYINT, (-32768)::SMALLINT, -1.5::FLOAT),
  (3, 999999999999.99::DECIMAL(15,2), 0::BIGINT, DATE '1969-12-31', '', 1e-7::DOUBLE, NULL, NULL, TIMESTAMPTZ '1969-12-31 23:59:59.999999+00', TIME '24:00:00', 0::TINYINT, 300::SMALLINT, 3.4e38::FLOAT),
  (NULL::INTEGER, NULL::DECIMAL(15,2), NULL::BIGINT, NULL::DATE, NULL::VARCHAR, NULL::DOUBLE, NULL::BOOLEAN, NULL::TIMESTAMP, NULL::TIMESTAMPTZ, NULL::TIME, NULL::TINYINT, NULL::SMALLINT, NULL::FLOAT),
  (5, 0.07::DECIMAL(15,2), 1::BIGINT, DATE '2024-10-04', ' edge spaces ', 12345.678::DOUBLE, true, TIMESTAMP '1970-01-02 00:00:00', NULL, TIME '00:00:00.000001', -1::TINYINT, 7::SMALLINT, 16777216::FLOAT)
) t(id, amount, big, day, name, ratio, flag, ts, tz, clock, tiny, small, single)`;

function column(type: SqlType, values: Cell[]) {
  const b = new ColumnBuilder(type, values.length);
  for (const v of values) {
    if (v === null) b.appendNull();
    else if (typeof v === 'bigint') b.appendBigInt(v);
    else if (typeof v === 'string') b.appendString(v);
    else if (typeof v === 'boolean') b.appendBoolean(v);
    else b.appendNumber(v);
  }
  return b.finish();
}

/** Rows `from` to `to` of the test rows as one batch. */
export function testBatch(from = 0, to = ROWS.length): RecordBatch {
  const rows = ROWS.slice(from, to);
  return makeRecordBatch(
    TEST_FIELDS,
    TEST_FIELDS.map((f, c) =>
      column(
        f.type,
        rows.map((r) => r[c]),
      ),
    ),
    rows.length,
  );
}

export const TEST_ROW_COUNT = ROWS.length;
