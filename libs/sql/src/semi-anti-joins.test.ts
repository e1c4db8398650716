import { describe, expect, it } from 'vitest';
import { semiAntiJoins } from './semi-anti-joins.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { bindFailure } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const rewritten = (sql: string) => semiAntiJoins(sql, tokenizeSql(sql))?.text;

describe('SEMI and ANTI JOIN', () => {
  it('become a JOIN whose ON condition is marked, up to the clause after it', () => {
    expect(
      rewritten('SELECT * FROM a SEMI JOIN b ON a.k = b.k AND left(b.s, 1) = 1 WHERE x ORDER BY 1'),
    ).toBe(
      'SELECT * FROM a JOIN b ON __tributary_semi_join(a.k = b.k AND left(b.s, 1) = 1) WHERE x ORDER BY 1',
    );
    expect(rewritten('SELECT * FROM a t anti join (SELECT k FROM c) u on t.k = u.k JOIN d ON true')).toBe(
      'SELECT * FROM a t join (SELECT k FROM c) u on __tributary_anti_join(t.k = u.k) JOIN d ON true',
    );
    for (const sql of [
      "SELECT 'semi join' AS s",
      'SELECT semi FROM t',
      'SELECT * FROM a JOIN b ON a.k = b.k',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
  });

  it('refuses USING rather than joining on it as an inner join', () => {
    expect(
      bindFailure('SELECT * FROM tpch.nation SEMI JOIN tpch.region USING (r_regionkey)', tpchCatalog),
    ).toMatchObject({ code: 'UNSUPPORTED_FEATURE' });
  });
});
