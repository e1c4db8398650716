import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { LIST_CASES } from './list-cases.ts';
import { forSource, hasOrderBy } from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';

const folder = path.join(tpchRoot, 'sf0.01', 'parquet');

/** One executor with every join shuffled, and two where small sides are broadcast. */
const CLUSTERS = [
  { executors: 1, broadcastRowLimit: 0 },
  { executors: 2, broadcastRowLimit: 100_000 },
];

let oracle: DuckDbOracle;

beforeAll(async () => {
  oracle = await DuckDbOracle.open([{ schema: 'tpq', format: 'parquet', folder }]);
});

afterAll(() => oracle?.close());

for (const cluster of CLUSTERS)
  describe(`lists and table functions like DuckDB, ${cluster.executors} executor(s), broadcast up to ${cluster.broadcastRowLimit} rows`, () => {
    let service: TributaryProcess | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

    beforeAll(async () => {
      service = await startTributary({
        executors: cluster.executors,
        env: { TRIBUTARY_BROADCAST_ROW_LIMIT: String(cluster.broadcastRowLimit) },
      });
      await client.addSource({ name: 'tpq', type: 'parquet', path: folder });
    });

    afterAll(async () => {
      await service?.dispose();
    });

    for (const c of LIST_CASES)
      it(c.name, async () => {
        const sql = forSource(c.sql, 'tpq');
        const actual = await client.sql(sql);
        const expected = await oracle.query(sql);
        expect(
          compareResults(actual, expected, { ordered: hasOrderBy(sql), orderKeys: c.orderKeys }),
          sql,
        ).toEqual([]);
      });
  });
