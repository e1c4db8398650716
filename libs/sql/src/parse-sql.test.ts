import { ParseError, TributaryError } from '@tributary/common';
import { describe, expect, it } from 'vitest';
import { parseSql } from './parse-sql.ts';

function parseFailure(sql: string): TributaryError {
  try {
    parseSql(sql);
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('parseSql', () => {
  it('parses one SELECT into node-sql-parser AST', () => {
    const parsed = parseSql('SELECT "L_Quantity" FROM tpch.lineitem');
    expect(parsed.explain).toBe(false);
    expect(parsed.ast.type).toBe('select');
    expect(parsed.ast.from?.[0]).toMatchObject({ db: 'tpch', table: 'lineitem' });
  });

  it('reads SUM(DISTINCT …) and SUBSTRING(s FROM a FOR b), which the grammar lacks', () => {
    const parsed = parseSql('select sum(distinct a), avg(b), substring(c from 2 for (1 + 2)) from t');
    const [sum, avg, sub] = parsed.ast.columns as unknown as { expr: Record<string, unknown> }[];
    expect(sum.expr).toMatchObject({ type: 'aggr_func', name: 'SUM', args: { distinct: 'DISTINCT' } });
    expect((avg.expr.args as { distinct?: string }).distinct).toBeUndefined();
    expect((sub.expr.args as { value: unknown[] }).value).toHaveLength(3);
    // Positions in errors stay those of the user's text.
    expect(parseFailure('select sum(distinct a) + from t').column).toBe(31);
  });

  it('reads a LIKE pattern that is a || chain', () => {
    const where = parseSql("select 1 from t where a not like '%' || f(b, 1) || '%' and c = 1").ast
      .where as unknown as {
      left: { operator: string; right: { operator: string } };
    };
    expect(where.left.operator).toBe('NOT LIKE');
    expect(where.left.right.operator).toBe('||');
    const multiline = parseSql("select 1 from t\nwhere a like '%' || b\n  and c = 1").ast
      .where as unknown as {
      operator: string;
      left: { right: { operator: string } };
    };
    expect([multiline.operator, multiline.left.right.operator]).toEqual(['AND', '||']);
  });

  it('recognises EXPLAIN without shifting positions', () => {
    const parsed = parseSql('EXPLAIN select 1');
    expect(parsed.explain).toBe(true);
    const error = parseFailure('explain select 1 from nation where where x');
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toBe('syntax error at or near "x"');
    expect([error.line, error.column]).toEqual([1, 42]);
    // The grammar trims leading blanks; its offsets are moved back onto the user's text.
    const indented = parseFailure('\n   select 1 from nation where where x');
    expect([indented.line, indented.column]).toEqual([2, 37]);
  });

  it('reports a syntax error with line, column and the offending token', () => {
    const error = parseFailure('select l_orderkey,\n  l_partkey\nfrom lineitem\nwhere l_quantity > > 3');
    expect(error).toBeInstanceOf(ParseError);
    expect(error.code).toBe('SQL_PARSE_ERROR');
    expect(error.phase).toBe('parse');
    expect(error.message).toBe('syntax error at or near ">"');
    expect([error.line, error.column]).toEqual([4, 20]);
  });

  it('points at the misspelt keyword that breaks the statement', () => {
    const error = parseFailure('select * FORM lineitem');
    expect(error.message).toBe('syntax error at or near "FORM"');
    expect([error.line, error.column]).toEqual([1, 10]);
  });

  it('reports an unexpected end of input', () => {
    const error = parseFailure('select a from');
    expect(error.message).toBe('syntax error at end of input');
    expect([error.line, error.column]).toEqual([1, 14]);
  });

  it('rejects several statements, pointing at the separator', () => {
    const error = parseFailure('select 1;\nselect 2');
    expect(error.code).toBe('SQL_PARSE_ERROR');
    expect(error.message).toMatch(/multiple statements/);
    expect([error.line, error.column]).toEqual([1, 9]);
    expect(parseSql('select 1;').ast.type).toBe('select');
  });

  it('rejects empty input and statements other than SELECT', () => {
    expect(parseFailure('  -- nothing\n').code).toBe('SQL_PARSE_ERROR');
    const error = parseFailure('delete from lineitem');
    expect(error.code).toBe('UNSUPPORTED_FEATURE');
    expect([error.line, error.column]).toEqual([1, 1]);
  });

  it('reads LIMIT and OFFSET up to BIGINT maximum as written', () => {
    const parsed = parseSql('select 1 limit 9223372036854775807 offset 9223372036854775807');
    expect(parsed.ast.limit?.value).toEqual([
      { type: 'bigint', value: '9223372036854775807' },
      { type: 'bigint', value: '9223372036854775807' },
    ]);
  });
});
