import { describe, expect, it } from 'vitest';
import { postgresColumnNames } from './postgres-column-names.ts';

describe('postgresColumnNames', () => {
  it('names unaliased expressions as Postgres does, keeping aliases and columns', () => {
    const sql =
      "SELECT count(*), sum(a) FILTER (WHERE a > 1), a + 1, 1, true, 'x'::int, CAST(b AS DOUBLE), " +
      'CASE WHEN a THEN 1 END, coalesce(a, b), (SELECT max(x) AS m FROM t), EXISTS (SELECT 1), ' +
      "pg_catalog.format_type(a, b), date '2020-01-01', b::text, current_date, a AS kept, n_name, " +
      'a AS Folded, a AS "Quoted" FROM t';
    const duck = Array.from({ length: 19 }, (_, i) => `duck${i}`);
    expect(postgresColumnNames(sql, duck)).toEqual([
      'count',
      'sum',
      '?column?',
      '?column?',
      'bool',
      'int4',
      'b',
      'case',
      'coalesce',
      'm',
      'exists',
      'format_type',
      'date',
      'b',
      'current_date',
      'kept',
      'duck16',
      'folded',
      'Quoted',
    ]);
  });

  it('names a subscripted column after the column, as Postgres does', () => {
    expect(postgresColumnNames('SELECT a[1], a[2:3], b FROM t', ['a[1]', 'a[2:3]', 'b'])).toEqual([
      'a',
      'a',
      'b',
    ]);
  });

  it('counts star columns from the result and takes a set operation its first branch names', () => {
    expect(postgresColumnNames('SELECT count(*), t.*, 1 + 1 FROM t', ['c', 'x', 'y', 'z', 'e'])).toEqual([
      'count',
      'x',
      'y',
      'z',
      '?column?',
    ]);
    expect(
      postgresColumnNames('SELECT min(a) FROM t UNION ALL SELECT max(a) AS m FROM t', ['min(a)']),
    ).toEqual(['min']);
  });

  it('keeps the names of statements it does not read as a SELECT', () => {
    expect(postgresColumnNames('SHOW TABLES', ['TABLE_SCHEMA', 'TABLE_NAME'])).toEqual([
      'TABLE_SCHEMA',
      'TABLE_NAME',
    ]);
    expect(postgresColumnNames('EXPLAIN SELECT 1', ['plan'])).toEqual(['plan']);
  });
});
