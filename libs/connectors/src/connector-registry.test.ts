import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TableRef } from '@tributary/plan';
import { connectorFor } from './connector-registry.ts';
import type { ScanContext, ScanRequest } from './connector.ts';
import { collect, rowCount } from './test-support.ts';

const roots = ['/work/shared/data'];
const context: ScanContext = { roots };
const openFds = () => readdirSync('/proc/self/fd').length;

async function lineitem(type: 'csv' | 'parquet' | 'sqlite', path: string): Promise<TableRef> {
  const found = await connectorFor(type).discover(path, {}, { roots });
  const t = found.find((x) => x.name === 'lineitem')!;
  return {
    source: type,
    table: t.name,
    sourceType: type,
    columns: t.columns,
    location: t.location,
    rowCount: t.rowCount,
  };
}

const request: ScanRequest = { columns: [0, 15], filters: [], limit: null };

describe('connectors', () => {
  it('are found by source type', () => {
    expect(connectorFor('csv').type).toBe('csv');
    expect(connectorFor('parquet').type).toBe('parquet');
    expect(connectorFor('sqlite').type).toBe('sqlite');
    expect(() => connectorFor('excel' as never)).toThrow(
      expect.objectContaining({ code: 'SOURCE_TYPE_UNKNOWN' }),
    );
  });

  it('scan splits of one Parquet file concurrently', async () => {
    const t = await lineitem('parquet', '/work/shared/data/tpch/sf0.1/parquet/lineitem.parquet');
    const connector = connectorFor('parquet');
    const splits = await connector.planSplits(t, request, 8, context);
    const results = await Promise.all(splits.map((s) => collect(connector.scan(t, s, request, context))));
    expect(results.reduce((n, batches) => n + rowCount(batches), 0)).toBe(600_572);
  });

  it('release their files when a scan is abandoned after the first batch', async () => {
    const cases: ['csv' | 'parquet' | 'sqlite', string][] = [
      ['csv', '/work/shared/data/tpch/sf0.01/csv'],
      ['sqlite', '/work/shared/data/tpch/sf0.01/sqlite/tpch.db'],
      ['parquet', '/work/shared/data/tpch/sf0.1/parquet/lineitem.parquet'],
    ];
    for (const [type, path] of cases) {
      const t = await lineitem(type, path);
      const connector = connectorFor(type);
      const [split] = await connector.planSplits(t, request, 1, context);
      const before = openFds();
      let batches = 0;
      for await (const batch of connector.scan(t, split, { ...request, columns: [0] }, context)) {
        expect(batch.numRows).toBeGreaterThan(0);
        batches++;
        break;
      }
      expect(batches).toBe(1);
      // Parquet keeps one cached handle per file (its Blob), opened on first use.
      if (type !== 'parquet') expect(openFds()).toBe(before);
    }
  });

  it('stop when the signal aborts', async () => {
    const t = await lineitem('parquet', '/work/shared/data/tpch/sf0.1/parquet/lineitem.parquet');
    const connector = connectorFor('parquet');
    const controller = new AbortController();
    let batches = 0;
    for await (const _ of connector.scan(t, { info: {} }, request, { roots, signal: controller.signal })) {
      batches++;
      controller.abort();
    }
    expect(batches).toBe(1);
  });
});
