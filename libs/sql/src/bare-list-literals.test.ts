import { describe, expect, it } from 'vitest';
import { typeToString } from '@tributary/common';
import { bareListLiterals } from './bare-list-literals.ts';
import { bindSql } from './bind-sql.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { bindFailure } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const rewritten = (sql: string) => bareListLiterals(sql, tokenizeSql(sql))?.text;

describe("DuckDB's bare list literals", () => {
  it('become main.list_value(…) wherever an expression starts', () => {
    expect(rewritten('SELECT [1, 2], list_contains([3], x), [[1], [2, 3]] FROM t')).toBe(
      'SELECT main.list_value(1, 2), list_contains(main.list_value(3), x), main.list_value(main.list_value(1), main.list_value(2, 3)) FROM t',
    );
    expect(rewritten('SELECT 1 WHERE x = [1] OR y IS NOT DISTINCT FROM [a[1]]')).toBe(
      'SELECT 1 WHERE x = main.list_value(1) OR y IS NOT DISTINCT FROM main.list_value(a[1])',
    );
    expect(rewritten('SELECT CASE WHEN b THEN [] ELSE [2] END')).toBe(
      'SELECT CASE WHEN b THEN main.list_value() ELSE main.list_value(2) END',
    );
  });

  it('leave subscripts, ARRAY[…] and array types alone', () => {
    for (const sql of [
      'SELECT a[1], (a)[2], f(x)[1], "q"[1], \'abc\'[1] FROM t',
      'SELECT ARRAY[1, 2]',
      'SELECT CAST(x AS INTEGER[]), x::BIGINT[] FROM t',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
    expect(rewritten('SELECT [1, 2][2], [3][1:]')).toBe(
      'SELECT main.list_value(1, 2)[2], main.list_value(3)[1:]',
    );
  });

  it("bind as lists of DuckDB's types, with errors at the user's positions", () => {
    const bound = bindSql("SELECT [1, 2] AS a, ['x'] AS b, [1.5, 2] AS c, [[]], list_value(1)", tpchCatalog);
    if (bound.kind === 'command') throw new Error('a command');
    expect(bound.plan.schema.map((f) => `${f.name} ${typeToString(f.type)}`)).toEqual([
      'a INTEGER[]',
      'b VARCHAR[]',
      'c DECIMAL(11,1)[]',
      'main.list_value(main.list_value()) INTEGER[][]',
      'list_value(1) INTEGER[]',
    ]);
    expect(bindFailure('SELECT [1, 2],\n  [n_nme] FROM tpch.nation', tpchCatalog)).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      line: 2,
      column: 4,
    });
  });
});
