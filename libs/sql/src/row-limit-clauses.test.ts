import { describe, expect, it } from 'vitest';
import { standardRowLimits } from './row-limit-clauses.ts';
import { withoutSelectAll } from './select-all.ts';
import { tokenizeSql } from './sql-lexer.ts';

const limits = (sql: string) => standardRowLimits(sql, tokenizeSql(sql))?.text;
const all = (sql: string) => withoutSelectAll(sql, tokenizeSql(sql))?.text;

describe('row-limiting clauses', () => {
  it('writes OFFSET … LIMIT, OFFSET … ROWS and FETCH FIRST … ROWS ONLY as LIMIT … OFFSET', () => {
    expect(limits('SELECT a FROM t ORDER BY a OFFSET 2 LIMIT 3')).toBe(
      'SELECT a FROM t ORDER BY a LIMIT 3 OFFSET 2',
    );
    expect(limits('SELECT a FROM t OFFSET 20 ROWS')).toBe('SELECT a FROM t OFFSET 20');
    expect(limits('SELECT a FROM t FETCH FIRST 3 ROWS ONLY')).toBe('SELECT a FROM t LIMIT 3');
    expect(limits('SELECT a FROM t OFFSET 1 ROW FETCH NEXT ROW ONLY')).toBe(
      'SELECT a FROM t LIMIT 1 OFFSET 1',
    );
    expect(limits('SELECT * FROM (SELECT a FROM t OFFSET (SELECT 1) LIMIT 2) s')).toBe(
      'SELECT * FROM (SELECT a FROM t LIMIT 2 OFFSET (SELECT 1)) s',
    );
    for (const sql of [
      'SELECT a FROM t LIMIT 3 OFFSET 2',
      'SELECT a FROM t OFFSET 2',
      'SELECT t.offset FROM t',
    ])
      expect(limits(sql), sql).toBeUndefined();
  });

  it('leaves out the ALL of SELECT ALL', () => {
    expect(all('SELECT ALL a FROM t UNION ALL SELECT b FROM u')).toBe(
      'SELECT  a FROM t UNION ALL SELECT b FROM u',
    );
    expect(all('SELECT a FROM t UNION ALL SELECT b FROM u')).toBeUndefined();
  });
});
