import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, DOUBLE, VARCHAR, decimal, type SqlType } from '@tributary/common';
import { call, column, literal } from './expr-builders.ts';
import type { Expr } from './expr.ts';
import type { TableRef } from './logical-plan.ts';
import { scan } from './plan-builders.ts';
import { sqliteExprMoves, sqliteScanStatement } from './sqlite-statement.ts';

const T: TableRef = {
  source: 's',
  table: 't',
  sourceType: 'sqlite',
  location: {
    database: '/d.db',
    table: 't',
    hasRowid: true,
    affinities: ['INTEGER', 'REAL', 'TEXT', 'TEXT', 'NUMERIC', 'NUMERIC'],
  },
  columns: [
    { name: 'i', type: BIGINT },
    { name: 'd', type: DOUBLE },
    { name: 'day', type: DATE },
    { name: 'txt', type: VARCHAR },
    { name: 'price', type: decimal(10, 2) },
    { name: 'loose', type: VARCHAR },
  ],
};
const node = scan(T, 't');
const i = column(0, 'i', BIGINT);
const d = column(1, 'd', DOUBLE);
const day = column(2, 'day', DATE);
const txt = column(3, 'txt', VARCHAR);
const bool = (fn: 'eq' | 'lt' | 'and' | 'or', args: Expr[]) => call(fn, args, BOOLEAN);
const num = (fn: 'add' | 'multiply' | 'divide', a: Expr, b: Expr, type: SqlType) => call(fn, [a, b], type);

describe('sqliteExprMoves: what SQLite computes exactly as the engine', () => {
  it.each([
    ['an integer comparison', bool('eq', [i, literal(3, BIGINT)])],
    [
      'a DOUBLE product compared',
      bool('lt', [num('multiply', d, literal(2, DOUBLE), DOUBLE), literal(9, DOUBLE)]),
    ],
    ['an ISO date comparison', bool('lt', [day, literal(9000, DATE)])],
    ['bytewise text equality', bool('eq', [txt, literal('x', VARCHAR)])],
    ['a BIGINT cast to DOUBLE', bool('lt', [{ kind: 'cast', expr: i, type: DOUBLE }, d])],
    [
      'AND of both',
      bool('and', [bool('eq', [i, literal(1, BIGINT)]), bool('eq', [txt, literal('y', VARCHAR)])]),
    ],
    ['IS NULL', { kind: 'is-null', expr: txt, negated: false, type: BOOLEAN }],
    [
      'an IN list of the same type',
      { kind: 'in-list', expr: i, list: [literal(1, BIGINT)], negated: true, type: BOOLEAN },
    ],
  ] as [string, Expr][])('moves %s', (_, e) => {
    expect(sqliteExprMoves(node, e)).toBe(true);
  });

  it.each([
    [
      'BIGINT arithmetic (SQLite overflows into REAL)',
      bool('eq', [num('add', i, i, BIGINT), literal(1, BIGINT)]),
    ],
    [
      'division (integer division, NULL on zero)',
      bool('eq', [num('divide', d, d, DOUBLE), literal(1, DOUBLE)]),
    ],
    [
      'a DECIMAL column (stored as REAL or text)',
      bool('eq', [column(4, 'price', decimal(10, 2)), literal(100, decimal(10, 2))]),
    ],
    ['text without TEXT affinity', bool('eq', [column(5, 'loose', VARCHAR), literal('1', VARCHAR)])],
    ['a comparison with NULL', bool('eq', [i, literal(null, BIGINT)])],
    [
      'LIKE (case-insensitive in SQLite)',
      {
        kind: 'like',
        expr: txt,
        pattern: literal('a%', VARCHAR),
        negated: false,
        caseInsensitive: false,
        type: BOOLEAN,
      },
    ],
    [
      'an IN list of text against a DATE',
      { kind: 'in-list', expr: day, list: [literal('1995-1-1', VARCHAR)], negated: false, type: BOOLEAN },
    ],
    ['a function', bool('eq', [call('lower', [txt], VARCHAR), literal('a', VARCHAR)])],
  ] as [string, Expr][])('keeps %s in the engine', (_, e) => {
    expect(sqliteExprMoves(node, e)).toBe(false);
  });
});

describe('sqliteScanStatement', () => {
  it('is one SELECT with quoted identifiers and bound values, and none across two databases', () => {
    const other: TableRef = {
      ...T,
      table: 'u',
      location: { ...T.location, database: '/other.db', table: 'u' },
    };
    const filtered = {
      ...node,
      columns: [0, 3],
      filters: [bool('eq', [txt, literal("x'; DROP TABLE t; --", VARCHAR)])],
    };
    const statement = sqliteScanStatement(filtered, { from: 1, to: null })!;
    expect(statement.sql).toMatch(
      /^SELECT .* FROM "t" AS t0 WHERE \(t0\."txt" COLLATE BINARY = \?\) AND t0\.rowid >= \?$/,
    );
    expect(statement.sql).not.toContain(';');
    expect(statement.params).toEqual(["x'; DROP TABLE t; --", 1]);
    const across = {
      ...node,
      pushed: { joins: [{ table: other, alias: 'u' }], aggregate: null, orderBy: [] },
    };
    expect(sqliteScanStatement(across)).toBeUndefined();
    expect(sqliteScanStatement({ ...node, table: { ...T, sourceType: 'parquet' } })).toBeUndefined();
  });
});
