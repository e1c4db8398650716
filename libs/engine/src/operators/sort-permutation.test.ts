import { describe, expect, it } from 'vitest';
import { INTEGER, VARCHAR } from '@tributary/common';
import { seededRandom, testColumn, type TestValue } from './operator-test-support.ts';
import { RADIX_SORT_MIN_ROWS, sortPermutation, type SortOrder } from './sort-permutation.ts';

/** The stable order of rows by plain comparisons of JS values (ASCII strings compare as their bytes). */
function reference(columns: readonly TestValue[][], orders: readonly SortOrder[], rows: number): number[] {
  const compare = (a: TestValue, b: TestValue, order: SortOrder): number => {
    if (a === null || b === null) return a === b ? 0 : (a === null ? -1 : 1) * (order.nullsFirst ? 1 : -1);
    const c = a < b ? -1 : a > b ? 1 : 0;
    return order.ascending ? c : -c;
  };
  return Array.from({ length: rows }, (_, i) => i).sort((x, y) => {
    for (let k = 0; k < columns.length; k++) {
      const c = compare(columns[k][x], columns[k][y], orders[k]);
      if (c !== 0) return c;
    }
    return x - y;
  });
}

describe('sortPermutation', () => {
  const rows = 3 * RADIX_SORT_MIN_ROWS;
  const next = seededRandom(7);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  const brands = Array.from({ length: 25 }, (_, i) => `Brand#${i % 5}${Math.floor(i / 5)}`);
  const few: TestValue[] = Array.from({ length: rows }, () => (next() < 0.1 ? null : pick(brands)));
  const many: TestValue[] = Array.from({ length: rows }, (_, i) => `name ${(i * 7919) % rows}`);
  const counts: TestValue[] = Array.from({ length: rows }, () =>
    next() < 0.05 ? null : Math.floor(next() * 6),
  );
  const columns = {
    few: testColumn(VARCHAR, few),
    many: testColumn(VARCHAR, many),
    counts: testColumn(INTEGER, counts),
  };
  const values = { few, many, counts };
  const orderings: SortOrder[] = [
    { ascending: true, nullsFirst: false },
    { ascending: false, nullsFirst: false },
    { ascending: true, nullsFirst: true },
    { ascending: false, nullsFirst: true },
  ];

  for (const keys of [['few'], ['counts', 'few', 'many'], ['few', 'counts'], ['many', 'few']] as const) {
    it(`orders by ${keys.join(', ')} as plain comparisons do, strings of few values ranked and radix-sorted`, () => {
      for (const order of orderings) {
        const orders = keys.map((_, i) => (i === 0 ? order : orderings[(i + 1) % orderings.length]));
        const actual = sortPermutation(
          keys.map((k) => columns[k]),
          orders,
          rows,
        );
        expect([order, [...actual]]).toEqual([
          order,
          reference(
            keys.map((k) => values[k]),
            orders,
            rows,
          ),
        ]);
      }
    });
  }
});
