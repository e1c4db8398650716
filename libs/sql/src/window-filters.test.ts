import { describe, expect, it } from 'vitest';
import { windowFiltersAsCase } from './window-filters.ts';
import { tokenizeSql } from './sql-lexer.ts';

const rewritten = (sql: string) => windowFiltersAsCase(sql, tokenizeSql(sql))?.text;

describe('FILTER on a window aggregate', () => {
  it('moves the condition into a CASE of the argument', () => {
    expect(
      rewritten('SELECT count(*) FILTER (WHERE a > 1) OVER (), sum(x + 1) FILTER (WHERE b) OVER w FROM t'),
    ).toBe(
      'SELECT count(CASE WHEN (a > 1) THEN (1) END) OVER (), sum(CASE WHEN (b) THEN (x + 1) END) OVER w FROM t',
    );
    for (const sql of ['SELECT count(*) FILTER (WHERE a > 1) FROM t', 'SELECT count(*) OVER () FROM t'])
      expect(rewritten(sql), sql).toBeUndefined();
  });
});
