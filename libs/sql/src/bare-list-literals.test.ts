import { describe, expect, it } from 'vitest';
import { typeToString } from '@tributary/common';
import { bareListLiterals } from './bare-list-literals.ts';
import { bindSql } from './bind-sql.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { bindFailure } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const rewritten = (sql: string) => bareListLiterals(sql, tokenizeSql(sql))?.text;

describe("DuckDB's bare list literals", () => {
  it('become ARRAY[…] wherever an expression starts', () => {
    expect(rewritten('SELECT [1, 2], list_contains([3], x), [[1], [2, 3]] FROM t')).toBe(
      'SELECT ARRAY[1, 2], list_contains(ARRAY[3], x), ARRAY[ARRAY[1], ARRAY[2, 3]] FROM t',
    );
    expect(rewritten('SELECT 1 WHERE x = [1] OR y IS NOT DISTINCT FROM [2]')).toBe(
      'SELECT 1 WHERE x = ARRAY[1] OR y IS NOT DISTINCT FROM ARRAY[2]',
    );
    expect(rewritten('SELECT CASE WHEN b THEN [1] ELSE [2] END')).toBe(
      'SELECT CASE WHEN b THEN ARRAY[1] ELSE ARRAY[2] END',
    );
  });

  it('leave subscripts, ARRAY[…] and array types alone', () => {
    for (const sql of [
      'SELECT a[1], (a)[2], f(x)[1], "q"[1], \'abc\'[1] FROM t',
      'SELECT ARRAY[1, 2]',
      'SELECT CAST(x AS INTEGER[]), x::BIGINT[] FROM t',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
    expect(rewritten('SELECT [1, 2][2]')).toBe('SELECT ARRAY[1, 2][2]');
  });

  it("bind as lists of DuckDB's types, with errors at the user's positions", () => {
    const bound = bindSql("SELECT [1, 2] AS a, ['x'] AS b, [1.5, 2] AS c", tpchCatalog);
    if (bound.kind === 'command') throw new Error('a command');
    expect(bound.plan.schema.map((f) => `${f.name} ${typeToString(f.type)}`)).toEqual([
      'a INTEGER[]',
      'b VARCHAR[]',
      'c DECIMAL(11,1)[]',
    ]);
    expect(bindFailure('SELECT [1, 2],\n  [n_nme] FROM tpch.nation', tpchCatalog)).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      line: 2,
      column: 4,
    });
  });
});
