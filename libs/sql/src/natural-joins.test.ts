import { describe, expect, it } from 'vitest';
import { naturalJoinsAsUsing } from './natural-joins.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { bindFailure } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const rewritten = (sql: string) => naturalJoinsAsUsing(sql, tokenizeSql(sql))?.text;

describe('NATURAL JOIN', () => {
  it('becomes a join USING the marker, after the joined item and its alias', () => {
    expect(rewritten('SELECT * FROM a NATURAL JOIN b WHERE x')).toBe(
      'SELECT * FROM a JOIN b USING (__tributary_natural) WHERE x',
    );
    expect(rewritten('SELECT * FROM a t natural left outer join s.b AS u(x, y) ORDER BY 1')).toBe(
      'SELECT * FROM a t left outer join s.b AS u(x, y) USING (__tributary_natural) ORDER BY 1',
    );
    expect(rewritten('SELECT * FROM a NATURAL FULL JOIN (SELECT 1 AS k) v NATURAL JOIN c')).toBe(
      'SELECT * FROM a FULL JOIN (SELECT 1 AS k) v USING (__tributary_natural) JOIN c USING (__tributary_natural)',
    );
    for (const sql of [
      "SELECT 'natural join' AS s",
      'SELECT natural FROM t',
      'SELECT * FROM a JOIN b USING (k)',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
  });

  it('fails clearly when the two sides share no column name', () => {
    expect(bindFailure('SELECT * FROM tpch.nation NATURAL JOIN tpch.region', tpchCatalog)).toMatchObject({
      code: 'INVALID_JOIN',
      message: expect.stringContaining('r_regionkey'),
    });
  });
});
