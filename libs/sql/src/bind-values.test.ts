import { typeToString } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { tokenizeSql } from './sql-lexer.ts';
import { valuesAsQueries } from './values-queries.ts';
import { bindFailure, bindPlan } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const rewritten = (sql: string) => valuesAsQueries(sql, tokenizeSql(sql))?.text;
const schema = (sql: string) =>
  bindPlan(sql, tpchCatalog, { context: ['tpch'] }).schema.map((f) => `${f.name} ${typeToString(f.type)}`);

describe('VALUES lists', () => {
  it('that are queries of their own become SELECT * FROM (VALUES …); FROM items stay', () => {
    expect(rewritten("VALUES (1, 'a'), (2, 'b') ORDER BY 1")).toBe(
      "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS valueslist ORDER BY 1",
    );
    expect(rewritten('WITH t(x) AS (VALUES (1), ((2))) SELECT 1 UNION ALL VALUES (3)')).toBe(
      'WITH t(x) AS (SELECT * FROM (VALUES (1), ((2))) AS valueslist) SELECT 1 UNION ALL SELECT * FROM (VALUES (3)) AS valueslist',
    );
    expect(rewritten('SELECT 1 WHERE x IN (VALUES (1))')).toBe(
      'SELECT 1 WHERE x IN (SELECT * FROM (VALUES (1)) AS valueslist)',
    );
    for (const sql of [
      'SELECT * FROM (VALUES (1)) t(x)',
      'SELECT * FROM a JOIN (VALUES (1)) t(x) ON true',
      'SELECT * FROM a, (VALUES (1)) t(x)',
      'SELECT "values" FROM t',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
  });

  it("take the types their rows unify to and DuckDB's names, renamed by an alias list", () => {
    expect(schema("SELECT * FROM (VALUES (1, NULL, 'a'), (2.5, DATE '2024-01-01', NULL)) v")).toEqual([
      'col0 DECIMAL(11,1)',
      'col1 DATE',
      'col2 VARCHAR',
    ]);
    expect(schema('SELECT * FROM (VALUES (NULL, 1), (NULL, 9999999999)) AS t(a)')).toEqual([
      'a INTEGER',
      'col1 BIGINT',
    ]);
    expect(printPlan(bindPlan('VALUES (1 + 1)', tpchCatalog))).toContain('Values');
  });

  it('refuse rows of different widths, types with no common one and column references, where written', () => {
    expect(bindFailure("SELECT * FROM (VALUES (1, 'a'),\n  (2)) t", tpchCatalog)).toMatchObject({
      code: 'VALUES_ROW_WIDTH',
      line: 2,
      column: 4,
    });
    expect(bindFailure("SELECT * FROM (VALUES (DATE '2024-01-01'), (1)) t", tpchCatalog)).toMatchObject({
      code: 'TYPE_MISMATCH',
    });
    expect(bindFailure('SELECT * FROM (VALUES (n_name)) t', tpchCatalog)).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
    });
  });
});
