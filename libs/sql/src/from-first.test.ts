import { describe, expect, it } from 'vitest';
import { inMemoryCatalog, printPlan } from '@tributary/plan';
import { bindFailure, bindPlan } from '../testing/bind-helpers.ts';
import { rewriteFromFirst } from './from-first.ts';
import { tokenizeSql } from './sql-lexer.ts';
import { tpchTables } from '../testing/tpch-catalog.ts';

const tpchCatalog = inMemoryCatalog(tpchTables, [], ['space']);

const rewritten = (sql: string) => rewriteFromFirst(sql, tokenizeSql(sql))?.text;

const bindError = (sql: string) => bindFailure(sql, tpchCatalog, { context: ['tpch'] });

const plan = (sql: string): string => printPlan(bindPlan(sql, tpchCatalog, { context: ['tpch'] }));

describe("DuckDB's FROM-first queries", () => {
  it('are rewritten wherever a query may stand', () => {
    expect(rewritten('FROM nation')).toBe('SELECT * FROM nation');
    expect(rewritten('FROM nation n SELECT n_name WHERE n_nationkey < 3 ORDER BY 1')).toBe(
      'SELECT n_name FROM nation n WHERE n_nationkey < 3 ORDER BY 1',
    );
    expect(rewritten('from nation where n_regionkey = 1 limit 2')).toBe(
      'SELECT * from nation where n_regionkey = 1 limit 2',
    );
    expect(rewritten('FROM nation SELECT DISTINCT n_regionkey')).toBe(
      'SELECT DISTINCT n_regionkey FROM nation',
    );
    expect(rewritten('WITH a AS (FROM nation) FROM a SELECT count(*)')).toBe(
      'WITH a AS (SELECT * FROM nation) SELECT count(*) FROM a',
    );
    expect(rewritten('FROM (FROM nation SELECT n_name) SELECT count(*)')).toBe(
      'SELECT count(*) FROM (SELECT n_name FROM nation)',
    );
    expect(rewritten('FROM nation UNION ALL FROM nation')).toBe(
      'SELECT * FROM nation UNION ALL SELECT * FROM nation',
    );
    expect(rewritten('SELECT * FROM region WHERE r_regionkey IN (FROM nation SELECT n_regionkey)')).toBe(
      'SELECT * FROM region WHERE r_regionkey IN (SELECT n_regionkey FROM nation)',
    );
    expect(rewritten('EXPLAIN FROM nation')).toBe('EXPLAIN SELECT * FROM nation');
  });

  it('leaves every other FROM alone', () => {
    for (const sql of [
      'SELECT * FROM nation',
      "SELECT trim(FROM ' x '), substring('abc' FROM 2), extract(year FROM DATE '2024-01-01')",
      'SELECT count(*) FROM nation',
      'SELECT CAST(n_nationkey AS INT) FROM nation',
      'SELECT n_name IS DISTINCT FROM n_comment FROM nation',
      'WITH a AS (SELECT 1 AS x) SELECT x FROM a',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
  });

  it('bind as the SELECT they stand for', () => {
    expect(plan('FROM tpch.orders SELECT o_orderstatus, count(*) GROUP BY ALL')).toBe(
      plan('SELECT o_orderstatus, count(*) FROM tpch.orders GROUP BY o_orderstatus'),
    );
    expect(plan('FROM nation n SELECT n_name WHERE n_nationkey < 3')).toBe(
      plan('SELECT n_name FROM nation n WHERE n_nationkey < 3'),
    );
    expect(
      plan('FROM nation JOIN region ON n_regionkey = r_regionkey SELECT r_name, count(*) GROUP BY r_name'),
    ).toBe(
      plan('SELECT r_name, count(*) FROM nation JOIN region ON n_regionkey = r_regionkey GROUP BY r_name'),
    );
  });

  it("report errors at the user's line and column", () => {
    expect(bindError('FROM nation\nSELECT n_nme')).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      line: 2,
      column: 8,
    });
    expect(bindError('FROM nation SELECT n_name\nWHERE n_name + 1 > 2')).toMatchObject({
      line: 2,
      column: 7,
    });
    expect(bindError('FROM natio')).toMatchObject({ code: 'TABLE_NOT_FOUND', line: 1, column: 6 });
    expect(bindError('FROM nation SELECT n_name,, 1')).toMatchObject({
      code: 'SQL_PARSE_ERROR',
      message: 'syntax error at or near ","',
      line: 1,
      column: 27,
    });
    expect(bindError('CREATE VIEW space.v AS\nFROM nation SELECT n_nme')).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      line: 2,
      column: 20,
    });
  });
});
