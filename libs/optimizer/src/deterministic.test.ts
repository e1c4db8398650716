import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DOUBLE, INTEGER } from '@tributary/common';
import { call, column, filter, join, literal, project, scan, type Expr } from '@tributary/plan';
import { isDeterministic, isDeterministicPlan } from './deterministic.ts';
import { CUSTOMER, ORDERS } from './test-tables.ts';

const random = call('random', [literal(1, INTEGER)], DOUBLE);
const below = (e: Expr): Expr => call('lt', [e, literal(0.5, DOUBLE)], BOOLEAN);

describe('isDeterministic', () => {
  it('finds random() however deep it sits, under calls, casts and CASE', () => {
    expect(isDeterministic(below(column(0, 'x', DOUBLE)))).toBe(true);
    expect(isDeterministic(below(random))).toBe(false);
    expect(isDeterministic({ kind: 'cast', expr: random, type: BIGINT })).toBe(false);
    expect(
      isDeterministic({
        kind: 'case',
        whens: [{ when: below(column(0, 'x', DOUBLE)), then: random }],
        otherwise: null,
        type: DOUBLE,
      }),
    ).toBe(false);
  });

  it('checks every node of a plan', () => {
    const orders = scan(ORDERS, 'o');
    const joined = join(
      'inner',
      orders,
      scan(CUSTOMER, 'c'),
      call('eq', [column(1, 'o_custkey', BIGINT), column(4, 'c_custkey', BIGINT)], BOOLEAN),
    );
    expect(isDeterministicPlan(joined)).toBe(true);
    expect(isDeterministicPlan(project(joined, [random], ['r']))).toBe(false);
    expect(isDeterministicPlan(join('inner', filter(orders, below(random)), scan(CUSTOMER, 'c'), null))).toBe(
      false,
    );
  });
});
