import { describe, expect, it } from 'vitest';
import { filterWithWhere } from './filter-without-where.ts';
import { tokenizeSql } from './sql-lexer.ts';

const rewritten = (sql: string) => filterWithWhere(sql, tokenizeSql(sql))?.text;

describe('FILTER without WHERE', () => {
  it('writes the WHERE in after a call, and leaves names called filter alone', () => {
    expect(rewritten('SELECT count(*) FILTER (x > 1), sum(y) filter ( z)')).toBe(
      'SELECT count(*) FILTER (WHERE x > 1), sum(y) filter ( WHERE z)',
    );
    for (const sql of [
      'SELECT count(*) FILTER (WHERE x > 1)',
      'SELECT filter(l, 1) FROM t',
      'SELECT t.filter FROM t',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
  });
});
