import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR, decimal } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  filter,
  join,
  literal,
  printPlan,
  project,
  scan,
  type Expr,
  type JoinType,
  type LogicalPlan,
} from '@tributary/plan';
import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { semiJoinReduction } from './semi-join-reduction.ts';
import { LINEITEM, PART, withRows } from './test-tables.ts';

const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const lineitem = () => scan(withRows(LINEITEM, 6_000_000), 'lineitem');
const part = (rows = 200_000) => scan(withRows(PART, rows), 'part');
/** The parts of one brand: a tenth of the parts by the default selectivity of an equality. */
const brand = (rows?: number) =>
  filter(part(rows), eq(column(1, 'p_brand', VARCHAR), literal('Brand#23', VARCHAR)));

/** Average quantity per part over lineitem (Q17's decorrelated subquery), as (key, avg). */
function averages(): LogicalPlan {
  const grouped = aggregate(
    lineitem(),
    [column(1, 'l_partkey', BIGINT)],
    [{ fn: 'avg', arg: column(3, 'l_quantity', decimal(15, 2)), distinct: false, type: decimal(38, 6) }],
    ['l_partkey', 'avg_qty'],
  );
  return project(
    grouped,
    [column(0, 'l_partkey', BIGINT), column(1, 'avg_qty', decimal(38, 6))],
    ['__correlation_0', 'avg_qty'],
  );
}

/** `left` joined (type) with the averages on left column `key` = their part key. */
function joined(type: JoinType, left: LogicalPlan, key: number): LogicalPlan {
  const width = left.schema.length;
  return join(
    type,
    left,
    averages(),
    eq(column(key, 'p_partkey', BIGINT), column(width, '__correlation_0', BIGINT)),
  );
}

function rewrite(plan: LogicalPlan): string {
  return printPlan(semiJoinReduction.rewrite(plan, DEFAULT_RULE_CONTEXT).plan);
}

describe('semi_join_reduction', () => {
  it('semi-joins the aggregation input with the keys of a small other side (Q17 shape)', () => {
    expect(rewrite(joined('left', brand(), 0))).toBe(
      [
        'Join left on (p_partkey#0 = __correlation_0#3)',
        "  Filter (p_brand#1 = 'Brand#23')",
        '    Scan tpch.part [p_partkey, p_brand, p_size]',
        '  Project l_partkey#0 AS __correlation_0, avg_qty#1 AS avg_qty',
        '    Aggregate groupBy=[l_partkey#1] aggs=[avg(l_quantity#3)]',
        '      Join semi on (l_partkey#1 = p_partkey#5)',
        '        Scan tpch.lineitem [l_orderkey, l_partkey, l_suppkey, l_quantity, l_shipmode]',
        '        Project p_partkey#0 AS p_partkey',
        "          Filter (p_brand#1 = 'Brand#23')",
        '            Scan tpch.part [p_partkey, p_brand, p_size]',
      ].join('\n'),
    );
  });

  it('reads the keys from the deepest small relation under the other side that has them', () => {
    // (lineitem ⋈ brand parts) LEFT JOIN averages: the keys come from the filtered parts alone.
    const li = lineitem();
    const both = join(
      'inner',
      li,
      brand(),
      eq(column(1, 'l_partkey', BIGINT), column(5, 'p_partkey', BIGINT)),
    );
    const lines = rewrite(joined('left', both, 5)).split('\n');
    const keys = lines.findIndex((l) => l.includes('Project p_partkey#0 AS p_partkey'));
    expect(lines.slice(keys)).toEqual([
      '        Project p_partkey#0 AS p_partkey',
      "          Filter (p_brand#1 = 'Brand#23')",
      '            Scan tpch.part [p_partkey, p_brand, p_size]',
    ]);
    expect(lines[keys - 2]).toBe('      Join semi on (l_partkey#1 = p_partkey#5)');
  });

  it('leaves the join when the other side is not small, or keeps the aggregated rows unmatched', () => {
    // All 200,000 parts' keys keep every line item: nothing to gain from a second read.
    const all = joined('left', part(), 0);
    expect(rewrite(all)).toBe(printPlan(all));
    // A right join keeps every group: none may be dropped.
    const right = joined('right', brand(), 0);
    expect(rewrite(right)).toBe(printPlan(right));
    // Not on a group key: the average itself.
    const width = brand().schema.length;
    const onAverage = join(
      'inner',
      brand(),
      averages(),
      eq(column(0, 'p_partkey', BIGINT), column(width + 1, 'avg_qty', decimal(38, 6))),
    );
    expect(rewrite(onAverage)).toBe(printPlan(onAverage));
  });

  it('filters the right input of a semi, anti or mark join by the keys of a small left input (Q4 shape)', () => {
    const width = brand().schema.length;
    const tested = (type: JoinType) =>
      join(
        type,
        brand(),
        lineitem(),
        eq(column(0, 'p_partkey', BIGINT), column(width + 1, 'l_partkey', BIGINT)),
      );
    for (const type of ['semi', 'anti', 'mark'] as const)
      expect([type, rewrite(tested(type)).split('\n').slice(3)]).toEqual([
        type,
        [
          '  Join semi on (l_partkey#1 = p_partkey#5)',
          '    Scan tpch.lineitem [l_orderkey, l_partkey, l_suppkey, l_quantity, l_shipmode]',
          '    Project p_partkey#0 AS p_partkey',
          "      Filter (p_brand#1 = 'Brand#23')",
          '        Scan tpch.part [p_partkey, p_brand, p_size]',
        ],
      ]);
    // Keys that read as much of lineitem as they would save (Q21: the late line items of some
    // suppliers, tested against all line items of their orders) are not worth a second read,
    // however few they are.
    const oneParts = filter(lineitem(), eq(column(1, 'l_partkey', BIGINT), literal(7, BIGINT)));
    const sameOrder = join(
      'semi',
      oneParts,
      lineitem(),
      eq(column(0, 'l_orderkey', BIGINT), column(oneParts.schema.length, 'l_orderkey', BIGINT)),
    );
    expect(rewrite(sameOrder)).toBe(printPlan(sameOrder));
    // An inner or left join builds on the small side and broadcasts it: nothing to gain there.
    for (const type of ['inner', 'left'] as const)
      expect(rewrite(tested(type))).toBe(printPlan(tested(type)));
  });

  it('reduces either side of an inner join, and the right side of semi and anti joins', () => {
    const width = averages().schema.length;
    const flipped = join(
      'inner',
      averages(),
      brand(),
      eq(column(0, '__correlation_0', BIGINT), column(width, 'p_partkey', BIGINT)),
    );
    expect(rewrite(flipped)).toMatch(/Join semi on \(l_partkey#1 = p_partkey#5\)/);
    for (const type of ['semi', 'anti', 'inner', 'mark', 'single'] as const)
      expect([type, rewrite(joined(type, brand(), 0))]).toEqual([
        type,
        expect.stringMatching(/Join semi on/),
      ]);
  });
});
