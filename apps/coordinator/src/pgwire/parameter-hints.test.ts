import { describe, expect, it } from 'vitest';
import { parameterHints } from './parameter-hints.ts';
import { PG_OID } from './pg-types.ts';

describe('parameterHints', () => {
  it('reads the column a parameter is compared with, on either side, in IN lists and BETWEEN', () => {
    const sql =
      'SELECT * FROM t WHERE t.a = $1 AND $2 <= "B" AND c IN (1, $3, $4) AND d NOT BETWEEN $5 AND $6 ' +
      "AND e LIKE $7 AND f(x) = $8 AND 'lit' = $9 LIMIT $10 OFFSET $11";
    expect(Object.fromEntries(parameterHints(sql))).toEqual({
      1: { column: 'a', quoted: false },
      2: { column: 'B', quoted: true },
      3: { column: 'c', quoted: false },
      4: { column: 'c', quoted: false },
      5: { column: 'd', quoted: false },
      6: { column: 'd', quoted: false },
      7: { column: 'e', quoted: false },
      10: { oid: PG_OID.int8 },
      11: { oid: PG_OID.int8 },
    });
  });

  it('takes a cast type, and never reads placeholders inside strings or comments', () => {
    expect(Object.fromEntries(parameterHints("SELECT $1::date, CAST($2 AS bigint), '$3' -- $4"))).toEqual({
      1: { oid: PG_OID.date },
      2: { oid: PG_OID.int8 },
    });
  });
});
