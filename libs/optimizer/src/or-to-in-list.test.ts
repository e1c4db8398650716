import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, VARCHAR, decimal } from '@tributary/common';
import { call, column, filter, literal, printPlan, project, scan, type Expr } from '@tributary/plan';
import { optimize } from './optimize.ts';
import { orToInList } from './or-to-in-list.ts';
import { CUSTOMER, ORDERS } from './test-tables.ts';

const key = column(0, 'o_orderkey', BIGINT);
const price = column(2, 'o_totalprice', decimal(15, 2));
const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const or = (...args: Expr[]): Expr => call('or', args, BOOLEAN);
const k = (n: number | null): Expr => literal(n, BIGINT);

function rewritten(predicate: Expr): string {
  const plan = filter(scan(ORDERS, 'o'), predicate);
  return printPlan(orToInList.rewrite(plan, DEFAULT_RULE_CONTEXT).plan).split('\n')[0];
}

describe('or_to_in_list', () => {
  it('merges equalities of one value with literals into an IN list, in the place of the first', () => {
    expect(rewritten(or(eq(key, k(1)), eq(price, literal(500, decimal(15, 2))), eq(k(2), key)))).toBe(
      'Filter (o_orderkey#0 IN (1, 2) OR (o_totalprice#2 = 5.00))',
    );
    expect(rewritten(or(eq(key, k(1)), eq(key, k(2)), eq(key, k(3))))).toBe(
      'Filter o_orderkey#0 IN (1, 2, 3)',
    );
  });

  it('merges IN lists and NULL literals too, which keep their meaning inside IN', () => {
    const inList: Expr = { kind: 'in-list', expr: key, list: [k(5), k(6)], negated: false, type: BOOLEAN };
    expect(rewritten(or(inList, eq(key, k(null)), eq(key, k(7))))).toBe(
      'Filter o_orderkey#0 IN (5, 6, NULL, 7)',
    );
  });

  it('leaves single comparisons, NOT IN, non-literals and other operators alone', () => {
    const notIn: Expr = { kind: 'in-list', expr: key, list: [k(5)], negated: true, type: BOOLEAN };
    const other = column(1, 'o_custkey', BIGINT);
    for (const predicate of [
      or(eq(key, k(1)), eq(price, literal(1, decimal(15, 2)))),
      or(notIn, eq(key, k(1))),
      or(eq(key, other), eq(key, k(1))),
      or(call('lt', [key, k(1)], BOOLEAN), call('gt', [key, k(9)], BOOLEAN)),
      call('and', [eq(key, k(1)), eq(key, k(2))], BOOLEAN),
    ]) {
      const plan = filter(scan(ORDERS, 'o'), predicate);
      expect(rewritten(predicate)).toBe(printPlan(plan).split('\n')[0]);
    }
  });

  it('turns 10,000 OR-ed equalities into one IN list pushed into the scan', () => {
    const date = column(3, 'o_orderdate', DATE);
    const terms = Array.from({ length: 10_000 }, (_, i) => eq(date, literal(i, DATE)));
    const plan = project(filter(scan(ORDERS, 'o'), or(...terms)), [key], ['k']);
    const optimized = optimize(plan);
    const filters =
      optimized.kind === 'project' && optimized.input.kind === 'scan' ? optimized.input.filters : [];
    expect(filters).toHaveLength(1);
    expect(filters[0]).toMatchObject({ kind: 'in-list', negated: false });
    expect(filters[0].kind === 'in-list' && filters[0].list).toHaveLength(10_000);
    // Switched off, the disjunction stays (and is still pushed down whole).
    const kept = optimize(plan, { disabledRules: ['or_to_in_list'] });
    expect(kept.kind === 'project' && kept.input.kind === 'scan' && kept.input.filters[0]).toMatchObject({
      kind: 'call',
      fn: 'or',
    });
  });

  it('optimizes a 100,000-item IN list quickly (no rule is quadratic in it)', () => {
    const name = column(1, 'c_name', VARCHAR);
    const list = Array.from({ length: 100_000 }, (_, i) => literal(`name${i}`, VARCHAR));
    const inList: Expr = { kind: 'in-list', expr: name, list, negated: false, type: BOOLEAN };
    const plan = project(filter(scan(CUSTOMER, 'c'), inList), [column(0, 'c_custkey', BIGINT)], ['k']);
    const started = performance.now();
    const optimized = optimize(plan);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(printPlan(optimized).split('\n')[1]).toMatch(
      /^ {2}Scan tpch\.customer AS c \[c_custkey\] filters=\[c_name#1 IN \('name0', /,
    );
  });
});
