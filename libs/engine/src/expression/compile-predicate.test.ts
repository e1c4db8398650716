import { describe, expect, it } from 'vitest';
import { ColumnBuilder, BOOLEAN, INTEGER, VARCHAR, makeRecordBatch } from '@tributary/common';
import { call, column, literal, type Expr, type Field } from '@tributary/plan';
import { compilePredicate } from './compile-predicate.ts';

const fields: Field[] = [
  { name: 'a', type: INTEGER, nullable: true },
  { name: 's', type: VARCHAR, nullable: false },
];

function batchOf(a: (number | null)[], s: string[]) {
  const ab = new ColumnBuilder(INTEGER);
  for (const v of a)
    if (v === null) ab.appendNull();
    else ab.appendNumber(v);
  const sb = new ColumnBuilder(VARCHAR);
  for (const v of s) sb.appendString(v);
  return makeRecordBatch(fields, [ab.finish(), sb.finish()], a.length);
}

const a = column(0, 'a', INTEGER);
const s = column(1, 's', VARCHAR);
const gt = (x: number): Expr => call('gt', [a, literal(x, INTEGER)], BOOLEAN);

describe('compilePredicate', () => {
  const batch = batchOf([5, null, -1, 10, 3], ['x', 'y', 'MAIL', 'AIR', 'AIR REG']);

  it('keeps only rows where the predicate is TRUE (NULL drops)', () => {
    const { selection, count } = compilePredicate(gt(0), fields)(batch);
    expect(Array.from(selection.subarray(0, count))).toEqual([0, 3, 4]);
  });

  it('NOT of a NULL comparison is still NULL and drops', () => {
    const { selection, count } = compilePredicate(call('not', [gt(4)], BOOLEAN), fields)(batch);
    expect(Array.from(selection.subarray(0, count))).toEqual([2, 4]);
  });

  it('three-valued OR keeps TRUE OR NULL', () => {
    const p = call('or', [gt(4), call('eq', [s, literal('y', VARCHAR)], BOOLEAN)], BOOLEAN);
    const { selection, count } = compilePredicate(p, fields)(batch);
    expect(Array.from(selection.subarray(0, count))).toEqual([0, 1, 3]);
  });

  it('refines an incoming selection, returning batch row indices', () => {
    const { selection, count } = compilePredicate(gt(0), fields)(batch, new Uint32Array([4, 3, 2, 1]), 3);
    expect(Array.from(selection.subarray(0, count))).toEqual([4, 3]);
  });

  it('string IN and LIKE compare bytes', () => {
    const inList: Expr = {
      kind: 'in-list',
      expr: s,
      list: [literal('AIR', VARCHAR), literal('MAIL', VARCHAR)],
      negated: false,
      type: BOOLEAN,
    };
    const r1 = compilePredicate(inList, fields)(batch);
    expect(Array.from(r1.selection.subarray(0, r1.count))).toEqual([2, 3]);
    const like: Expr = {
      kind: 'like',
      expr: s,
      pattern: literal('AIR%', VARCHAR),
      negated: false,
      caseInsensitive: false,
      type: BOOLEAN,
    };
    const r2 = compilePredicate(like, fields)(batch);
    expect(Array.from(r2.selection.subarray(0, r2.count))).toEqual([3, 4]);
  });

  it('handles batches with and without NULLs through separate specialisations', () => {
    const p = compilePredicate(gt(0), fields);
    expect(p(batchOf([1, 2, -3], ['a', 'b', 'c'])).count).toBe(2);
    expect(p(batch).count).toBe(3);
  });

  it('constant predicates', () => {
    expect(compilePredicate(literal(true, BOOLEAN), fields)(batch).count).toBe(5);
    expect(compilePredicate(literal(null, BOOLEAN), fields)(batch).count).toBe(0);
  });
});
