import { describe, expect, it } from 'vitest';
import { typeToString } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { bindFailure, bindPlan } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const bound = (sql: string) => bindPlan(sql, tpchCatalog, { context: ['tpch'] });

describe("DuckDB's slices", () => {
  it('slice lists and strings, named as DuckDB names them', () => {
    const plan = bound(
      'SELECT n_name[2:3], n_name[-2:], ARRAY[n_nationkey, 1][:1] AS l, n_name[n_regionkey + 1 : 4] FROM nation',
    );
    expect(plan.schema.map((f) => `${f.name} ${typeToString(f.type)}`)).toEqual([
      'n_name[2:3] VARCHAR',
      'n_name[-2:] VARCHAR',
      'l BIGINT[]',
      'n_name[(n_regionkey + 1):4] VARCHAR',
    ]);
    expect(printPlan(plan)).toContain(
      'list_slice(n_name#1, CAST(-2 AS BIGINT), 9007199254740991) AS n_name[-2:]',
    );
  });

  it('are the same call as list_slice and array_slice, and a cast is no slice', () => {
    expect(printPlan(bound('SELECT [1, 2, 3][2:3] AS s'))).toBe(
      printPlan(bound('SELECT list_slice([1, 2, 3], 2, 3) AS s')),
    );
    expect(printPlan(bound('SELECT n_name[1:2] AS s FROM nation'))).toBe(
      printPlan(bound('SELECT array_slice(n_name, 1, 2) AS s FROM nation')),
    );
    expect(bound('SELECT [1, 2][1::INT] AS x').schema[0].type).toMatchObject({ kind: 'INTEGER' });
  });

  it('refuse what is neither a list nor a string, and a subscript the grammar would lose', () => {
    expect(bindFailure('SELECT ([1, 2, 3][2:3])[1]', tpchCatalog)).toMatchObject({
      code: 'UNSUPPORTED_FEATURE',
      line: 1,
      column: 24,
    });
    expect(bindFailure('SELECT n_nationkey[1:2] FROM tpch.nation', tpchCatalog)).toMatchObject({
      code: 'TYPE_MISMATCH',
      message: 'function list_slice() expects a list, got BIGINT',
    });
  });
});
