import { describe, expect, it } from 'vitest';
import { definingSql, reflectionColumns, type ReflectionDefinition } from './reflection-definition.ts';

const base: ReflectionDefinition = {
  id: 'r1',
  name: 'r',
  datasetPath: ['tpch', 'lineitem'],
  type: 'RAW',
  enabled: true,
  displayColumns: [],
  dimensions: [],
  measures: [],
  partitionBy: [],
  localSortBy: [],
};

describe('reflection columns and defining SQL', () => {
  it('a raw reflection keeps its display columns under their names', () => {
    const raw = { ...base, displayColumns: ['l_orderkey', 'l_shipdate'] };
    expect(reflectionColumns(raw).map((c) => c.name)).toEqual(['l_orderkey', 'l_shipdate']);
    expect(definingSql(raw)).toBe('SELECT "l_orderkey", "l_shipdate" FROM "tpch"."lineitem"');
  });

  it('an aggregation reflection groups by its dimensions and always counts its rows', () => {
    const agg: ReflectionDefinition = {
      ...base,
      type: 'AGGREGATION',
      datasetPath: ['sales', 'my "view"'],
      dimensions: [{ column: 'l_returnflag' }, { column: 'l_shipdate', granularity: 'month' }],
      measures: [{ column: 'l_quantity', functions: ['SUM', 'COUNT'] }],
    };
    expect(reflectionColumns(agg).map((c) => c.name)).toEqual([
      'l_returnflag',
      'l_shipdate',
      '__sum__l_quantity',
      '__count__l_quantity',
      '__count_star__',
    ]);
    expect(definingSql(agg)).toBe(
      'SELECT "l_returnflag", date_trunc(\'month\', "l_shipdate") AS "l_shipdate", SUM("l_quantity") AS "__sum__l_quantity", ' +
        'COUNT("l_quantity") AS "__count__l_quantity", COUNT(*) AS "__count_star__" FROM "sales"."my ""view""" GROUP BY 1, 2',
    );
  });
});
