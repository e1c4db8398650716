import { describe, expect, it } from 'vitest';
import { BIGINT, TributaryError, VARCHAR } from '@tributary/common';
import { inMemoryCatalog } from '@tributary/plan';
import { bindSql } from './bind-sql.ts';
import type { CatalogCommand } from './catalog-command.ts';
import { tpchTables } from '../testing/tpch-catalog.ts';

const catalog = inMemoryCatalog(tpchTables, [
  {
    path: ['sales', 'asia'],
    sql: 'SELECT n_nationkey, n_name FROM nation',
    context: ['tpch'],
    owner: null,
    columns: [
      { name: 'n_nationkey', type: BIGINT },
      { name: 'n_name', type: VARCHAR },
    ],
  },
]);

function command(sql: string): CatalogCommand {
  const bound = bindSql(sql, catalog, { context: ['tpch'] });
  if (bound.kind !== 'command') throw new Error(`not a command: ${sql}`);
  return bound.command;
}

function failure(sql: string): TributaryError {
  try {
    command(sql);
  } catch (error) {
    if (error instanceof TributaryError) return error;
    throw error;
  }
  throw new Error(`no error: ${sql}`);
}

describe('reflection statements', () => {
  it('reads the refresh method: INCREMENTAL BY a column whose values grow, or FULL', () => {
    expect(command('ALTER TABLE tpch.orders REFRESH METHOD INCREMENTAL BY O_ORDERDATE')).toEqual({
      kind: 'refresh_method',
      dataset: { kind: 'table', path: ['tpch', 'orders'] },
      refreshField: 'o_orderdate',
    });
    expect(command('ALTER VIEW sales.asia REFRESH METHOD FULL')).toEqual({
      kind: 'refresh_method',
      dataset: { kind: 'view', path: ['sales', 'asia'] },
      refreshField: null,
    });
    expect(failure('ALTER TABLE tpch.orders REFRESH METHOD INCREMENTAL BY o_orderdat')).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
    });
    expect(failure('ALTER TABLE tpch.orders REFRESH METHOD INCREMENTAL BY o_orderdat').suggestions).toContain(
      'o_orderdate',
    );
    expect(failure('ALTER TABLE tpch.orders REFRESH METHOD PARTIAL').message).toContain(
      'expected FULL or INCREMENTAL BY a column',
    );
  });

  it('reads a raw reflection with its layout, columns spelled as the table spells them', () => {
    expect(
      command(
        'ALTER TABLE tpch.lineitem CREATE RAW REFLECTION r1 USING DISPLAY (L_ORDERKEY, l_shipdate, l_quantity)\n' +
          '  PARTITION BY (l_shipdate) LOCALSORT BY (l_orderkey)',
      ),
    ).toEqual({
      kind: 'create_reflection',
      dataset: { kind: 'table', path: ['tpch', 'lineitem'] },
      reflection: {
        name: 'r1',
        type: 'RAW',
        displayColumns: ['l_orderkey', 'l_shipdate', 'l_quantity'],
        dimensions: [],
        measures: [],
        partitionBy: ['l_shipdate'],
        localSortBy: ['l_orderkey'],
      },
    });
  });

  it('reads an aggregate reflection: truncated dimensions, listed and default measures', () => {
    const created = command(
      'ALTER TABLE lineitem CREATE AGGREGATE REFLECTION agg USING DIMENSIONS (l_returnflag, l_shipdate BY MONTH) ' +
        'MEASURES (l_quantity (SUM, COUNT, MIN, MAX), l_extendedprice, l_comment) LOCALSORT BY (l_returnflag);',
    );
    expect(created).toMatchObject({
      kind: 'create_reflection',
      reflection: {
        type: 'AGGREGATION',
        dimensions: [{ column: 'l_returnflag' }, { column: 'l_shipdate', granularity: 'month' }],
        measures: [
          { column: 'l_quantity', functions: ['SUM', 'COUNT', 'MIN', 'MAX'] },
          { column: 'l_extendedprice', functions: ['SUM', 'COUNT'] },
          // No SUM of text: a measure without a list gets what its type allows.
          { column: 'l_comment', functions: ['COUNT'] },
        ],
        localSortBy: ['l_returnflag'],
      },
    });
  });

  it('reads drop, refresh, enable and disable, on tables and views', () => {
    expect(command('ALTER VIEW sales.asia DROP REFLECTION r')).toEqual({
      kind: 'drop_reflection',
      dataset: { kind: 'view', path: ['sales', 'asia'] },
      name: 'r',
    });
    expect(command('alter dataset tpch.orders refresh reflections')).toMatchObject({
      kind: 'refresh_reflections',
    });
    expect(command('ALTER TABLE orders DISABLE REFLECTION r')).toMatchObject({
      kind: 'enable_reflections',
      enabled: false,
      target: { name: 'r' },
    });
    expect(command('ALTER TABLE orders ENABLE AGGREGATE ACCELERATION')).toMatchObject({
      enabled: true,
      target: { type: 'AGGREGATION' },
    });
  });

  it('names a missing column with its position and a "did you mean"', () => {
    const error = failure(
      'ALTER TABLE orders CREATE RAW REFLECTION r\nUSING DISPLAY (o_orderkey, o_custkye)',
    );
    expect(error.code).toBe('COLUMN_NOT_FOUND');
    expect([error.line, error.column]).toEqual([2, 28]);
    expect(error.suggestions).toContain('o_custkey');
    expect(failure('ALTER TABLE nowhere DROP REFLECTION r').code).toBe('TABLE_NOT_FOUND');
  });

  it('refuses what cannot be built, with INVALID_REFLECTION or a syntax error', () => {
    expect(
      failure(
        'ALTER TABLE orders CREATE RAW REFLECTION r USING DISPLAY (o_orderkey) PARTITION BY (o_custkey)',
      ).code,
    ).toBe('INVALID_REFLECTION');
    expect(
      failure('ALTER TABLE orders CREATE AGGREGATE REFLECTION r USING DIMENSIONS (o_custkey BY MONTH)').code,
    ).toBe('INVALID_REFLECTION');
    expect(
      failure('ALTER TABLE orders CREATE RAW REFLECTION r USING DISPLAY (o_orderkey, O_ORDERKEY)').code,
    ).toBe('INVALID_REFLECTION');
    expect(
      failure('ALTER TABLE orders CREATE AGGREGATE REFLECTION r USING MEASURES (o_comment (SUM))').code,
    ).toBe('INVALID_REFLECTION');
    const syntax = failure(
      'ALTER TABLE orders CREATE AGGREGATE REFLECTION r USING MEASURES (o_totalprice (AVG))',
    );
    expect(syntax.code).toBe('SQL_PARSE_ERROR');
    expect(syntax.message).toContain('expected a measure');
    expect(failure('ALTER TABLE orders CREATE RAW REFLECTION r USING DISPLAY (o_orderkey) EXTRA').code).toBe(
      'SQL_PARSE_ERROR',
    );
    expect(failure('ALTER TABLE sys.jobs DROP REFLECTION r').code).toBe('INVALID_REFLECTION');
  });
});
