import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DOUBLE, INTEGER, VARCHAR, decimal } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  filter,
  join,
  limit,
  literal,
  printPlan,
  project,
  scan,
  sort,
} from '@tributary/plan';
import { OPTIMIZER_RULE_NAMES, optimize, validateDisabledRules } from './optimize.ts';
import { CUSTOMER, ORDERS } from './test-tables.ts';

const orders = () => scan(ORDERS, 'o');
const customer = () => scan(CUSTOMER, 'c');

describe('optimize', () => {
  it('pushes a cross-join WHERE into an inner join, scan filters, and prunes columns', () => {
    // SELECT c_name, o_totalprice FROM orders o, customer c WHERE o_custkey = c_custkey AND c_mktsegment = 'BUILDING'
    const j = join('cross', orders(), customer(), null);
    const where = call(
      'and',
      [
        call('eq', [column(1, 'o_custkey', BIGINT), column(4, 'c_custkey', BIGINT)], BOOLEAN),
        call('eq', [column(6, 'c_mktsegment', VARCHAR), literal('BUILDING', VARCHAR)], BOOLEAN),
      ],
      BOOLEAN,
    );
    const plan = project(
      filter(j, where),
      [column(5, 'c_name', VARCHAR), column(2, 'o_totalprice', decimal(15, 2))],
      ['c_name', 'o_totalprice'],
    );
    expect(printPlan(optimize(plan))).toBe(
      [
        'Project c_name#3 AS c_name, o_totalprice#1 AS o_totalprice',
        '  Join inner on (o_custkey#0 = c_custkey#2)',
        '    Scan tpch.orders AS o [o_custkey, o_totalprice]',
        "    Scan tpch.customer AS c [c_custkey, c_name] filters=[(c_mktsegment#2 = 'BUILDING')]",
      ].join('\n'),
    );
  });

  it('keeps the schema and result shape when a rule is disabled', () => {
    const plan = project(
      filter(orders(), call('gt', [column(0, 'o_orderkey', BIGINT), literal(5, BIGINT)], BOOLEAN)),
      [column(0, 'o_orderkey', BIGINT)],
      ['k'],
    );
    expect(printPlan(optimize(plan, { disabledRules: ['push_down_filter'] }))).toBe(
      [
        'Project o_orderkey#0 AS k',
        '  Filter (o_orderkey#0 > 5)',
        '    Scan tpch.orders AS o [o_orderkey]',
      ].join('\n'),
    );
  });

  it('pushes HAVING on group keys below the aggregate, keeps one on aggregates above, drops unused aggregates', () => {
    const agg = aggregate(
      orders(),
      [column(1, 'o_custkey', BIGINT)],
      [
        { fn: 'count_star', arg: null, distinct: false, type: BIGINT },
        { fn: 'sum', arg: column(2, 'o_totalprice', decimal(15, 2)), distinct: false, type: decimal(38, 2) },
      ],
      ['o_custkey', 'n', 'total'],
    );
    const having = call(
      'and',
      [
        call('gt', [column(0, 'o_custkey', BIGINT), literal(10, BIGINT)], BOOLEAN),
        call('gt', [column(1, 'n', BIGINT), literal(3, BIGINT)], BOOLEAN),
      ],
      BOOLEAN,
    );
    const plan = project(
      filter(agg, having),
      [column(0, 'o_custkey', BIGINT), column(1, 'n', BIGINT)],
      ['o_custkey', 'n'],
    );
    expect(printPlan(optimize(plan))).toBe(
      [
        'Project o_custkey#0 AS o_custkey, n#1 AS n',
        '  Filter (n#1 > 3)',
        '    Aggregate groupBy=[o_custkey#0] aggs=[count(*)]',
        '      Scan tpch.orders AS o [o_custkey] filters=[(o_custkey#1 > 10)]',
      ].join('\n'),
    );
  });

  it('tells the scan the limit through a projection, but not through a sort', () => {
    const plan = limit(project(orders(), [column(0, 'o_orderkey', BIGINT)], ['k']), 10, 5);
    expect(printPlan(optimize(plan))).toContain('limit=15');
    const sorted = limit(
      sort(orders(), [{ expr: column(0, 'o_orderkey', BIGINT), ascending: true, nullsFirst: false }]),
      10,
    );
    expect(printPlan(optimize(sorted))).not.toContain('limit=');
  });

  it('does not push a WHERE on the outer side of a left join into the join', () => {
    const j = join(
      'left',
      orders(),
      customer(),
      call('eq', [column(1, 'o_custkey', BIGINT), column(4, 'c_custkey', BIGINT)], BOOLEAN),
    );
    const plan = filter(j, {
      kind: 'is-null',
      expr: column(5, 'c_name', VARCHAR),
      negated: false,
      type: BOOLEAN,
    });
    const out = printPlan(optimize(plan));
    expect(out.split('\n')[0]).toBe('Filter c_name#5 IS NULL');
  });

  it('moves ON conjuncts over the side a join only matches against into it, never over a kept side', () => {
    const keys = call('eq', [column(1, 'o_custkey', BIGINT), column(4, 'c_custkey', BIGINT)], BOOLEAN);
    const building = call('eq', [column(6, 'c_mktsegment', VARCHAR), literal('BUILDING', VARCHAR)], BOOLEAN);
    const big = call('gt', [column(0, 'o_orderkey', BIGINT), literal(5, BIGINT)], BOOLEAN);
    const on = call('and', [keys, call('and', [building, big], BOOLEAN)], BOOLEAN);
    const print = (type: 'left' | 'right' | 'full' | 'anti') =>
      printPlan(optimize(join(type, orders(), customer(), on), { disabledRules: ['prune_columns'] })).split(
        '\n',
      );
    // orders LEFT JOIN customer: a customer not in BUILDING matches no order; every order stays.
    expect(print('left')).toEqual([
      'Join left on ((o_custkey#1 = c_custkey#4) AND (o_orderkey#0 > 5))',
      '  Scan tpch.orders AS o [o_orderkey, o_custkey, o_totalprice, o_orderdate]',
      "  Scan tpch.customer AS c [c_custkey, c_name, c_mktsegment] filters=[(c_mktsegment#2 = 'BUILDING')]",
    ]);
    expect(print('anti')[2]).toBe(
      "  Scan tpch.customer AS c [c_custkey, c_name, c_mktsegment] filters=[(c_mktsegment#2 = 'BUILDING')]",
    );
    // RIGHT JOIN: the orders side is the one matched against.
    expect(print('right')).toEqual([
      "Join right on ((o_custkey#1 = c_custkey#4) AND (c_mktsegment#6 = 'BUILDING'))",
      '  Scan tpch.orders AS o [o_orderkey, o_custkey, o_totalprice, o_orderdate] filters=[(o_orderkey#0 > 5)]',
      '  Scan tpch.customer AS c [c_custkey, c_name, c_mktsegment]',
    ]);
    // random() draws a value per pair in ON: it stays there.
    const coin = call('lt', [call('random', [literal(1, INTEGER)], DOUBLE), literal(0.5, DOUBLE)], BOOLEAN);
    const lucky = join('left', orders(), customer(), call('and', [keys, coin], BOOLEAN));
    expect(printPlan(optimize(lucky, { disabledRules: ['prune_columns'] })).split('\n')[0]).toBe(
      'Join left on ((o_custkey#1 = c_custkey#4) AND (random(1) < 0.5))',
    );
    // A FULL JOIN keeps the unmatched rows of both sides: nothing moves.
    expect(print('full')[0]).toBe(
      "Join full on ((o_custkey#1 = c_custkey#4) AND ((c_mktsegment#6 = 'BUILDING') AND (o_orderkey#0 > 5)))",
    );
  });

  it('pushes a filter on the left side below a mark join and keeps the one on its mark above; prunes around the mark', () => {
    // SELECT o_orderkey FROM orders o WHERE o_totalprice > 100 AND (o_orderkey < 5 OR EXISTS (… c_custkey = o_custkey))
    const marked = join(
      'mark',
      orders(),
      customer(),
      call('eq', [column(1, 'o_custkey', BIGINT), column(4, 'c_custkey', BIGINT)], BOOLEAN),
    );
    const where = call(
      'and',
      [
        call('gt', [column(2, 'o_totalprice', decimal(15, 2)), literal(10000, decimal(15, 2))], BOOLEAN),
        call(
          'or',
          [
            call('lt', [column(0, 'o_orderkey', BIGINT), literal(5, BIGINT)], BOOLEAN),
            column(4, 'mark', BOOLEAN),
          ],
          BOOLEAN,
        ),
      ],
      BOOLEAN,
    );
    const plan = project(filter(marked, where), [column(0, 'o_orderkey', BIGINT)], ['o_orderkey']);
    expect(printPlan(optimize(plan))).toBe(
      [
        'Project o_orderkey#0 AS o_orderkey',
        '  Filter ((o_orderkey#0 < 5) OR mark#1)',
        // The join key goes no further than the join.
        '    Project o_orderkey#0 AS o_orderkey, mark#2 AS mark',
        '      Join mark on (o_custkey#1 = c_custkey#2)',
        '        Scan tpch.orders AS o [o_orderkey, o_custkey] filters=[(o_totalprice#2 > 100.00)]',
        '        Scan tpch.customer AS c [c_custkey]',
      ].join('\n'),
    );
  });

  it('pushes a left-side filter below a single join but keeps one on its right columns above', () => {
    const single = join(
      'single',
      orders(),
      customer(),
      call('eq', [column(1, 'o_custkey', BIGINT), column(4, 'c_custkey', BIGINT)], BOOLEAN),
    );
    const where = call(
      'and',
      [
        call('gt', [column(0, 'o_orderkey', BIGINT), literal(5, BIGINT)], BOOLEAN),
        { kind: 'is-null', expr: column(5, 'c_name', VARCHAR), negated: false, type: BOOLEAN },
      ],
      BOOLEAN,
    );
    const out = printPlan(optimize(project(filter(single, where), [column(0, 'o_orderkey', BIGINT)], ['k'])));
    expect(out).toContain('Filter c_name#');
    expect(out).toContain('filters=[(o_orderkey#0 > 5)]');
    expect(out).toContain('Join single on');
  });

  it('names its rules, and refuses an unknown one in disabledRules with a typed error listing them', () => {
    expect(OPTIMIZER_RULE_NAMES).toEqual([
      'fold_constants',
      'factor_or_conjuncts',
      'or_to_in_list',
      'derive_or_filters',
      'push_down_filter',
      'push_down_semi_join',
      'join_order',
      'semi_join_reduction',
      'push_limit_into_scan',
      'prune_columns',
      'push_join_into_sqlite_scan',
      'push_aggregate_into_sqlite_scan',
      'push_top_n_into_sqlite_scan',
      'narrow_join_outputs',
      'lift_scan_pushdown',
    ]);
    expect(validateDisabledRules(['join_order', 'join_order'])).toEqual(['join_order']);
    expect(validateDisabledRules(undefined)).toEqual([]);
    let error: unknown;
    try {
      optimize(orders(), { disabledRules: ['join_ordr'] });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'UNKNOWN_OPTIMIZER_RULE', phase: 'request', status: 400 });
    expect((error as Error).message).toContain('"join_ordr"');
    expect((error as Error).message).toContain('fold_constants, factor_or_conjuncts');
    expect(() => validateDisabledRules('join_order')).toThrow(/must be a list/);
  });
});
