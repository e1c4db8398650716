import { describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, VARCHAR } from '@tributary/common';
import {
  aggregate,
  call,
  column,
  filter,
  join,
  limit,
  literal,
  scan,
  type Expr,
  type TableRef,
} from '@tributary/plan';
import {
  DEFAULT_SELECTIVITY,
  DEFAULT_TABLE_ROWS,
  equiJoinRows,
  estimateCardinality,
} from './estimate-cardinality.ts';
import { CUSTOMER, LINEITEM, NATION, PART, withRows } from './test-tables.ts';

const eq = (a: Expr, b: Expr): Expr => call('eq', [a, b], BOOLEAN);
const lt = (a: Expr, b: Expr): Expr => call('lt', [a, b], BOOLEAN);

const lineitem = withRows(LINEITEM, 6_000_000);
const part = withRows(PART, 200_000);

describe('estimateCardinality', () => {
  it('takes row counts from statistics (or TableRef.rowCount), a default and known=false without', () => {
    expect(estimateCardinality(scan(part, 'p'))).toEqual({ rows: 200_000, known: true });
    const withStats: TableRef = { ...PART, statistics: { rowCount: 1234 } };
    expect(estimateCardinality(scan(withStats, 'p')).rows).toBe(1234);
    expect(estimateCardinality(scan(CUSTOMER, 'c'))).toEqual({ rows: DEFAULT_TABLE_ROWS, known: false });
    expect(estimateCardinality(limit(scan(CUSTOMER, 'c'), 10))).toEqual({ rows: 10, known: true });
  });

  it('applies default selectivities to filters without column statistics', () => {
    const brand = eq(column(1, 'p_brand', VARCHAR), literal('Brand#1', VARCHAR));
    expect(estimateCardinality(filter(scan(part, 'p'), brand)).rows).toBeCloseTo(
      200_000 * DEFAULT_SELECTIVITY.equality,
    );
    const size = lt(column(2, 'p_size', BIGINT), literal(10, BIGINT));
    expect(estimateCardinality(scan(part, 'p', [0, 1, 2], [size])).rows).toBeCloseTo(
      200_000 * DEFAULT_SELECTIVITY.range,
    );
    // A column of a small table: one value of 25 keeps a 25th, more than the default.
    const nation = withRows(NATION, 25);
    const name = eq(column(1, 'n_name', VARCHAR), literal('FRANCE', VARCHAR));
    expect(estimateCardinality(filter(scan(nation, 'n'), name)).rows).toBeCloseTo(2.5);
  });

  it('uses column statistics: distinct counts for equalities, min/max for ranges', () => {
    const stats: TableRef = {
      ...part,
      statistics: {
        columns: { p_size: { min: 1, max: 50, distinctCount: 50 }, p_brand: { distinctCount: 25 } },
      },
    };
    const size = lt(column(2, 'p_size', BIGINT), literal(10, BIGINT));
    expect(estimateCardinality(scan(stats, 'p', [0, 1, 2], [size])).rows).toBeCloseTo((200_000 * 9) / 50);
    const brand = eq(column(1, 'p_brand', VARCHAR), literal('Brand#1', VARCHAR));
    expect(estimateCardinality(scan(stats, 'p', [0, 1, 2], [brand])).rows).toBeCloseTo(200_000 / 25);
    const groups = aggregate(scan(stats, 'p'), [column(2, 'p_size', BIGINT)], [], ['p_size']);
    expect(estimateCardinality(groups).rows).toBe(50);
  });

  it('takes a lower and an upper bound of one column as one range, not as independent filters', () => {
    const stats: TableRef = {
      ...part,
      statistics: { columns: { p_size: { min: 0, max: 100, distinctCount: 101 } } },
    };
    const size = column(2, 'p_size', BIGINT);
    const gte = call('gte', [size, literal(20, BIGINT)], BOOLEAN);
    const below = lt(size, literal(30, BIGINT));
    // [20, 30) of the integers 0..100: 10 of 101 values, where the product of the two
    // bounds' shares (81/101 · 30/101) would say about a quarter.
    const range = (200_000 * 10) / 101;
    expect(estimateCardinality(scan(stats, 'p', [0, 1, 2], [gte, below])).rows).toBeCloseTo(range);
    const and = call('and', [gte, below], BOOLEAN);
    expect(estimateCardinality(filter(scan(stats, 'p'), and)).rows).toBeCloseTo(range);
    // Literal first: 30 > p_size is the same upper bound.
    const flipped = call('gt', [literal(30, BIGINT), size], BOOLEAN);
    expect(estimateCardinality(scan(stats, 'p', [0, 1, 2], [gte, flipped])).rows).toBeCloseTo(range);
    // A column of fractions interpolates continuously: [0.25, 0.5) of [0, 1] is a quarter.
    const fractions: TableRef = {
      ...part,
      statistics: { columns: { p_size: { min: 0, max: 1 } } },
    };
    const quarter = [call('gte', [size, literal(0.25, BIGINT)], BOOLEAN), lt(size, literal(0.5, BIGINT))];
    expect(estimateCardinality(scan(fractions, 'p', [0, 1, 2], quarter)).rows).toBeCloseTo(50_000);
    // Disjoint bounds keep a sliver, not a negative share.
    const empty = call('gte', [size, literal(90, BIGINT)], BOOLEAN);
    const rows = estimateCardinality(scan(stats, 'p', [0, 1, 2], [empty, below])).rows;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(500);
  });

  it('does not take the min/max of a sample as hard bounds, nor as a bound of distinct values', () => {
    const exact: TableRef = { ...part, statistics: { columns: { p_size: { min: 1, max: 50 } } } };
    const sampled: TableRef = {
      ...part,
      statistics: { columns: { p_size: { min: 1, max: 50, sampled: true, distinctCount: 40 } } },
    };
    const beyond = call('gt', [column(2, 'p_size', BIGINT), literal(60, BIGINT)], BOOLEAN);
    expect(estimateCardinality(scan(exact, 'p', [0, 1, 2], [beyond])).rows).toBe(0);
    const rows = estimateCardinality(scan(sampled, 'p', [0, 1, 2], [beyond])).rows;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(200_000 / 80);
    const groups = (t: TableRef) =>
      estimateCardinality(aggregate(scan(t, 'p'), [column(2, 'p_size', BIGINT)], [], ['p_size'])).rows;
    expect(groups(exact)).toBe(50);
    // The sample's distinct estimate, not its range width, counts the groups.
    expect(groups(sampled)).toBe(40);
    const wide: TableRef = {
      ...part,
      statistics: { columns: { p_size: { min: 1, max: 10, sampled: true, distinctCount: 5000 } } },
    };
    expect(groups(wide)).toBe(5000);
  });

  it('estimates IS NULL from null counts', () => {
    const stats: TableRef = {
      ...part,
      statistics: { rowCount: 1000, columns: { p_brand: { nullCount: 250 } } },
    };
    const isNull = (negated: boolean): Expr => ({
      kind: 'is-null',
      expr: column(1, 'p_brand', VARCHAR),
      negated,
      type: BOOLEAN,
    });
    expect(estimateCardinality(filter(scan(stats, 'p'), isNull(false))).rows).toBeCloseTo(250);
    expect(estimateCardinality(filter(scan(stats, 'p'), isNull(true))).rows).toBeCloseTo(750);
  });

  it('estimates key–foreign-key joins as the referencing side filtered by the key side', () => {
    // lineitem ⋈ part on l_partkey = p_partkey, part filtered to a tenth: a tenth of lineitem.
    const brand = eq(column(1, 'p_brand', VARCHAR), literal('Brand#1', VARCHAR));
    const filtered = scan(part, 'p', [0, 1, 2], [brand]);
    const j = join(
      'inner',
      scan(lineitem, 'l'),
      filtered,
      eq(column(1, 'l_partkey', BIGINT), column(5, 'p_partkey', BIGINT)),
    );
    expect(estimateCardinality(j).rows).toBeCloseTo(600_000);
    expect(
      estimateCardinality(join('cross', scan(part, 'p'), scan(withRows(NATION, 25), 'n'), null)).rows,
    ).toBe(5_000_000);
  });

  it('estimates a join whose condition compares expressions over both sides without estimating itself', () => {
    // r1.n_nationkey + r2.n_nationkey = 4: no key column on either side alone.
    const nation = withRows(NATION, 25);
    const sum = call('add', [column(0, 'n_nationkey', BIGINT), column(4, 'n_nationkey', BIGINT)], BIGINT);
    const condition = eq(sum, literal(4, BIGINT));
    for (const kind of ['cross', 'inner'] as const) {
      const { rows } = estimateCardinality(join(kind, scan(nation, 'a'), scan(nation, 'b'), condition));
      expect(rows).toBeGreaterThan(0);
      expect(rows).toBeLessThanOrEqual(625);
    }
  });

  it('bounds the distinct combinations of several keys by the rows', () => {
    expect(
      equiJoinRows(800_000, 6_000_000, [
        { left: { ndv: 800_000 }, right: { ndv: 6_000_000 } },
        { left: { ndv: 800_000 }, right: { ndv: 6_000_000 } },
      ]),
    ).toBeCloseTo(800_000);
    expect(equiJoinRows(100, 200, [])).toBe(20_000);
  });
});
