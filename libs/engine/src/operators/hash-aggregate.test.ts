import { describe, expect, it } from 'vitest';
import { BIGINT, DATE, DOUBLE, INTEGER, VARCHAR, decimal, type SqlType } from '@tributary/common';
import {
  call,
  column,
  literal,
  type AggregateCall,
  type AggregateFunctionName,
  type Field,
} from '@tributary/plan';
import { HashAggregate, partialAggregateSchema } from './hash-aggregate.ts';
import {
  BatchSource,
  collectRows,
  duckRows,
  sortedRows,
  sqlValues,
  type TestValue,
} from './operator-test-support.ts';

const fields: Field[] = [
  { name: 'g', type: VARCHAR, nullable: true },
  { name: 'k', type: INTEGER, nullable: true },
  { name: 'i', type: INTEGER, nullable: true },
  { name: 'b', type: BIGINT, nullable: true },
  { name: 'd', type: decimal(15, 2), nullable: true },
  { name: 'x', type: DOUBLE, nullable: true },
  { name: 'dt', type: DATE, nullable: true },
];

/** Deterministic rows with NULLs sprinkled over every column. */
function makeRows(n: number): TestValue[][] {
  let seed = 42;
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed;
  };
  const rows: TestValue[][] = [];
  for (let r = 0; r < n; r++) {
    const maybe = <T extends TestValue>(v: T): T | null => (next() % 9 === 0 ? null : v);
    rows.push([
      maybe(['a', 'bb', 'ä', 'b', ''][next() % 5]),
      maybe(next() % 4),
      maybe((next() % 2001) - 1000),
      maybe((next() % 2000001) * 1000003 - 1e9),
      maybe((next() % 1000000) - 400000),
      maybe(((next() % 100000) - 50000) / 7),
      maybe(18000 + (next() % 400)),
    ]);
  }
  return rows;
}

function agg(
  fn: AggregateFunctionName,
  index: number | null,
  type: SqlType,
  distinct = false,
): AggregateCall {
  return {
    fn,
    arg: index === null ? null : column(index, fields[index].name, fields[index].type),
    distinct,
    type,
  };
}

const aggregates: AggregateCall[] = [
  agg('count_star', null, BIGINT),
  agg('count', 2, BIGINT),
  agg('sum', 2, BIGINT),
  agg('sum', 3, BIGINT),
  agg('sum', 4, decimal(38, 2)),
  agg('sum', 5, DOUBLE),
  agg('avg', 2, DOUBLE),
  agg('avg', 4, DOUBLE),
  agg('avg', 5, DOUBLE),
  agg('min', 0, VARCHAR),
  agg('max', 0, VARCHAR),
  agg('min', 3, BIGINT),
  agg('max', 4, decimal(15, 2)),
  agg('min', 5, DOUBLE),
  agg('max', 6, DATE),
  agg('count', 1, BIGINT, true),
  agg('sum', 2, BIGINT, true),
  agg('avg', 4, DOUBLE, true),
];
const aggregateSql =
  'count(*), count(i), sum(i), sum(b), sum(d), sum(x), avg(i), avg(d), avg(x), min(g), max(g), min(b), max(d), min(x), max(dt), ' +
  'count(DISTINCT k), sum(DISTINCT i), avg(DISTINCT d)';

function schemaFor(keys: number[]): Field[] {
  return [
    ...keys.map((k) => fields[k]),
    ...aggregates.map((a, i) => ({ name: `a${i}`, type: a.type, nullable: true })),
  ];
}

function expectRowsClose(actual: TestValue[][], expected: TestValue[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, r) =>
    row.forEach((v, c) => {
      const e = expected[r][c];
      if (typeof v === 'number' && typeof e === 'number' && !Number.isInteger(e)) {
        expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
      } else expect([r, c, v]).toEqual([r, c, e]);
    }),
  );
}

describe('HashAggregate', () => {
  const rows = makeRows(500);

  it.each([[[0]], [[0, 1]], [[6, 1]], [[]]])('matches DuckDB grouping by %j', async (keys) => {
    const input = BatchSource.fromRows(fields, rows, 64);
    const op = new HashAggregate(
      input,
      keys.map((k) => column(k, fields[k].name, fields[k].type)),
      aggregates,
      schemaFor(keys),
    );
    const actual = sortedRows(await collectRows(op));
    const keySql = keys.map((k) => fields[k].name).join(', ');
    const sql = `SELECT ${keySql}${keys.length ? ', ' : ''}${aggregateSql} FROM ${sqlValues(fields, rows)}${keys.length ? ` GROUP BY ${keySql}` : ''}`;
    const expected = sortedRows(await duckRows(sql));
    expectRowsClose(actual, expected);
  });

  it('groups by an expression', async () => {
    const input = BatchSource.fromRows(fields, rows, 100);
    const key = call('modulo', [column(2, 'i', INTEGER), literal(3, INTEGER)], INTEGER);
    const op = new HashAggregate(
      input,
      [key],
      [agg('count_star', null, BIGINT), agg('sum', 4, decimal(38, 2))],
      [
        { name: 'm', type: INTEGER, nullable: true },
        { name: 'c', type: BIGINT, nullable: true },
        { name: 's', type: decimal(38, 2), nullable: true },
      ],
    );
    const expected = await duckRows(
      `SELECT i % 3 AS m, count(*), sum(d) FROM ${sqlValues(fields, rows)} GROUP BY m`,
    );
    expect(sortedRows(await collectRows(op))).toEqual(sortedRows(expected));
  });

  it('gives one row for empty input without keys and none with keys', async () => {
    const empty = new BatchSource(fields, []);
    const global = new HashAggregate(empty, [], aggregates, schemaFor([]));
    const expected = await duckRows(`SELECT ${aggregateSql} FROM ${sqlValues(fields, rows)} WHERE false`);
    expect(await collectRows(global)).toEqual(expected);
    const grouped = new HashAggregate(empty, [column(0, 'g', VARCHAR)], aggregates, schemaFor([0]));
    expect(await collectRows(grouped)).toEqual([]);
  });

  it('orders NaN above every number in min and max', async () => {
    const xs = BatchSource.fromRows([fields[5]], [[NaN], [2], [-1], [NaN]]);
    const x = column(0, 'x', DOUBLE);
    const calls: AggregateCall[] = [
      { fn: 'min', arg: x, distinct: false, type: DOUBLE },
      { fn: 'max', arg: x, distinct: false, type: DOUBLE },
    ];
    const op = new HashAggregate(xs, [], calls, [
      { name: 'lo', type: DOUBLE, nullable: true },
      { name: 'hi', type: DOUBLE, nullable: true },
    ]);
    expect(await collectRows(op)).toEqual([[-1, NaN]]);
  });

  it('fails with NUMERIC_OVERFLOW rather than a wrong BIGINT sum', async () => {
    const big = BatchSource.fromRows([fields[3]], [[2 ** 62], [2 ** 62]]);
    const op = new HashAggregate(
      big,
      [],
      [{ fn: 'sum', arg: column(0, 'b', BIGINT), distinct: false, type: BIGINT }],
      [{ name: 's', type: BIGINT, nullable: true }],
    );
    await expect(collectRows(op)).rejects.toMatchObject({ code: 'NUMERIC_OVERFLOW' });
  });

  it('sums BIGINT exactly beyond 2^53', async () => {
    const values = [[2 ** 60], [2 ** 60 + 2 ** 12], [3], [-(2 ** 61)], [2 ** 55]];
    const op = new HashAggregate(
      BatchSource.fromRows([fields[3]], values, 2),
      [],
      [{ fn: 'sum', arg: column(0, 'b', BIGINT), distinct: false, type: BIGINT }],
      [{ name: 's', type: BIGINT, nullable: true }],
    );
    expect(await collectRows(op)).toEqual([[String(2n ** 55n + 2n ** 12n + 3n)]]);
  });

  it('stops with the abort reason when cancelled', async () => {
    const controller = new AbortController();
    const op = new HashAggregate(
      BatchSource.fromRows(fields, rows, 10),
      [column(0, 'g', VARCHAR)],
      aggregates,
      schemaFor([0]),
    );
    controller.abort(new Error('cancelled by test'));
    const run = async () => {
      for await (const batch of op.execute(controller.signal)) void batch;
    };
    await expect(run()).rejects.toThrow('cancelled by test');
  });

  it('splits into partial and final aggregation with the same result', async () => {
    const nonDistinct = aggregates.filter((a) => !a.distinct);
    const keys = [column(0, 'g', VARCHAR), column(1, 'k', INTEGER)];
    const single = new HashAggregate(
      BatchSource.fromRows(fields, rows, 50),
      keys,
      nonDistinct,
      schemaFor([0, 1]).slice(0, 2 + nonDistinct.length),
    );
    const partials = [0, 1, 2].map(
      (part) =>
        new HashAggregate(
          BatchSource.fromRows(fields, rows.slice(part * 170, part * 170 + 170), 50),
          keys,
          nonDistinct,
          partialAggregateSchema(keys, nonDistinct),
          'partial',
        ),
    );
    const partialBatches = [];
    for (const p of partials)
      for await (const b of p.execute(new AbortController().signal)) partialBatches.push(b);
    const final = new HashAggregate(
      new BatchSource(partials[0].schema, partialBatches),
      keys,
      nonDistinct,
      single.schema,
      'final',
    );
    expectRowsClose(sortedRows(await collectRows(final)), sortedRows(await collectRows(single)));
  });
});
