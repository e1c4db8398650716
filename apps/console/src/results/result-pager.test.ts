import { describe, expect, it } from 'vitest';
import { ResultPager, type FetchPage } from './result-pager.ts';

/** A fake of the results route over `total` rows [i, 'r' + i], recording what was asked. */
function rowsRoute(total: number) {
  const asked: [number, number][] = [];
  const fetchPage: FetchPage = async (offset, limit) => {
    asked.push([offset, limit]);
    await new Promise((r) => setTimeout(r, 1));
    const rows = [];
    for (let i = offset; i < Math.min(total, offset + limit); i++) rows.push([i, `r${i}`]);
    return {
      columns: [
        { name: 'i', type: 'BIGINT' },
        { name: 's', type: 'VARCHAR' },
      ],
      rows,
      totalRows: total,
    };
  };
  return { asked, fetchPage };
}

describe('ResultPager', () => {
  it('reads the columns and row count from the first page', async () => {
    const route = rowsRoute(1234);
    const pager = new ResultPager(route.fetchPage, 100);
    await pager.open();
    expect(pager.totalRows).toBe(1234);
    expect(pager.columns.map((c) => c.name)).toEqual(['i', 's']);
    expect(pager.row(99)).toEqual([99, 'r99']);
    expect(pager.row(100)).toBeUndefined();
  });

  it('fetches the pages that hold a range of rows, each once', async () => {
    const route = rowsRoute(1_000_000);
    const pager = new ResultPager(route.fetchPage, 100);
    await pager.open();
    await Promise.all([pager.ensure(500_050, 500_250), pager.ensure(500_050, 500_250)]);
    expect(route.asked.slice(1)).toEqual([
      [500_000, 100],
      [500_100, 100],
      [500_200, 100],
    ]);
    expect(pager.row(500_123)).toEqual([500_123, 'r500123']);
    expect(pager.row(999_999)).toBeUndefined();
  });

  it('keeps only the pages nearest to what is in view', async () => {
    const route = rowsRoute(1_000_000);
    const pager = new ResultPager(route.fetchPage, 100, 6);
    await pager.open();
    for (let first = 0; first < 5000; first += 100) await pager.ensure(first, first + 150);
    expect(pager.loadedPages().length).toBeLessThanOrEqual(6);
    expect(pager.loadedPages()).toContain(49);
    expect(pager.row(0)).toBeUndefined();
    expect(pager.row(4999)).toEqual([4999, 'r4999']);
  });

  it('does not fetch past the last row', async () => {
    const route = rowsRoute(250);
    const pager = new ResultPager(route.fetchPage, 100);
    await pager.open();
    await pager.ensure(0, 1000);
    expect(route.asked).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
    ]);
    expect(pager.row(249)).toEqual([249, 'r249']);
  });
});
