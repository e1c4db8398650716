import { describe, expect, it } from 'vitest';
import { integerDivisionCalls } from './integer-division.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { bindFailure } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const rewritten = (sql: string) => integerDivisionCalls(sql, tokenizeSql(sql))?.text;

describe("DuckDB's integer division a // b", () => {
  it('marks the divisor, its operand alone, nested ones too', () => {
    expect(rewritten('SELECT a // b * c, -a//-2, x // f(y // 2)::INT FROM t')).toBe(
      'SELECT a / __tributary_intdiv( b) * c, -a/ __tributary_intdiv(-2), x / __tributary_intdiv( f(y / __tributary_intdiv( 2))::INT) FROM t',
    );
    expect(
      rewritten("SELECT a // (b + 1), a // t.b[1], a // CASE WHEN c THEN 2 END, a // DATE '2024-01-01'"),
    ).toBe(
      "SELECT a / __tributary_intdiv( (b + 1)), a / __tributary_intdiv( t.b[1]), a / __tributary_intdiv( CASE WHEN c THEN 2 END), a / __tributary_intdiv( DATE '2024-01-01')",
    );
    for (const sql of ["SELECT '//' AS s", 'SELECT a / b', 'SELECT a / /* c */ b'])
      expect(rewritten(sql), sql).toBeUndefined();
  });

  it("reports errors at the user's positions", () => {
    expect(bindFailure('SELECT n_nationkey //\n  n_nme FROM tpch.nation', tpchCatalog)).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      line: 2,
      column: 3,
    });
  });
});
