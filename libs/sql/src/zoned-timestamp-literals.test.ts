import { describe, expect, it } from 'vitest';
import { typeToString } from '@tributary/common';
import { tokenizeSql } from './sql-lexer.ts';
import { zonedTimestampLiterals } from './zoned-timestamp-literals.ts';
import { bindFailure, bindPlan } from '../testing/bind-helpers.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const rewritten = (sql: string) => zonedTimestampLiterals(sql, tokenizeSql(sql))?.text;

describe('zoned timestamp literals', () => {
  it('become casts the grammar reads, in either spelling', () => {
    expect(rewritten("SELECT TIMESTAMPTZ '2024-01-01 10:00:00+02', x")).toBe(
      "SELECT CAST('2024-01-01 10:00:00+02' AS TIMESTAMPTZ), x",
    );
    expect(rewritten("SELECT 1 WHERE t > timestamp with time zone '2024-01-01'")).toBe(
      "SELECT 1 WHERE t > CAST('2024-01-01' AS TIMESTAMPTZ)",
    );
  });

  it('leave casts, plain timestamps and names alone', () => {
    for (const sql of [
      "SELECT TIMESTAMP '2024-01-01', CAST(x AS TIMESTAMP WITH TIME ZONE), x::timestamptz FROM t",
      'SELECT timestamptz FROM t',
    ])
      expect(rewritten(sql), sql).toBeUndefined();
  });

  it("bind as DuckDB names and types them, errors at the user's positions", () => {
    const plan = bindPlan(
      "SELECT TIMESTAMPTZ '2024-01-01 10:00:00+02', TIMESTAMP WITH TIME ZONE '2024-01-01' AS b, CAST(o_orderdate AS TIMESTAMP WITH TIME ZONE) AS c FROM tpch.orders",
      tpchCatalog,
    );
    expect(plan.schema.map((f) => `${f.name} ${typeToString(f.type)}`)).toEqual([
      `CAST('2024-01-01 10:00:00+02' AS "TIMESTAMP WITH TIME ZONE") TIMESTAMP WITH TIME ZONE`,
      'b TIMESTAMP WITH TIME ZONE',
      'c TIMESTAMP WITH TIME ZONE',
    ]);
    expect(bindFailure("SELECT 1,\n  TIMESTAMPTZ '2024-02-30 10:00'", tpchCatalog)).toMatchObject({
      code: 'TYPE_MISMATCH',
      line: 2,
      column: 15,
    });
    expect(
      bindFailure(
        "SELECT TIMESTAMPTZ '2024-01-01' + INTERVAL 1 DAY,\n o_orderdat FROM tpch.orders",
        tpchCatalog,
      ),
    ).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      line: 2,
      column: 2,
    });
    // As in DuckDB, whole days move a DATE only.
    expect(bindFailure("SELECT TIMESTAMPTZ '2024-01-01' + 1", tpchCatalog)).toMatchObject({
      code: 'TYPE_MISMATCH',
    });
  });
});
