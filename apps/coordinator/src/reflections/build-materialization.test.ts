import { describe, expect, it } from 'vitest';
import type { TableRef } from '@tributary/plan';
import type { ReflectionRecord, StoredMaterialization } from '@tributary/reflections';
import { buildSql, incrementOf } from './build-materialization.ts';

const file = (path: string, size = 10, mtimeMs = 1000) => ({ path, size, mtimeMs });

const previous: StoredMaterialization = {
  id: 'm1',
  reflectionId: 'r1',
  folder: '/r/r1/m1',
  table: { source: '$reflection', table: 'r1' } as unknown as TableRef,
  builtAt: Date.parse('2026-01-02T00:00:00Z'),
  rows: 5,
  bytes: 50,
  snapshot: [{ source: 'lake', table: 'orders', fingerprint: 'f1', files: [file('/d/a.parquet')] }],
  refreshMs: 1,
  incremental: false,
};

const reflection: ReflectionRecord = {
  id: 'r1',
  name: 'r',
  datasetPath: ['lake', 'orders'],
  type: 'AGGREGATION',
  enabled: true,
  displayColumns: [],
  dimensions: [{ column: 'o_orderstatus' }, { column: 'o_orderdate', granularity: 'month' }],
  measures: [{ column: 'o_totalprice', functions: ['SUM'] }],
  partitionBy: ['o_orderstatus'],
  localSortBy: ['o_orderdate', 'o_orderstatus'],
  owner: null,
  tag: 't',
  refreshPolicy: {},
  status: 'CAN_ACCELERATE',
  failureCount: 0,
  lastError: null,
  materialization: previous,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
};

const now = (...files: ReturnType<typeof file>[]) => [
  { source: 'LAKE', table: 'orders', fingerprint: 'f2', files },
];

describe('reflection builds', () => {
  it('order by the PARTITION BY then the LOCALSORT BY columns, each once, by position', () => {
    expect(buildSql(reflection)).toMatch(/ GROUP BY 1, 2 ORDER BY 1, 2$/);
    expect(buildSql({ ...reflection, partitionBy: [], localSortBy: [] })).not.toContain('ORDER BY');
  });

  it('build incrementally only when the table only gained files since, with the same definition', () => {
    expect(incrementOf(reflection, now(file('/d/a.parquet'), file('/d/b.parquet')))).toEqual({
      previous,
      subset: { source: 'LAKE', table: 'orders', files: ['/d/b.parquet'] },
    });
    // Nothing new, a file rewritten or removed, a changed definition, a view: in full.
    expect(incrementOf(reflection, now(file('/d/a.parquet')))).toBeUndefined();
    expect(incrementOf(reflection, now(file('/d/a.parquet', 11), file('/d/b.parquet')))).toBeUndefined();
    expect(incrementOf(reflection, now(file('/d/b.parquet')))).toBeUndefined();
    const altered = { ...reflection, updatedAt: '2026-01-03T00:00:00Z' };
    expect(incrementOf(altered, now(file('/d/a.parquet'), file('/d/b.parquet')))).toBeUndefined();
    const onView = { ...reflection, datasetPath: ['space', 'v'] };
    expect(incrementOf(onView, now(file('/d/a.parquet'), file('/d/b.parquet')))).toBeUndefined();
    expect(incrementOf({ ...reflection, materialization: null }, now(file('/d/b.parquet')))).toBeUndefined();
  });
});
