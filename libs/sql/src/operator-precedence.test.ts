import { describe, expect, it } from 'vitest';
import { exprToString } from '@tributary/plan';
import { markedOperatorCalls } from './marked-operators.ts';
import { bindQuery } from './bind-sql.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { bindFailure } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

/** The bound expression of `SELECT <item> FROM nation`, as text. */
function item(sql: string): string {
  const plan = bindQuery(`SELECT ${sql} FROM nation`, tpchCatalog, { context: ['tpch'] });
  let node: unknown = plan;
  while (node && (node as { kind: string }).kind !== 'project') node = (node as { input?: unknown }).input;
  return exprToString((node as { exprs: Parameters<typeof exprToString>[0][] }).exprs[0]);
}

const rewritten = (sql: string) => markedOperatorCalls(sql, tokenizeSql(sql))?.text;

describe('the precedence of ||, the bitwise operators and ~', () => {
  it('marks &, |, << and >> for the grammar, and no longer operators', () => {
    expect(rewritten('SELECT a & b, a|b, a << 2, (a)>>(b)')).toBe(
      "SELECT a  || __tributary_operator('&') ||  b, a || __tributary_operator('|') || b, a  || __tributary_operator('<<') ||  2, (a) || __tributary_operator('>>') || (b)",
    );
    for (const sql of [
      "SELECT 'a & b' AS s",
      'SELECT a || b',
      'SELECT a && b',
      "SELECT j->>'k'",
      "SELECT j#>>'{a}'",
    ])
      expect(rewritten(sql), sql).toBeUndefined();
  });

  it('binds || looser than arithmetic, as DuckDB does', () => {
    expect(item("n_name || ': ' || n_nationkey * 2 + 1")).toBe(
      item("(n_name || ': ') || ((n_nationkey * 2) + 1)"),
    );
    expect(item("'k' || n_regionkey - 1")).toBe(item("'k' || (n_regionkey - 1)"));
    expect(item("n_nationkey + 1 || ''")).toBe(item("(n_nationkey + 1) || ''"));
    expect(item('(n_name || n_comment) = n_name')).toBe(item('n_name || n_comment = n_name'));
  });

  it('binds LIKE looser than ||, its ESCAPE kept', () => {
    expect(item("n_name LIKE '%' || 'A' || '%'")).toBe(item("n_name LIKE (('%' || 'A') || '%')"));
    expect(item("n_name NOT ILIKE 'a' || '%'")).toBe(item("n_name NOT ILIKE ('a' || '%')"));
  });

  it('gives & | << >> the level of ||, left to right, and ~ too as a prefix', () => {
    expect(item('1 + n_nationkey & 3')).toBe(item('(1 + n_nationkey) & 3'));
    expect(item('n_regionkey | 3 & 1')).toBe(item('(n_regionkey | 3) & 1'));
    expect(item('2 * n_nationkey << 1')).toBe(item('(2 * n_nationkey) << 1'));
    expect(item('~n_nationkey + 1')).toBe(item('~(n_nationkey + 1)'));
    expect(item('~n_nationkey & 3')).toBe(item('(~n_nationkey) & 3'));
    expect(item('1 + ~n_nationkey * 2')).toBe(item('1 + ~(n_nationkey * 2)'));
    expect(item('n_nationkey & 1 = 1')).toBe(item('(n_nationkey & 1) = 1'));
  });

  it('gives ^ and ** the level above *, left to right, below unary minus', () => {
    expect(rewritten('SELECT a ^ 2, a**b, a * * b')).toBe(
      "SELECT a  || __tributary_operator('^') ||  2, a || __tributary_operator('**') || b, a * * b",
    );
    expect(item('2 * n_nationkey ^ 2')).toBe(item('2 * (n_nationkey ^ 2)'));
    expect(item('n_nationkey ^ 2 ^ 3')).toBe(item('(n_nationkey ^ 2) ^ 3'));
    expect(item('-n_nationkey ** 2')).toBe(item('(-n_nationkey) ** 2'));
    expect(item('n_nationkey ^ 2')).toBe('power(CAST(n_nationkey#0 AS DOUBLE), CAST(2 AS DOUBLE))');
  });

  it('binds :: tighter than a minus before a number', () => {
    expect(item('-1::BIGINT')).toBe(item('-(1::BIGINT)'));
    expect(item('-1::BIGINT')).toBe('-CAST(1 AS BIGINT)');
    expect(item('(-1)::BIGINT')).toBe('CAST(-1 AS BIGINT)');
  });

  it('types them over integers only, and points at the operator', () => {
    expect(item('n_nationkey::TINYINT & 3::TINYINT')).toBe('(CAST(n_nationkey#0 AS TINYINT) & 3)');
    expect(bindFailure('SELECT n_nationkey &\n  n_name FROM tpch.nation', tpchCatalog)).toMatchObject({
      code: 'TYPE_MISMATCH',
      line: 1,
    });
    expect(bindFailure('SELECT ~1.5', tpchCatalog)).toMatchObject({ code: 'TYPE_MISMATCH' });
  });
});
