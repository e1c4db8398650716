import { type TributaryError, typeToString } from '@tributary/common';
import { printPlan } from '@tributary/plan';
import { describe, expect, it } from 'vitest';
import { bindQuery, bindSql } from './bind-sql.ts';
import { tpchCatalog } from '../testing/tpch-catalog.ts';

const bind = (sql: string) => bindQuery(sql, tpchCatalog, { context: ['tpch'] });

/** The plan below the names: the aggregation the query computes. */
function aggregation(sql: string): string {
  return printPlan(bind(sql)).split('\n').slice(1).join('\n');
}

function failure(sql: string): TributaryError {
  try {
    bindSql(sql, tpchCatalog, { context: ['tpch'] });
  } catch (error) {
    return error as TributaryError;
  }
  throw new Error(`expected ${sql} to fail`);
}

describe('percentile_cont and percentile_disc WITHIN GROUP', () => {
  it('are quantile_cont and quantile_disc of the ordered key, in descending order when asked', () => {
    expect(aggregation('select percentile_cont(0.25) within group (order by l_quantity) from lineitem')).toBe(
      aggregation('select quantile_cont(l_quantity, 0.25) from lineitem'),
    );
    expect(
      aggregation('select percentile_disc(0.25) within group (order by l_shipdate desc) from lineitem'),
    ).toContain('quantile_disc(l_shipdate#10, 0.25 ORDER BY l_shipdate#10 DESC)');
    expect(
      aggregation(
        'select percentile_cont(0.5) within group (order by l_tax + 1) filter (where l_quantity > 10) from lineitem',
      ),
    ).toBe(aggregation('select quantile_cont(l_tax + 1, 0.5) filter (where l_quantity > 10) from lineitem'));
  });

  it("take DuckDB's names and types", () => {
    const schema = bind(
      `select percentile_cont(0.5) within group (order by l_extendedprice),
              percentile_disc(0.5) within group (order by L_shipdate desc nulls last),
              percentile_cont(0.3) within group (order by l_tax + 1) filter (where l_quantity > 10)
       from lineitem`,
    ).schema.map((f) => `${f.name}: ${typeToString(f.type)}`);
    expect(schema).toEqual([
      'quantile_cont(0.5 ORDER BY l_extendedprice): DECIMAL(15,2)',
      'quantile_disc(0.5 ORDER BY L_shipdate DESC NULLS LAST): DATE',
      'quantile_cont(0.3 ORDER BY (l_tax + 1)) FILTER (WHERE (l_quantity > 10)): DECIMAL(16,2)',
    ]);
  });

  it('reject a fraction outside [0, 1] and several keys', () => {
    expect(failure('select percentile_cont(1.5) within group (order by l_quantity) from lineitem').code).toBe(
      'INVALID_ARGUMENT',
    );
    expect(
      failure('select percentile_cont(0.5) within group (order by l_quantity, l_tax) from lineitem').code,
    ).toBe('WRONG_ARGUMENT_COUNT');
  });
});

describe('mode() WITHIN GROUP', () => {
  it('is mode(x) keeping its order (ties go to the first value in it), named as DuckDB names it', () => {
    const bound = bind(
      'select mode() within group (order by l_quantity desc), mode(l_quantity order by l_quantity), mode(l_quantity order by l_tax) from lineitem',
    );
    expect(bound.schema.map((f) => f.name)).toEqual([
      '"mode"() WITHIN GROUP ( ORDER BY l_quantity DESC)',
      '"mode"(l_quantity ORDER BY l_quantity)',
      '"mode"(l_quantity ORDER BY l_tax)',
    ]);
    const plan = printPlan(bound);
    expect(plan).toContain('mode(l_quantity#4 ORDER BY l_quantity#4 DESC)');
    expect(plan).toContain('mode(l_quantity#4 ORDER BY l_quantity#4)');
    // Ordered by another column, the order is not kept (ties go to the first value seen).
    expect(plan).toContain('mode(l_quantity#4)]');
  });
});
