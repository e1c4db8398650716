import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordBatch } from 'apache-arrow';
import {
  ColumnBuilder,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  decimal,
  makeRecordBatch,
  parseDate,
  parseTimestamp,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import { DuckDbOracle } from '@tributary/common/testing';
import { call, column, literal, type Expr, type Field, type ScalarFunctionName } from '@tributary/plan';
import { batchToJsonRows } from '../result/batch-to-json.ts';
import { compileExpression } from './compile-expression.ts';

const DEC = decimal(15, 2);
const fields: Field[] = [
  { name: 'i', type: INTEGER, nullable: true },
  { name: 'b', type: BIGINT, nullable: true },
  { name: 'd', type: DOUBLE, nullable: true },
  { name: 'm', type: DEC, nullable: true },
  { name: 's', type: VARCHAR, nullable: true },
  { name: 'dt', type: DATE, nullable: true },
  { name: 'ts', type: TIMESTAMP, nullable: true },
  { name: 'f', type: BOOLEAN, nullable: true },
  { name: 'n', type: VARCHAR, nullable: true },
];
const data: (string | number | boolean | null)[][] = [
  [1, 10, 1.5, '1.50', 'hello', '2024-01-31', '2024-01-31 10:11:12.5', true, '12'],
  [-7, -3, -2.5, '-2.75', 'Héllo wörld', '1970-01-01', '1970-01-01 00:00:00', false, ' -3 '],
  [0, 0, 0, '0.00', '', '1969-12-31', '1969-12-31 23:59:59.999999', null, '4.5'],
  [null, 5000000000, null, '123456.78', null, '2000-02-29', null, true, null],
  [42, null, 3.14159, null, 'abc%def', null, '2000-02-29 12:00:00', false, '-0.5'],
  [100, 7, 2.675, '-0.05', '  pad  ', '1900-03-01', '1900-03-01 01:02:03', null, '7'],
];

function buildBatch(): RecordBatch {
  const builders = fields.map((f) => new ColumnBuilder(f.type));
  for (const row of data) {
    row.forEach((v, j) => {
      const b = builders[j];
      if (v === null) return b.appendNull();
      switch (fields[j].type.kind) {
        case 'DECIMAL':
          return b.appendNumber(Math.round(Number(v) * 100));
        case 'DATE':
          return b.appendNumber(parseDate(String(v)) as number);
        case 'TIMESTAMP':
          return b.appendNumber(parseTimestamp(String(v)) as number);
        case 'VARCHAR':
          return b.appendString(String(v));
        case 'BOOLEAN':
          return b.appendBoolean(v as boolean);
        default:
          return b.appendNumber(v as number);
      }
    });
  }
  return makeRecordBatch(
    fields,
    builders.map((b) => b.finish()),
    data.length,
  );
}

const sqlTypes: Record<string, string> = { DECIMAL: 'DECIMAL(15,2)' };
function sqlLiteral(v: string | number | boolean | null, type: SqlType): string {
  if (v === null) return 'NULL';
  const name = sqlTypes[type.kind] ?? type.kind;
  return `CAST(${typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v)} AS ${name})`;
}

const col = (name: string): Expr => {
  const i = fields.findIndex((f) => f.name === name);
  return column(i, name, fields[i].type);
};
const lit = literal;
const fn = (name: ScalarFunctionName, type: SqlType, ...args: Expr[]): Expr => call(name, args, type);

/** [DuckDB SQL over table t, the bound expression computing it] */
const NAN = "CAST('nan' AS DOUBLE)";
const cases: [string, Expr][] = [
  // NaN in DuckDB's order: equal to itself, greater than every number, infinity included.
  [`d < ${NAN}`, fn('lt', BOOLEAN, col('d'), lit(Number.NaN, DOUBLE))],
  [`${NAN} >= d`, fn('gte', BOOLEAN, lit(Number.NaN, DOUBLE), col('d'))],
  [`${NAN} <= d`, fn('lte', BOOLEAN, lit(Number.NaN, DOUBLE), col('d'))],
  [`${NAN} > CAST('inf' AS DOUBLE)`, fn('gt', BOOLEAN, lit(Number.NaN, DOUBLE), lit(Infinity, DOUBLE))],
  [`${NAN} = ${NAN}`, fn('eq', BOOLEAN, lit(Number.NaN, DOUBLE), lit(Number.NaN, DOUBLE))],
  [
    `${NAN} <> d / 2`,
    fn('neq', BOOLEAN, lit(Number.NaN, DOUBLE), fn('divide', DOUBLE, col('d'), lit(2, DOUBLE))),
  ],
  [`m > ${NAN}`, fn('gt', BOOLEAN, { kind: 'cast', expr: col('m'), type: DOUBLE }, lit(Number.NaN, DOUBLE))],
  ['i + 1', fn('add', INTEGER, col('i'), lit(1, INTEGER))],
  ['i - b', fn('subtract', BIGINT, { kind: 'cast', expr: col('i'), type: BIGINT }, col('b'))],
  ['i * 3', fn('multiply', INTEGER, col('i'), lit(3, INTEGER))],
  ['i % 3', fn('modulo', INTEGER, col('i'), lit(3, INTEGER))],
  ['i % 0', fn('modulo', INTEGER, col('i'), lit(0, INTEGER))],
  ['b // 2', fn('divide', BIGINT, col('b'), lit(2, BIGINT))],
  ['b // 0', fn('divide', BIGINT, col('b'), lit(0, BIGINT))],
  ['-i', fn('negate', INTEGER, col('i'))],
  ['d / 2', fn('divide', DOUBLE, col('d'), lit(2, DOUBLE))],
  ['d / 0', fn('divide', DOUBLE, col('d'), lit(0, DOUBLE))],
  ['d * d + 1', fn('add', DOUBLE, fn('multiply', DOUBLE, col('d'), col('d')), lit(1, DOUBLE))],
  ['m + m', fn('add', decimal(16, 2), col('m'), col('m'))],
  ['m - 1.005', fn('subtract', decimal(17, 3), col('m'), lit(1005, decimal(4, 3)))],
  ['m * m', fn('multiply', decimal(30, 4), col('m'), col('m'))],
  ['m * i', fn('multiply', decimal(25, 2), col('m'), col('i'))],
  ['m % 1.00', fn('modulo', decimal(15, 2), col('m'), lit(100, decimal(3, 2)))],
  ['m / 3', fn('divide', DOUBLE, { kind: 'cast', expr: col('m'), type: DOUBLE }, lit(3, DOUBLE))],
  ['-m', fn('negate', DEC, col('m'))],
  ['abs(m)', fn('abs', DEC, col('m'))],
  ['abs(d)', fn('abs', DOUBLE, col('d'))],
  ['round(m, 1)', fn('round', decimal(15, 1), col('m'), lit(1, INTEGER))],
  ['round(m, 0)', fn('round', decimal(15, 0), col('m'), lit(0, INTEGER))],
  ['round(d, 2)', fn('round', DOUBLE, col('d'), lit(2, INTEGER))],
  ['round(d)', fn('round', DOUBLE, col('d'))],
  ['floor(m)', fn('floor', decimal(15, 0), col('m'))],
  ['ceil(m)', fn('ceil', decimal(15, 0), col('m'))],
  ['floor(d)', fn('floor', DOUBLE, col('d'))],
  ['ceil(d)', fn('ceil', DOUBLE, col('d'))],
  ['sqrt(abs(d))', fn('sqrt', DOUBLE, fn('abs', DOUBLE, col('d')))],
  ['power(d, 2)', fn('power', DOUBLE, col('d'), lit(2, DOUBLE))],
  ['exp(d)', fn('exp', DOUBLE, col('d'))],
  ['sin(d)', fn('sin', DOUBLE, col('d'))],
  ['cos(i)', fn('cos', DOUBLE, { kind: 'cast', expr: col('i'), type: DOUBLE })],
  ['tan(d)', fn('tan', DOUBLE, col('d'))],
  ['cot(d + 0.5)', fn('cot', DOUBLE, fn('add', DOUBLE, col('d'), lit(0.5, DOUBLE)))],
  ['asin(d / 4)', fn('asin', DOUBLE, fn('divide', DOUBLE, col('d'), lit(4, DOUBLE)))],
  ['acos(d / 4)', fn('acos', DOUBLE, fn('divide', DOUBLE, col('d'), lit(4, DOUBLE)))],
  ['atan(d)', fn('atan', DOUBLE, col('d'))],
  [
    'atan2(d, CAST(b AS DOUBLE))',
    fn('atan2', DOUBLE, col('d'), { kind: 'cast', expr: col('b'), type: DOUBLE }),
  ],
  [`sin(${NAN})`, fn('sin', DOUBLE, lit(Number.NaN, DOUBLE))],
  [`asin(${NAN})`, fn('asin', DOUBLE, lit(Number.NaN, DOUBLE))],
  [`atan(CAST('-inf' AS DOUBLE))`, fn('atan', DOUBLE, lit(-Infinity, DOUBLE))],
  ['ln(abs(d) + 1)', fn('ln', DOUBLE, fn('add', DOUBLE, fn('abs', DOUBLE, col('d')), lit(1, DOUBLE)))],
  ['sign(m)', fn('sign', INTEGER, col('m'))],
  ['sign(d)', fn('sign', INTEGER, col('d'))],
  ['i = 0', fn('eq', BOOLEAN, col('i'), lit(0, INTEGER))],
  ['i <> 0', fn('neq', BOOLEAN, col('i'), lit(0, INTEGER))],
  ['m < 0', fn('lt', BOOLEAN, col('m'), lit(0, DEC))],
  ['m >= 1.5', fn('gte', BOOLEAN, col('m'), lit(150, DEC))],
  ['d > 1', fn('gt', BOOLEAN, col('d'), lit(1, DOUBLE))],
  ["s = 'hello'", fn('eq', BOOLEAN, col('s'), lit('hello', VARCHAR))],
  ["s < 'b'", fn('lt', BOOLEAN, col('s'), lit('b', VARCHAR))],
  ['s >= n', fn('gte', BOOLEAN, col('s'), col('n'))],
  ['s <= upper(s)', fn('lte', BOOLEAN, col('s'), fn('upper', VARCHAR, col('s')))],
  ["dt < DATE '1995-01-01'", fn('lt', BOOLEAN, col('dt'), lit(parseDate('1995-01-01') as number, DATE))],
  [
    "ts >= TIMESTAMP '2000-01-01'",
    fn('gte', BOOLEAN, col('ts'), lit(parseTimestamp('2000-01-01') as number, TIMESTAMP)),
  ],
  ['f = true', fn('eq', BOOLEAN, col('f'), lit(true, BOOLEAN))],
  ['f AND i > 0', fn('and', BOOLEAN, col('f'), fn('gt', BOOLEAN, col('i'), lit(0, INTEGER)))],
  ['f OR i > 0', fn('or', BOOLEAN, col('f'), fn('gt', BOOLEAN, col('i'), lit(0, INTEGER)))],
  ['NOT f', fn('not', BOOLEAN, col('f'))],
  ['f AND NULL', fn('and', BOOLEAN, col('f'), lit(null, BOOLEAN))],
  ['f OR NULL', fn('or', BOOLEAN, col('f'), lit(null, BOOLEAN))],
  ["s || '!'", fn('concat', VARCHAR, col('s'), lit('!', VARCHAR))],
  ['s || n', fn('concat', VARCHAR, col('s'), col('n'))],
  ['lower(s)', fn('lower', VARCHAR, col('s'))],
  ['upper(s)', fn('upper', VARCHAR, col('s'))],
  ['length(s)', fn('length', BIGINT, col('s'))],
  ['substring(s, 2, 3)', fn('substring', VARCHAR, col('s'), lit(2, BIGINT), lit(3, BIGINT))],
  ['substring(s, 0, 2)', fn('substring', VARCHAR, col('s'), lit(0, BIGINT), lit(2, BIGINT))],
  ['substring(s, -3)', fn('substring', VARCHAR, col('s'), lit(-3, BIGINT))],
  ['substring(s, i)', fn('substring', VARCHAR, col('s'), col('i'))],
  ['trim(s)', fn('trim', VARCHAR, col('s'))],
  ['ltrim(s)', fn('ltrim', VARCHAR, col('s'))],
  ['rtrim(s)', fn('rtrim', VARCHAR, col('s'))],
  ["replace(s, 'l', 'L')", fn('replace', VARCHAR, col('s'), lit('l', VARCHAR), lit('L', VARCHAR))],
  ["starts_with(s, 'he')", fn('starts_with', BOOLEAN, col('s'), lit('he', VARCHAR))],
  ["contains(s, 'l')", fn('contains', BOOLEAN, col('s'), lit('l', VARCHAR))],
  ["strpos(s, 'l')", fn('strpos', BIGINT, col('s'), lit('l', VARCHAR))],
  ["strpos(s, 'wö')", fn('strpos', BIGINT, col('s'), lit('wö', VARCHAR))],
  [
    'coalesce(i, b, 99)',
    fn('coalesce', BIGINT, { kind: 'cast', expr: col('i'), type: BIGINT }, col('b'), lit(99, BIGINT)),
  ],
  ['coalesce(s, n)', fn('coalesce', VARCHAR, col('s'), col('n'))],
  ['coalesce(upper(s), n)', fn('coalesce', VARCHAR, fn('upper', VARCHAR, col('s')), col('n'))],
  ['nullif(i, 0)', fn('nullif', INTEGER, col('i'), lit(0, INTEGER))],
  ["nullif(s, '')", fn('nullif', VARCHAR, col('s'), lit('', VARCHAR))],
  ['extract(year from dt)', fn('extract_year', BIGINT, col('dt'))],
  ['extract(month from dt)', fn('extract_month', BIGINT, col('dt'))],
  ['extract(day from dt)', fn('extract_day', BIGINT, col('dt'))],
  ['extract(quarter from dt)', fn('extract_quarter', BIGINT, col('dt'))],
  ['extract(dow from dt)', fn('extract_dow', BIGINT, col('dt'))],
  ['extract(doy from dt)', fn('extract_doy', BIGINT, col('dt'))],
  ['extract(year from ts)', fn('extract_year', BIGINT, col('ts'))],
  ['extract(month from ts)', fn('extract_month', BIGINT, col('ts'))],
  ['extract(doy from ts)', fn('extract_doy', BIGINT, col('ts'))],
  ['extract(hour from ts)', fn('extract_hour', BIGINT, col('ts'))],
  ['extract(minute from ts)', fn('extract_minute', BIGINT, col('ts'))],
  ['extract(second from ts)', fn('extract_second', BIGINT, col('ts'))],
  ['dt + 30', fn('add', DATE, col('dt'), lit(30, INTEGER))],
  ['dt - 365', fn('subtract', DATE, col('dt'), lit(365, INTEGER))],
  ["dt - DATE '1970-01-01'", fn('subtract', BIGINT, col('dt'), lit(0, DATE))],
  ['date_add(dt, INTERVAL 1 MONTH)::DATE', fn('date_add_months', DATE, col('dt'), lit(1, INTEGER))],
  ['date_add(dt, INTERVAL (-13) MONTH)::DATE', fn('date_add_months', DATE, col('dt'), lit(-13, INTEGER))],
  ['date_add(ts, INTERVAL 1 MONTH)', fn('date_add_months', TIMESTAMP, col('ts'), lit(1, INTEGER))],
  ['date_add(dt, INTERVAL 10 DAY)::DATE', fn('date_add_days', DATE, col('dt'), lit(10, INTEGER))],
  [
    "date_diff('day', dt, DATE '2024-03-01')",
    fn('date_diff_days', BIGINT, col('dt'), lit(parseDate('2024-03-01') as number, DATE)),
  ],
  [
    "date_diff('day', ts, TIMESTAMP '2024-03-01 00:00:00')",
    fn('date_diff_days', BIGINT, col('ts'), lit(parseTimestamp('2024-03-01') as number, TIMESTAMP)),
  ],
  ["date_trunc('year', dt)::DATE", fn('date_trunc_year', DATE, col('dt'))],
  ["date_trunc('quarter', dt)::DATE", fn('date_trunc_quarter', DATE, col('dt'))],
  ["date_trunc('month', dt)::DATE", fn('date_trunc_month', DATE, col('dt'))],
  ["date_trunc('month', ts)", fn('date_trunc_month', TIMESTAMP, col('ts'))],
  ["date_trunc('day', ts)", fn('date_trunc_day', TIMESTAMP, col('ts'))],
  ['CAST(i AS VARCHAR)', { kind: 'cast', expr: col('i'), type: VARCHAR }],
  ['CAST(d AS VARCHAR)', { kind: 'cast', expr: col('d'), type: VARCHAR }],
  ['CAST(m AS VARCHAR)', { kind: 'cast', expr: col('m'), type: VARCHAR }],
  ['CAST(dt AS VARCHAR)', { kind: 'cast', expr: col('dt'), type: VARCHAR }],
  ['CAST(ts AS VARCHAR)', { kind: 'cast', expr: col('ts'), type: VARCHAR }],
  ['CAST(f AS VARCHAR)', { kind: 'cast', expr: col('f'), type: VARCHAR }],
  ['CAST(n AS DOUBLE)', { kind: 'cast', expr: col('n'), type: DOUBLE }],
  ['CAST(n AS DECIMAL(15,2))', { kind: 'cast', expr: col('n'), type: DEC }],
  ['CAST(n AS INTEGER)', { kind: 'cast', expr: col('n'), type: INTEGER }],
  ['CAST(d AS INTEGER)', { kind: 'cast', expr: col('d'), type: INTEGER }],
  ['CAST(d AS DECIMAL(15,2))', { kind: 'cast', expr: col('d'), type: DEC }],
  ['CAST(m AS INTEGER)', { kind: 'cast', expr: col('m'), type: INTEGER }],
  ['CAST(m AS DOUBLE)', { kind: 'cast', expr: col('m'), type: DOUBLE }],
  ['CAST(m AS DECIMAL(15,1))', { kind: 'cast', expr: col('m'), type: decimal(15, 1) }],
  ['CAST(m AS DECIMAL(18,4))', { kind: 'cast', expr: col('m'), type: decimal(18, 4) }],
  ['CAST(i AS DECIMAL(15,2))', { kind: 'cast', expr: col('i'), type: DEC }],
  ['CAST(ts AS DATE)', { kind: 'cast', expr: col('ts'), type: DATE }],
  ['CAST(dt AS TIMESTAMP)', { kind: 'cast', expr: col('dt'), type: TIMESTAMP }],
  [
    'CAST(CAST(dt AS VARCHAR) AS DATE)',
    { kind: 'cast', expr: { kind: 'cast', expr: col('dt'), type: VARCHAR }, type: DATE },
  ],
  [
    'CAST(CAST(ts AS VARCHAR) AS TIMESTAMP)',
    { kind: 'cast', expr: { kind: 'cast', expr: col('ts'), type: VARCHAR }, type: TIMESTAMP },
  ],
  [
    'CAST(CAST(f AS VARCHAR) AS BOOLEAN)',
    { kind: 'cast', expr: { kind: 'cast', expr: col('f'), type: VARCHAR }, type: BOOLEAN },
  ],
  ['CAST(f AS INTEGER)', { kind: 'cast', expr: col('f'), type: INTEGER }],
  [
    "CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' END",
    {
      kind: 'case',
      whens: [
        { when: fn('gt', BOOLEAN, col('i'), lit(0, INTEGER)), then: lit('pos', VARCHAR) },
        { when: fn('lt', BOOLEAN, col('i'), lit(0, INTEGER)), then: lit('neg', VARCHAR) },
      ],
      otherwise: null,
      type: VARCHAR,
    },
  ],
  [
    'CASE WHEN f THEN m ELSE -m END',
    {
      kind: 'case',
      whens: [{ when: col('f'), then: col('m') }],
      otherwise: fn('negate', DEC, col('m')),
      type: DEC,
    },
  ],
  [
    'CASE WHEN i = 0 THEN 0 ELSE 100 // i END',
    {
      kind: 'case',
      whens: [{ when: fn('eq', BOOLEAN, col('i'), lit(0, INTEGER)), then: lit(0, INTEGER) }],
      otherwise: fn('divide', INTEGER, lit(100, INTEGER), col('i')),
      type: INTEGER,
    },
  ],
  [
    'CASE WHEN s IS NULL THEN n ELSE upper(s) END',
    {
      kind: 'case',
      whens: [{ when: { kind: 'is-null', expr: col('s'), negated: false, type: BOOLEAN }, then: col('n') }],
      otherwise: fn('upper', VARCHAR, col('s')),
      type: VARCHAR,
    },
  ],
  [
    'i IN (1, 0, 42)',
    {
      kind: 'in-list',
      expr: col('i'),
      list: [lit(1, INTEGER), lit(0, INTEGER), lit(42, INTEGER)],
      negated: false,
      type: BOOLEAN,
    },
  ],
  [
    'i NOT IN (1, NULL)',
    {
      kind: 'in-list',
      expr: col('i'),
      list: [lit(1, INTEGER), lit(null, INTEGER)],
      negated: true,
      type: BOOLEAN,
    },
  ],
  [
    'i IN (1, NULL)',
    {
      kind: 'in-list',
      expr: col('i'),
      list: [lit(1, INTEGER), lit(null, INTEGER)],
      negated: false,
      type: BOOLEAN,
    },
  ],
  [
    "s IN ('hello', '', 'x')",
    {
      kind: 'in-list',
      expr: col('s'),
      list: ['hello', '', 'x'].map((v) => lit(v, VARCHAR)),
      negated: false,
      type: BOOLEAN,
    },
  ],
  [
    'i IN (1,2,3,4,5,6,7,8,9,10,42)',
    {
      kind: 'in-list',
      expr: col('i'),
      list: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 42].map((v) => lit(v, INTEGER)),
      negated: false,
      type: BOOLEAN,
    },
  ],
  [
    "s IN ('a','b','c','d','e','f','g','h','i','hello')",
    {
      kind: 'in-list',
      expr: col('s'),
      list: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'hello'].map((v) => lit(v, VARCHAR)),
      negated: false,
      type: BOOLEAN,
    },
  ],
  [
    'm IN (1.50, -0.05)',
    { kind: 'in-list', expr: col('m'), list: [lit(150, DEC), lit(-5, DEC)], negated: false, type: BOOLEAN },
  ],
  ...(
    [
      ['he%', false, false],
      ['%o', false, false],
      ['%l%', false, false],
      ['h_llo', false, false],
      ['H%W%', true, false],
      ['%c\\%d%', false, false],
      ['%c%d%', false, true],
      ['', false, false],
      ['%', false, false],
      ['_', false, false],
      ['h%l%o', false, false],
    ] as const
  ).map(([pattern, ci, neg]): [string, Expr] => [
    `s ${neg ? 'NOT ' : ''}${ci ? 'ILIKE' : 'LIKE'} '${pattern}'`,
    {
      kind: 'like',
      expr: col('s'),
      pattern: lit(pattern, VARCHAR),
      negated: neg,
      caseInsensitive: ci,
      type: BOOLEAN,
    },
  ]),
  [
    's LIKE n',
    {
      kind: 'like',
      expr: col('s'),
      pattern: col('n'),
      negated: false,
      caseInsensitive: false,
      type: BOOLEAN,
    },
  ],
  ['s IS NULL', { kind: 'is-null', expr: col('s'), negated: false, type: BOOLEAN }],
  ['m IS NOT NULL', { kind: 'is-null', expr: col('m'), negated: true, type: BOOLEAN }],
  [
    'i IS NULL',
    { kind: 'is-null', expr: fn('add', INTEGER, col('i'), lit(1, INTEGER)), negated: false, type: BOOLEAN },
  ],
  ['42', lit(42, INTEGER)],
  ['NULL::VARCHAR', lit(null, VARCHAR)],
  ['s', col('s')],
];

/** Normalises a DuckDB JSON value and ours to comparable forms. */
function normalise(v: unknown, type: SqlType): unknown {
  if (v === null || v === undefined) return null;
  switch (type.kind) {
    case 'DOUBLE':
      return typeof v === 'string' ? v : Number((v as number).toPrecision(12));
    case 'DECIMAL':
    case 'BIGINT':
    case 'INTEGER':
      return Number(v);
    case 'TIMESTAMP':
      return String(v).replace('T', ' ');
    default:
      return v;
  }
}

describe('compileExpression agrees with DuckDB', () => {
  let oracle: DuckDbOracle | undefined;
  const batch = buildBatch();

  beforeAll(async () => {
    oracle = await DuckDbOracle.open();
    const rows = data.map(
      (row, r) => `(${r}, ${row.map((v, j) => sqlLiteral(v, fields[j].type)).join(', ')})`,
    );
    await oracle.run(
      `CREATE TABLE t AS SELECT * FROM (VALUES ${rows.join(', ')}) v(id, ${fields.map((f) => f.name).join(', ')})`,
    );
  });
  afterAll(() => {
    oracle?.close();
  });

  it.each(cases)('%s', async (sql, expr) => {
    const duck = (await oracle!.rowObjects(`SELECT ${sql} AS x FROM t ORDER BY id`)).map((r) =>
      normalise(r.x, expr.type),
    );
    const result: ColumnBuffers = compileExpression(expr, fields)(batch);
    expect(result.length).toBe(data.length);
    const ours = batchToJsonRows(makeRecordBatch([{ name: 'x', type: expr.type }], [result], result.length), [
      { name: 'x', type: expr.type, nullable: true },
    ]).map((r) => normalise(r[0], expr.type));
    expect(ours).toEqual(duck);
  });

  it('evaluates over a selection only', () => {
    const expr = fn('add', INTEGER, col('i'), lit(1, INTEGER));
    const result = compileExpression(expr, fields)(batch, new Uint32Array([5, 1, 3, 99]), 3);
    expect(result.length).toBe(3);
    expect(Array.from(result.values as Int32Array)).toEqual([101, -6, 0]);
    expect(result.validity?.[0]).toBe(0b011);
  });

  it('draws random() anew for every row, in [0, 1)', () => {
    const result = compileExpression(fn('random', DOUBLE, lit(1, INTEGER)), fields)(batch);
    const values = Array.from(result.values as Float64Array);
    expect(values).toHaveLength(data.length);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBe(data.length);
  });
});

describe('compileExpression errors', () => {
  const batch = buildBatch();
  const codeOf = (expr: Expr): string | undefined => {
    try {
      compileExpression(expr, fields)(batch);
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it('raises NUMERIC_OVERFLOW for INTEGER and BIGINT results out of range', () => {
    expect(codeOf(fn('add', INTEGER, col('i'), lit(2147483600, INTEGER)))).toBe('NUMERIC_OVERFLOW');
    expect(codeOf(fn('multiply', INTEGER, col('i'), lit(30000000, INTEGER)))).toBe('NUMERIC_OVERFLOW');
    expect(codeOf(fn('multiply', BIGINT, col('b'), lit(5000000000, BIGINT)))).toBe('NUMERIC_OVERFLOW');
    expect(codeOf(fn('add', INTEGER, col('i'), lit(2147483547, INTEGER)))).toBeUndefined();
  });

  it('raises CAST_INVALID naming the value', () => {
    const cast: Expr = { kind: 'cast', expr: col('s'), type: INTEGER };
    expect(codeOf(cast)).toBe('CAST_INVALID');
    expect(() => compileExpression(cast, fields)(batch)).toThrow(/'hello'/);
    expect(codeOf({ kind: 'cast', expr: col('s'), type: DATE })).toBe('CAST_INVALID');
    expect(codeOf({ kind: 'cast', expr: col('n'), type: BOOLEAN })).toBe('CAST_INVALID');
  });

  it('rejects values that do not fit a DECIMAL and square roots of negatives', () => {
    expect(codeOf({ kind: 'cast', expr: col('m'), type: decimal(4, 2) })).toBe('NUMERIC_OVERFLOW');
    expect(codeOf(fn('sqrt', DOUBLE, col('d')))).toBe('NUMERIC_OUT_OF_RANGE');
  });

  it("rejects what DuckDB's trigonometric functions reject: asin and acos outside [-1, 1], cot of 0, infinities", () => {
    expect(codeOf(fn('asin', DOUBLE, col('d')))).toBe('NUMERIC_OUT_OF_RANGE');
    expect(() => compileExpression(fn('acos', DOUBLE, col('d')), fields)(batch)).toThrow(
      'ACOS is undefined outside [-1,1]',
    );
    expect(codeOf(fn('cot', DOUBLE, col('d')))).toBe('NUMERIC_OUT_OF_RANGE');
    for (const f of ['sin', 'cos', 'tan', 'cot'] as const)
      expect(() => compileExpression(fn(f, DOUBLE, lit(-Infinity, DOUBLE)), fields)(batch)).toThrow(
        `input value -inf is out of range for numeric function ${f}`,
      );
    expect(codeOf(fn('atan2', DOUBLE, lit(Infinity, DOUBLE), col('d')))).toBeUndefined();
  });

  it('does not evaluate CASE branches that are not taken', () => {
    const expr: Expr = {
      kind: 'case',
      whens: [
        {
          when: fn('lt', BOOLEAN, col('i'), lit(0, INTEGER)),
          then: fn('add', INTEGER, col('i'), lit(2147483647, INTEGER)),
        },
      ],
      otherwise: lit(0, INTEGER),
      type: INTEGER,
    };
    expect(codeOf(expr)).toBeUndefined();
  });
});
