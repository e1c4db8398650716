import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '@tributary/catalog';
import { BIGINT, VARCHAR } from '@tributary/common';
import { connectorFor } from '@tributary/connectors';
import { planQuery } from './plan-query.ts';

const folder = '/work/shared/data/tpch/sf0.01/parquet';
const roots = ['/work/shared/data'];
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A catalog with the TPC-H Parquet source plus `filler` other tables in sources of 100. */
async function catalogWith(filler: number): Promise<CatalogStore> {
  const dir = mkdtempSync(join(tmpdir(), 'planning-cost-'));
  dirs.push(dir);
  const store = CatalogStore.open(join(dir, 'catalog.db'));
  const tpch = await connectorFor('parquet').discover(folder, {}, { roots });
  store.createSource(
    { name: 'tpq', type: 'parquet', path: folder, options: {} },
    tpch.map((t) => ({ name: t.name, columns: [...t.columns], location: { ...t.location } })),
  );
  const columns = [
    { name: 'id', type: BIGINT },
    { name: 'label', type: VARCHAR },
  ];
  for (let s = 0; s * 100 < filler; s++)
    store.createSource(
      { name: `filler${s}`, type: 'csv', path: `/nowhere/${s}`, options: {} },
      Array.from({ length: Math.min(100, filler - s * 100) }, (_, t) => ({
        name: `t${t}`,
        columns,
        location: { file: `/nowhere/${s}/t${t}.csv` },
      })),
    );
  return store;
}

const request = (sql: string) => ({ sql, partitions: 2, splitsPerThread: 1, broadcastRowLimit: 1000 });

/** Median planning time over `runs`, and the catalog rows the look-ups read per plan. */
async function measure(store: CatalogStore, sql: string, runs = 25) {
  // Warm: prepared statements, connectors, the JIT.
  for (let i = 0; i < 5; i++) await planQuery(request(sql), store, roots);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    store.lookup.rowsRead = 0;
    const t0 = performance.now();
    await planQuery(request(sql), store, roots);
    times.push(performance.now() - t0);
    rows = store.lookup.rowsRead;
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(runs / 2)], rows };
}

describe('planning cost against the size of the catalog', () => {
  it('reads the same few catalog rows with 681 and 12,000 registered tables', async () => {
    const figures: string[] = [];
    const rowsRead: number[][] = [];
    for (const filler of [681 - 8, 12_000 - 8]) {
      const store = await catalogWith(filler);
      const one = await measure(store, 'SELECT 1');
      const table = await measure(store, 'SELECT count(*) FROM tpq.orders WHERE o_totalprice > 1000');
      const joined = await measure(
        store,
        'SELECT n_name, count(*) FROM tpq.nation JOIN tpq.region ON n_regionkey = r_regionkey GROUP BY n_name',
      );
      rowsRead.push([one.rows, table.rows, joined.rows]);
      figures.push(
        `${filler + 8} tables: SELECT 1 ${one.ms.toFixed(1)} ms (${one.rows} rows read), ` +
          `one table ${table.ms.toFixed(1)} ms (${table.rows} rows), ` +
          `a join of two ${joined.ms.toFixed(1)} ms (${joined.rows} rows)`,
      );
      store.close();
    }
    process.stderr.write(`${figures.join('\n')}\n`);
    // SELECT 1 reads nothing; a qualified table name one row, whatever the catalog holds.
    expect(rowsRead).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
  }, 120_000);
});
