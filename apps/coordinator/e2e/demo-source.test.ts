import { compareResults, DuckDbOracle, TPCH_TABLES } from '@tributary/common/testing';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTributary, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

/**
 * The demo source as `npm start` registers it on first start: TPC-H SF 0.01 as CSV from the
 * project's generator, in the data dir. The README's demo queries run on it and agree with
 * DuckDB over the same files.
 */
let service: TributaryProcess;
let client: TributaryClient;
let oracle: DuckDbOracle;

/** The README's examples over the demo source (keep them in step with README.md). */
const README_QUERIES = [
  {
    sql: 'SELECT o_orderstatus, count(*) AS n, sum(o_totalprice) AS revenue FROM demo.orders GROUP BY o_orderstatus ORDER BY 1',
  },
  {
    sql: 'SELECT n_name, count(*) AS customers FROM customer JOIN nation ON c_nationkey = n_nationkey GROUP BY n_name ORDER BY customers DESC, n_name LIMIT 5',
    context: 'demo',
  },
];

beforeAll(async () => {
  service = await startTributary({ executors: 1, demo: true });
  client = new TributaryClient(() => service.url);
  // The demo source is written and registered just after the coordinator starts listening.
  const deadline = Date.now() + 60_000;
  while ((await client.request('GET', '/api/v1/sources/demo')).status !== 200) {
    if (Date.now() > deadline) throw new Error('the demo source was not registered within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  oracle = await DuckDbOracle.open([
    { schema: 'demo', format: 'csv', folder: path.join(service.dataDir, 'demo') },
  ]);
});

afterAll(async () => {
  oracle?.close();
  await service?.dispose();
});

describe('the demo source', () => {
  it('holds the eight TPC-H tables', async () => {
    const answer = await client.request<{ tables: { name: string }[] }>('GET', '/api/v1/sources/demo');
    expect(answer.body.tables.map((t) => t.name).sort()).toEqual([...TPCH_TABLES].sort());
    const count = await client.sql('SELECT count(*) AS n FROM demo.lineitem');
    // BIGINT values travel as exact strings in JSON (README: results).
    expect(count.rows).toEqual([['60175']]);
  });

  for (const query of README_QUERIES) {
    it(`answers the README's ${query.sql.slice(0, 40)}… as DuckDB does`, async () => {
      const answer = await client.request<Parameters<typeof compareResults>[0]>('POST', '/api/v1/sql', query);
      expect(answer.status, answer.text.slice(0, 300)).toBe(200);
      const expected = await oracle.query(
        query.context ? query.sql.replace(/\b(customer|nation)\b/g, 'demo.$1') : query.sql,
      );
      expect(expected.rows.length).toBeGreaterThan(0);
      expect(compareResults(answer.body, expected, { ordered: true })).toEqual([]);
    });
  }
});
