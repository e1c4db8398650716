import { type ComparableResult, compareResults, DuckDbOracle } from '@tributary/common/testing';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { SETOP_CASES } from './setop-cases.ts';
import { forSource, hasOrderBy, type SqlCase } from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';

const sf001 = path.join(tpchRoot, 'sf0.01');

const SOURCES = [
  { name: 'tcsv', type: 'csv', format: 'csv', folder: path.join(sf001, 'csv') },
  { name: 'tpq', type: 'parquet', format: 'parquet', folder: path.join(sf001, 'parquet') },
] as const;

/**
 * Two executors with every join and union shuffled (no broadcast), so set operations and
 * grouping sets run spread over tasks; and one executor, where every stage has one home.
 */
const CLUSTERS = [
  { executors: 2, broadcastRowLimit: 0 },
  { executors: 1, broadcastRowLimit: 100_000 },
];

let oracle: DuckDbOracle;
/** DuckDB's answers, computed once for both clusters. */
const expectedBySql = new Map<string, Promise<ComparableResult>>();

function expectedFor(sql: string): Promise<ComparableResult> {
  let answer = expectedBySql.get(sql);
  if (!answer) {
    answer = oracle.query(sql);
    expectedBySql.set(sql, answer);
  }
  return answer;
}

beforeAll(async () => {
  oracle = await DuckDbOracle.open(
    SOURCES.map((s) => ({ schema: s.name, format: s.format, folder: s.folder })),
  );
});

afterAll(() => {
  oracle?.close();
});

for (const cluster of CLUSTERS)
  describe(`set operations and grouping sets like DuckDB on ${cluster.executors} executor(s), broadcast up to ${cluster.broadcastRowLimit} rows`, () => {
    let service: TributaryProcess | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

    beforeAll(async () => {
      service = await startTributary({
        executors: cluster.executors,
        env: {
          TRIBUTARY_EXECUTOR_THREADS: '1',
          TRIBUTARY_BROADCAST_ROW_LIMIT: String(cluster.broadcastRowLimit),
        },
      });
      for (const s of SOURCES) await client.addSource({ name: s.name, type: s.type, path: s.folder });
    });

    afterAll(async () => {
      await service?.dispose();
    });

    async function check(c: SqlCase, sql: string): Promise<void> {
      const actual = await client.sql(sql);
      const expected = await expectedFor(sql);
      // Names, types (CSV money is DOUBLE to both readers) and values.
      const problems = compareResults(actual, expected, {
        ordered: hasOrderBy(sql),
        orderKeys: c.orderKeys,
      });
      expect(problems, sql).toEqual([]);
    }

    for (const s of SOURCES)
      // Concurrent: each query waits on its stages more than it computes.
      describe.concurrent(`source ${s.name}`, () => {
        for (const c of SETOP_CASES) it(c.name, () => check(c, forSource(c.sql, s.name)));
      });

    it('refuses set operations whose sides have different column counts, at the operator', async () => {
      const answer = await client.sqlAnswer(
        'SELECT n_name, n_regionkey FROM tpq.nation\nUNION ALL SELECT r_name FROM tpq.region',
      );
      const body = expectErrorBody(answer, 400, 'SET_OPERATION_COLUMN_COUNT');
      expect([body.line, body.column]).toEqual([2, 1]);
    });
  });
