import { describe, expect, it } from 'vitest';
import { parenthesizedCasts } from './chained-casts.ts';
import { tokenizeSql } from './sql-lexer.ts';

const rewritten = (sql: string) => parenthesizedCasts(sql, tokenizeSql(sql))?.text;

describe('a cast after CAST(…) or a scalar subquery', () => {
  it('puts the CAST or the subquery in parentheses, so that the grammar keeps the cast', () => {
    expect(rewritten("SELECT CAST('12.5' AS DOUBLE)::INT, cast(cast(x AS INT)::TEXT AS INT)::BIGINT")).toBe(
      "SELECT (CAST('12.5' AS DOUBLE))::INT, (cast((cast(x AS INT))::TEXT AS INT))::BIGINT",
    );
    expect(rewritten('SELECT (SELECT 2.5)::INT, (WITH t AS (SELECT 1 AS v) SELECT v FROM t)::TEXT')).toBe(
      'SELECT ((SELECT 2.5))::INT, ((WITH t AS (SELECT 1 AS v) SELECT v FROM t))::TEXT',
    );
    for (const sql of ['SELECT CAST(x AS INT) FROM t', 'SELECT x::INT, (x + 1)::INT', "SELECT 'cast(a)::b'"])
      expect(rewritten(sql), sql).toBeUndefined();
  });
});
