import { DEFAULT_RULE_CONTEXT } from './optimizer-rule.ts';
import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR, decimal } from '@tributary/common';
import { call, column, filter, join, literal, printPlan, project, scan, type Expr } from '@tributary/plan';
import { deriveOrFilters } from './derive-or-filters.ts';
import { optimize } from './optimize.ts';
import { LINEITEM, ORDERS, PART, withRows } from './test-tables.ts';

const and = (...args: Expr[]): Expr => call('and', args, BOOLEAN);
const or = (...args: Expr[]): Expr => call('or', args, BOOLEAN);
const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const lte = (a: Expr, b: Expr): Expr => call('lte', [a, b], BOOLEAN);
const gte = (a: Expr, b: Expr): Expr => call('gte', [a, b], BOOLEAN);

// lineitem (5 columns) × part (3 columns)
const lPartkey = column(1, 'l_partkey', BIGINT);
const lQuantity = column(3, 'l_quantity', decimal(15, 2));
const lShipmode = column(4, 'l_shipmode', VARCHAR);
const pPartkey = column(5, 'p_partkey', BIGINT);
const pBrand = column(6, 'p_brand', VARCHAR);
const pSize = column(7, 'p_size', BIGINT);
const qty = (v: number) => literal(v * 100, decimal(15, 2));
const str = (v: string) => literal(v, VARCHAR);
const int = (v: number) => literal(v, BIGINT);

const lineitem = () => scan(withRows(LINEITEM, 6_000_000), 'lineitem');
const part = () => scan(withRows(PART, 200_000), 'part');

/** Q19's shape: the join key is already factored out; the OR mixes both tables in each branch. */
const q19Or = or(
  and(eq(pBrand, str('Brand#12')), lte(lQuantity, qty(11)), lte(pSize, int(5)), eq(lShipmode, str('AIR'))),
  and(eq(pBrand, str('Brand#23')), gte(lQuantity, qty(10)), lte(pSize, int(10)), eq(lShipmode, str('AIR'))),
);

describe('derive_or_filters', () => {
  it("adds each table's share of an OR over a join as a filter of its own, factored", () => {
    const plan = filter(join('cross', lineitem(), part(), null), and(eq(pPartkey, lPartkey), q19Or));
    const derived = deriveOrFilters.rewrite(plan, DEFAULT_RULE_CONTEXT).plan;
    expect(printPlan(derived).split('\n')[0]).toBe(
      'Filter ((p_partkey#5 = l_partkey#1) AND ' +
        "(((p_brand#6 = 'Brand#12') AND (l_quantity#3 <= 11.00) AND (p_size#7 <= 5) AND (l_shipmode#4 = 'AIR')) OR ((p_brand#6 = 'Brand#23') AND (l_quantity#3 >= 10.00) AND (p_size#7 <= 10) AND (l_shipmode#4 = 'AIR'))) AND " +
        "(l_shipmode#4 = 'AIR') AND ((l_quantity#3 <= 11.00) OR (l_quantity#3 >= 10.00)) AND " +
        "(((p_brand#6 = 'Brand#12') AND (p_size#7 <= 5)) OR ((p_brand#6 = 'Brand#23') AND (p_size#7 <= 10))))",
    );
  });

  it('lets both tables be filtered before the hash join (with the whole pipeline)', () => {
    const plan = project(
      filter(join('cross', lineitem(), part(), null), and(eq(pPartkey, lPartkey), q19Or)),
      [lQuantity],
      ['l_quantity'],
    );
    expect(printPlan(optimize(plan))).toBe(
      [
        'Project l_quantity#1 AS l_quantity',
        // factor_or_conjuncts took the shared l_shipmode out of the OR first: it filters the scan alone.
        "  Join inner on ((p_partkey#2 = l_partkey#0) AND (((p_brand#3 = 'Brand#12') AND (l_quantity#1 <= 11.00) AND (p_size#4 <= 5)) OR ((p_brand#3 = 'Brand#23') AND (l_quantity#1 >= 10.00) AND (p_size#4 <= 10))))",
        "    Scan tpch.lineitem [l_partkey, l_quantity] filters=[(l_shipmode#4 = 'AIR'), ((l_quantity#3 <= 11.00) OR (l_quantity#3 >= 10.00))]",
        "    Scan tpch.part [p_partkey, p_brand, p_size] filters=[(((p_brand#1 = 'Brand#12') AND (p_size#2 <= 5)) OR ((p_brand#1 = 'Brand#23') AND (p_size#2 <= 10)))]",
      ].join('\n'),
    );
  });

  it('derives from an inner join condition too', () => {
    const plan = join('inner', lineitem(), part(), and(eq(pPartkey, lPartkey), q19Or));
    const derived = printPlan(deriveOrFilters.rewrite(plan, DEFAULT_RULE_CONTEXT).plan);
    expect(derived.split('\n')[0]).toContain("AND (l_shipmode#4 = 'AIR') AND");
  });

  it('derives nothing when a branch has no conjunct of the table, or the OR reads one table', () => {
    const partial = or(and(eq(pBrand, str('Brand#12')), lte(lQuantity, qty(11))), eq(pSize, int(3)));
    const plan = filter(join('cross', lineitem(), part(), null), and(eq(pPartkey, lPartkey), partial));
    const derived = printPlan(deriveOrFilters.rewrite(plan, DEFAULT_RULE_CONTEXT).plan);
    // part: every branch has a part conjunct; lineitem: the second branch has none.
    expect(derived.split('\n')[0]).toBe(
      "Filter ((p_partkey#5 = l_partkey#1) AND (((p_brand#6 = 'Brand#12') AND (l_quantity#3 <= 11.00)) OR (p_size#7 = 3)) AND ((p_brand#6 = 'Brand#12') OR (p_size#7 = 3)))",
    );
    const single = filter(
      scan(ORDERS, 'o'),
      or(eq(column(0, 'o_orderkey', BIGINT), int(1)), eq(column(1, 'o_custkey', BIGINT), int(2))),
    );
    expect(deriveOrFilters.rewrite(single, DEFAULT_RULE_CONTEXT).changed).toBe(false);
  });
});
