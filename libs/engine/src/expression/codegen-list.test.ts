import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  ColumnBuilder,
  INTEGER,
  VARCHAR,
  listAt,
  listOf,
  makeRecordBatch,
  readItem,
  type ListItem,
  type SqlType,
} from '@tributary/common';
import { call, literal, type Expr } from '@tributary/plan';
import { compileExpression } from './compile-expression.ts';

const INTS = listOf(INTEGER);
const list = (index: number, type: SqlType): Expr => ({ kind: 'column', index, name: `l${index}`, type });

/** Evaluates `expr` over one column of lists (rows as given) and reads every row back. */
function evaluate(expr: Expr, rows: (readonly ListItem[] | null)[], type: SqlType = INTS): ListItem[] {
  const builder = new ColumnBuilder(type);
  for (const row of rows) builder.appendItem(row);
  const batch = makeRecordBatch([{ name: 'l0', type }], [builder.finish()], rows.length);
  const out = compileExpression(expr, [{ name: 'l0', type, nullable: true }])(batch);
  return rows.map((_, i) => readItem(out, i));
}

describe('list expressions in generated kernels', () => {
  const rows = [[1, 2, 3], null, [], [null, 5]];

  it("slices as DuckDB's list_slice: 1-based, both bounds in, negative from the end, clamped", () => {
    const five = [[1, 2, 3, 4, 5]];
    const slice = (begin: number | null, end: number | null, of: Expr = list(0, INTS)) =>
      call('list_slice', [of, literal(begin, BIGINT), literal(end, BIGINT)], of.type);
    // Each bound pair with DuckDB's answer for [1, 2, 3, 4, 5][begin:end].
    const cases: [number, number, number[]][] = [
      [2, 3, [2, 3]],
      [4, 99, [4, 5]],
      [-2, 5, [4, 5]],
      [0, 2, [1, 2]],
      [-10, 2, [1, 2]],
      [3, 1, []],
      [2, -2, [2, 3, 4]],
      [0, 0, []],
      [-1, -1, [5]],
    ];
    for (const [begin, end, expected] of cases)
      expect(evaluate(slice(begin, end), five), `[${begin}:${end}]`).toEqual([expected]);
    expect(evaluate(slice(1, 2), rows)).toEqual([[1, 2], null, [], [null, 5]]);
    expect(evaluate(slice(null, 2), five)).toEqual([null]);
    const text = { kind: 'column', index: 0, name: 's', type: VARCHAR } as const;
    expect(evaluate(slice(2, 3, text), ['héllo' as unknown as ListItem[]], VARCHAR)).toEqual(['él']);
    expect(evaluate(slice(-3, 99, text), ['hello' as unknown as ListItem[]], VARCHAR)).toEqual(['llo']);
  });

  it('subscripts are 1-based, negative from the end, NULL outside the list', () => {
    const at = (i: number) => call('list_extract', [list(0, INTS), literal(i, BIGINT)], INTEGER);
    expect(evaluate(at(1), rows)).toEqual([1, null, null, null]);
    expect(evaluate(at(2), rows)).toEqual([2, null, null, 5]);
    expect(evaluate(at(-1), rows)).toEqual([3, null, null, 5]);
    expect(evaluate(at(9), rows)).toEqual([null, null, null, null]);
  });

  it("length, Postgres' array_upper (NULL when empty), membership and position", () => {
    expect(evaluate(call('list_length', [list(0, INTS)], BIGINT), rows)).toEqual([3n, null, 0n, 2n]);
    expect(evaluate(call('array_upper', [list(0, INTS), literal(1, BIGINT)], BIGINT), rows)).toEqual([
      3n,
      null,
      null,
      2n,
    ]);
    expect(evaluate(call('list_contains', [list(0, INTS), literal(5, INTEGER)], BOOLEAN), rows)).toEqual([
      false,
      null,
      false,
      true,
    ]);
    expect(evaluate(call('list_position', [list(0, INTS), literal(3, INTEGER)], INTEGER), rows)).toEqual([
      3,
      null,
      null,
      null,
    ]);
  });

  it('= ANY is true on a match and NULL without one when an element is NULL', () => {
    const any = (x: number) => call('list_any_eq', [literal(x, INTEGER), list(0, INTS)], BOOLEAN);
    expect(evaluate(any(2), rows)).toEqual([true, null, false, null]);
    expect(evaluate(any(5), rows)).toEqual([false, null, false, true]);
  });

  it('builds lists from values, concatenates them and joins them as text', () => {
    const built = call(
      'list_value',
      [literal(7, INTEGER), call('list_extract', [list(0, INTS), literal(1, BIGINT)], INTEGER)],
      INTS,
    );
    expect(evaluate(built, rows)).toEqual([
      [7, 1],
      [7, null],
      [7, null],
      [7, null],
    ]);
    expect(evaluate(call('list_concat', [list(0, INTS), built], INTS), rows)).toEqual([
      [1, 2, 3, 7, 1],
      [7, null],
      [7, null],
      [null, 5, 7, null],
    ]);
    const text = call('list_to_string', [list(0, INTS), literal('-', VARCHAR)], VARCHAR);
    expect(evaluate(text, rows)).toEqual(['1-2-3', null, '', '5']);
  });

  it("casts lists to text, text (DuckDB's and Postgres' forms) to lists, and between element types", () => {
    expect(evaluate({ kind: 'cast', expr: list(0, INTS), type: VARCHAR }, rows)).toEqual([
      '[1, 2, 3]',
      null,
      '[]',
      '[NULL, 5]',
    ]);
    const parsed = (text: string, type: SqlType) =>
      evaluate({ kind: 'cast', expr: literal(text, VARCHAR), type }, [null])[0];
    expect(parsed('{1,2,NULL}', INTS)).toEqual([1, 2, null]);
    expect(parsed('[1, 2]', listOf(BIGINT))).toEqual([1n, 2n]);
    expect(parsed('{a,"b c","x\\"y"}', listOf(VARCHAR))).toEqual(['a', 'b c', 'x"y']);
    expect(() => parsed('{1,x}', INTS)).toThrow(/x/);
    expect(evaluate({ kind: 'cast', expr: list(0, INTS), type: listOf(VARCHAR) }, rows)).toEqual([
      ['1', '2', '3'],
      null,
      [],
      [null, '5'],
    ]);
  });

  it('series: generate_series includes its stop, range does not; a zero step is an error', () => {
    const series = (a: number, b: number, s: number, inclusive: boolean) =>
      call(
        'list_range',
        [literal(a, BIGINT), literal(b, BIGINT), literal(s, BIGINT), literal(inclusive, BOOLEAN)],
        listOf(BIGINT),
      );
    const one = (e: Expr) => evaluate(e, [null])[0];
    expect(one(series(1, 10, 3, true))).toEqual([1n, 4n, 7n, 10n]);
    expect(one(series(1, 10, 3, false))).toEqual([1n, 4n, 7n]);
    expect(one(series(0, 3, 1, false))).toEqual([0n, 1n, 2n]);
    expect(one(series(5, 1, -2, true))).toEqual([5n, 3n, 1n]);
    expect(one(series(3, 1, 1, true))).toEqual([]);
    expect(() => one(series(1, 2, 0, true))).toThrow(/step/);
  });

  it('compares lists element by element', () => {
    const other = call('list_value', [literal(1, INTEGER), literal(2, INTEGER), literal(3, INTEGER)], INTS);
    expect(evaluate(call('eq', [list(0, INTS), other], BOOLEAN), rows)).toEqual([true, null, false, false]);
    expect(evaluate(call('lt', [list(0, INTS), other], BOOLEAN), rows)).toEqual([false, null, true, false]);
    void listAt;
  });
});
