import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

/**
 * Without ORDER BY, rows come in file order, as DuckDB returns them: `SELECT * … LIMIT n`
 * shows a file's first rows even when its splits run on different executors.
 */
describe('rows in file order', () => {
  let service: TributaryProcess | undefined;
  let oracle: DuckDbOracle | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    service = await startTributary({ executors: 2 });
    await client.addSource({ name: 'big', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') });
    await client.addSource({ name: 'small', type: 'csv', path: path.join(tpchRoot, 'sf0.01', 'csv') });
    oracle = await DuckDbOracle.open([
      {
        schema: 'big',
        format: 'parquet',
        folder: path.join(tpchRoot, 'sf0.1', 'parquet'),
        tables: ['lineitem', 'orders'],
      },
      { schema: 'small', format: 'csv', folder: path.join(tpchRoot, 'sf0.01', 'csv'), tables: ['lineitem'] },
    ]);
  });

  afterAll(async () => {
    oracle?.close();
    await service?.dispose();
  });

  const queries = [
    'SELECT * FROM big.lineitem LIMIT 5',
    'SELECT l_orderkey, l_linenumber FROM big.lineitem LIMIT 3 OFFSET 250000',
    'SELECT o_orderkey, o_orderdate FROM big.orders WHERE o_totalprice > 400000 LIMIT 7',
    'SELECT l_orderkey, l_comment FROM small.lineitem WHERE l_quantity = 1 LIMIT 10',
    'SELECT o_orderkey FROM big.orders WHERE o_orderkey % 1000 = 7',
  ];

  for (const sql of queries) {
    it(sql, async () => {
      const actual = await client.sql(sql);
      const expected = await oracle!.query(sql);
      expect(actual.rows.length).toBeGreaterThan(0);
      expect(compareResults(actual, expected, { ordered: true })).toEqual([]);
    });
  }
});
