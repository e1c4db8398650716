import { BindError, TributaryError } from '@tributary/common';
import { describe, expect, it } from 'vitest';
import { bindQuery, bindSql } from './bind-sql.ts';
import { MAX_EXPRESSION_DEPTH } from './check-expression-depth.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

function failure(sql: string): TributaryError {
  try {
    bindSql(sql, tpchCatalog, { context: ['tpch'] });
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error('expected the statement to fail');
}

describe('expression depth', () => {
  it(`binds operators nested ${MAX_EXPRESSION_DEPTH} deep`, () => {
    const plus = `select l_linenumber ${'+ 1 '.repeat(MAX_EXPRESSION_DEPTH)} from lineitem`;
    expect(bindQuery(plus, tpchCatalog, { context: ['tpch'] }).schema).toHaveLength(1);
    const not = `select 1 from lineitem where ${'not '.repeat(MAX_EXPRESSION_DEPTH - 1)} l_linenumber > 1`;
    expect(bindQuery(not, tpchCatalog, { context: ['tpch'] }).kind).toBe('project');
  });

  it('fails deeper statements with EXPRESSION_TOO_DEEP, not a stack overflow', () => {
    const plus = failure(`select 1\nfrom lineitem\nwhere l_linenumber ${'+ 1 '.repeat(5000)}> 0`);
    expect(plus).toBeInstanceOf(BindError);
    expect(plus.code).toBe('EXPRESSION_TOO_DEEP');
    expect(plus.message).toContain(`more than ${MAX_EXPRESSION_DEPTH} levels`);
    expect([plus.line, plus.column]).toEqual([3, 7]);
    expect(failure(`select ${'- '.repeat(5000)}l_tax from lineitem`).code).toBe('EXPRESSION_TOO_DEEP');
    expect(failure(`select l_comment ${"|| 'x' ".repeat(MAX_EXPRESSION_DEPTH + 1)} from lineitem`).code).toBe(
      'EXPRESSION_TOO_DEEP',
    );
  });

  it('fails parentheses too deep for the grammar with EXPRESSION_TOO_DEEP at the deepest one', () => {
    const error = failure(`select ${'('.repeat(5000)}1${')'.repeat(5000)} from lineitem`);
    expect(error.code).toBe('EXPRESSION_TOO_DEEP');
    expect([error.line, error.column]).toEqual([1, 5007]);
    expect(failure(`select ${'abs('.repeat(3000)}1${')'.repeat(3000)}`).code).toBe('EXPRESSION_TOO_DEEP');
  });
});
