import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DOUBLE, VARCHAR, decimal } from '@tributary/common';
import { call, column, literal } from '@tributary/plan';
import { toColumnPredicate } from './column-predicate.ts';

const columns = [
  { name: 'k', type: BIGINT },
  { name: 'price', type: decimal(15, 2) },
  { name: 'name', type: VARCHAR },
  { name: 'ratio', type: DOUBLE },
];
const k = column(0, 'k', BIGINT);
const price = column(1, 'price', decimal(15, 2));

describe('toColumnPredicate', () => {
  it('normalises literal-first comparisons and keeps widening numeric casts', () => {
    expect(toColumnPredicate(call('lt', [literal(5, BIGINT), k], BOOLEAN), columns)).toEqual({
      kind: 'compare',
      column: 0,
      op: 'gt',
      value: 5,
      valueType: BIGINT,
      numericCast: false,
    });
    const widened = call(
      'gte',
      [{ kind: 'cast', expr: price, type: decimal(16, 3) }, literal(12345, decimal(16, 3))],
      BOOLEAN,
    );
    expect(toColumnPredicate(widened, columns)).toMatchObject({
      kind: 'compare',
      column: 1,
      numericCast: true,
      value: 12345,
    });
  });

  it('refuses narrowing casts, expressions, NULL literals and unknown shapes', () => {
    const narrowed = call(
      'eq',
      [{ kind: 'cast', expr: price, type: decimal(15, 1) }, literal(1, decimal(15, 1))],
      BOOLEAN,
    );
    expect(toColumnPredicate(narrowed, columns)).toBeUndefined();
    const ratioToInt = call(
      'eq',
      [{ kind: 'cast', expr: column(3, 'ratio', DOUBLE), type: BIGINT }, literal(1, BIGINT)],
      BOOLEAN,
    );
    expect(toColumnPredicate(ratioToInt, columns)).toBeUndefined();
    expect(
      toColumnPredicate(call('eq', [call('add', [k, k], BIGINT), literal(1, BIGINT)], BOOLEAN), columns),
    ).toBeUndefined();
    expect(toColumnPredicate(call('eq', [k, literal(null, BIGINT)], BOOLEAN), columns)).toBeUndefined();
    expect(
      toColumnPredicate(
        call(
          'and',
          [
            call('eq', [k, literal(1, BIGINT)], BOOLEAN),
            call('lower', [column(2, 'name', VARCHAR)], VARCHAR),
          ],
          BOOLEAN,
        ),
        columns,
      ),
    ).toBeUndefined();
  });

  it('translates is-null, in-list and not', () => {
    const p = toColumnPredicate(
      call(
        'not',
        [
          {
            kind: 'in-list',
            expr: column(2, 'name', VARCHAR),
            list: [literal('a', VARCHAR), literal('b', VARCHAR)],
            negated: false,
            type: BOOLEAN,
          },
        ],
        BOOLEAN,
      ),
      columns,
    );
    expect(p).toMatchObject({ kind: 'not', arg: { kind: 'in-list', column: 2, values: ['a', 'b'] } });
    expect(toColumnPredicate({ kind: 'is-null', expr: k, negated: true, type: BOOLEAN }, columns)).toEqual({
      kind: 'is-null',
      column: 0,
      negated: true,
    });
  });
});
