import { BindError, TributaryError } from '@tributary/common';
import { describe, expect, it } from 'vitest';
import { bindSql } from './bind-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

function failure(sql: string, context: string[] = ['tpch']): TributaryError {
  try {
    bindSql(sql, tpchCatalog, { context });
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error(`expected ${sql} to fail`);
}

function expectError(
  sql: string,
  code: string,
  line: number,
  column: number,
  suggestions?: string[],
): TributaryError {
  const error = failure(sql);
  expect(error).toBeInstanceOf(BindError);
  expect({ code: error.code, line: error.line, column: error.column }).toEqual({ code, line, column });
  if (suggestions) expect(error.suggestions).toEqual(suggestions);
  return error;
}

describe('bind errors', () => {
  it('TABLE_NOT_FOUND with suggestions', () => {
    const error = expectError('select *\nfrom lineitm', 'TABLE_NOT_FOUND', 2, 6, ['lineitem']);
    expect(error.message).toBe('table "lineitm" not found; did you mean "lineitem"?');
    expectError('select * from tpch.ordres', 'TABLE_NOT_FOUND', 1, 15, ['tpch.orders']);
    expectError('select * from nowhere.orders', 'TABLE_NOT_FOUND', 1, 15);
    expectError('select * from "evnts"', 'TABLE_NOT_FOUND', 1, 15, ['Events']);
  });

  it('TABLE_NOT_FOUND for a qualifier that is not in FROM', () => {
    expectError('select l.l_orderkey, x.l_quantity from lineitem l', 'TABLE_NOT_FOUND', 1, 22, ['l']);
    expectError('select o.* from lineitem l', 'TABLE_NOT_FOUND', 1, 8);
  });

  it('AMBIGUOUS_TABLE when a bare name is in several sources and no context says which', () => {
    const error = failure('select * from nation', []);
    expect(error.code).toBe('AMBIGUOUS_TABLE');
    expect([error.line, error.column]).toEqual([1, 15]);
    expect(error.suggestions).toEqual(['tpch.nation', 'lite.nation']);
  });

  it('COLUMN_NOT_FOUND with the position of the name and suggestions', () => {
    const error = expectError(
      'select l_orderkey,\n       l_quantiy\nfrom lineitem',
      'COLUMN_NOT_FOUND',
      2,
      8,
      ['l_quantity'],
    );
    expect(error.message).toBe('column "l_quantiy" not found; did you mean "l_quantity"?');
    expectError('select * from lineitem l where l.l_shipdat > l_commitdate', 'COLUMN_NOT_FOUND', 1, 32, [
      'l_shipdate',
    ]);
    expectError("select * from nation where n_name = 'x' and n_nam = 'y'", 'COLUMN_NOT_FOUND', 1, 45, [
      'n_name',
    ]);
    expectError('select "Idx" from "Events"', 'COLUMN_NOT_FOUND', 1, 8, ['Id']);
    expectError('select zzz from nation', 'COLUMN_NOT_FOUND', 1, 8, undefined);
    expectError('select n_name from nation order by n_nme', 'COLUMN_NOT_FOUND', 1, 36, ['n_name']);
  });

  it('AMBIGUOUS_COLUMN', () => {
    const error = expectError('select n_name\nfrom nation, nation n2', 'AMBIGUOUS_COLUMN', 1, 8);
    expect(error.message).toMatch(/nation\.n_name, n2\.n_name/);
  });

  it('FUNCTION_NOT_FOUND with suggestions', () => {
    const error = expectError('select lower(n_name), uper(n_name) from nation', 'FUNCTION_NOT_FOUND', 1, 23);
    expect(error.suggestions?.[0]).toBe('upper');
    expect(error.message).toBe('function "uper" not found; did you mean "upper"?');
  });

  it('GROUP_BY_REQUIRED at the offending column', () => {
    expectError(
      'select n_regionkey, n_name, count(*) from nation group by n_regionkey',
      'GROUP_BY_REQUIRED',
      1,
      21,
    );
    expectError("select count(*) from nation having n_name > 'A'", 'GROUP_BY_REQUIRED', 1, 36);
    expectError(
      'select n_regionkey + n_nationkey from nation group by n_regionkey',
      'GROUP_BY_REQUIRED',
      1,
      22,
    );
    expectError('select * from nation group by n_name', 'GROUP_BY_REQUIRED', 1, 1);
  });

  it('TYPE_MISMATCH for comparisons, arithmetic, conditions and bad literals', () => {
    expect(expectError('select * from lineitem where l_comment > 1', 'TYPE_MISMATCH', 1, 30).message).toBe(
      'cannot compare VARCHAR with INTEGER',
    );
    expectError("select * from lineitem\nwhere l_shipdate <= '1998-13-02'", 'TYPE_MISMATCH', 2, 21);
    expectError('select l_comment * 2 from lineitem', 'TYPE_MISMATCH', 1, 8);
    expectError('select * from lineitem where 1', 'TYPE_MISMATCH', 1, 30);
    expectError("select date '2020-02-30'", 'TYPE_MISMATCH', 1, 13);
    expectError('select sum(l_comment) from lineitem', 'TYPE_MISMATCH', 1, 8);
    expectError("select l_quantity in (1, 'x') from lineitem", 'TYPE_MISMATCH', 1, 26);
    expectError("select case when true then 1 else date '2020-01-01' end", 'TYPE_MISMATCH', 1, 8);
  });

  it('UNSUPPORTED_FEATURE naming the feature, with its position', () => {
    const cases: [string, string, number, number][] = [
      [
        'select * from nation where n_regionkey = (select row_number() over () from region where r_regionkey = n_nationkey)',
        'window functions in correlated subqueries',
        1,
        42,
      ],
      [
        'select * from nation full join region on r_regionkey = (select count(*) from supplier where s_nationkey = n_nationkey + r_regionkey)',
        'subqueries in outer join ON reading both sides',
        1,
        56,
      ],
      ['select n_name, mode(n_name) over (order by n_name) from nation', 'mode() OVER', 1, 16],
      ['with t as (select * from t) select * from t', 'recursive CTEs', 1, 6],
      [
        'select sum(n_nationkey) over (order by n_name groups 1 preceding) from nation',
        'GROUPS frame',
        1,
        47,
      ],
      ['select group_concat(n_name) from nation', 'group_concat()', 1, 8],
      ['select list_transform([1, 2], x -> x + 1)', 'lambda', 1, 31],
    ];
    for (const [sql, feature, line, column] of cases) {
      const error = failure(sql);
      expect({
        sql,
        code: error.code,
        feature: error.details?.feature,
        line: error.line,
        column: error.column,
      }).toEqual({
        sql,
        code: 'UNSUPPORTED_FEATURE',
        feature,
        line,
        column,
      });
    }
  });

  it('misused aggregates, ordinals and joins', () => {
    expectError('select * from nation where count(*) > 1', 'INVALID_AGGREGATE', 1, 28);
    expectError('select sum(max(n_nationkey)) from nation', 'INVALID_AGGREGATE', 1, 8);
    expectError('select n_name from nation group by 2', 'INVALID_POSITION', 1, 36);
    expectError('select n_name from nation order by 3', 'INVALID_POSITION', 1, 36);
    expectError('select distinct n_name from nation order by n_regionkey', 'INVALID_ORDER_BY', 1, 45);
    expectError('select * from nation join region', 'INVALID_JOIN', 1, 27);
    expectError('select substring(n_name) from nation', 'WRONG_ARGUMENT_COUNT', 1, 8);
    expectError('select cast(n_name as uuid) from nation', 'UNKNOWN_TYPE', 1, 23);
    expectError('select *', 'INVALID_STAR', 1, 1);
  });
});
