import { compareResults, DuckDbOracle } from '@tributary/common/testing';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { forSource } from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';
import { WINDOW_CASES } from './window-cases.ts';

const sf001 = path.join(tpchRoot, 'sf0.01');
/** SF 0.1 Parquet: several row groups a table, so splits spread over executors before the shuffle. */
const SF01_PARQUET = path.join(tpchRoot, 'sf0.1', 'parquet');

const SOURCES = [
  { name: 'wpq', type: 'parquet', format: 'parquet', path: path.join(sf001, 'parquet') },
  { name: 'wcsv', type: 'csv', format: 'csv', path: path.join(sf001, 'csv') },
] as const;

/** DuckDB's answer over the same files, memoized: both clusters ask for most of them. */
const expectedResults = new Map<string, Promise<Awaited<ReturnType<DuckDbOracle['query']>>>>();
function expectedFor(sql: string): ReturnType<DuckDbOracle['query']> {
  let result = expectedResults.get(sql);
  if (!result) {
    result = oracle.query(sql);
    expectedResults.set(sql, result);
  }
  return result;
}

let oracle: DuckDbOracle;

beforeAll(async () => {
  oracle = await DuckDbOracle.open([
    ...SOURCES.map((s) => ({ schema: s.name, format: s.format, folder: s.path })),
    { schema: 'wpq1', format: 'parquet', folder: SF01_PARQUET },
  ]);
});

afterAll(() => {
  oracle?.close();
});

describe('the DuckDB oracle agrees with itself on the window queries across file formats', () => {
  // Guards the query set: an answer that hangs on how ties happen to be ordered would differ here.
  it('gives the same answers from CSV and Parquet', async () => {
    const problems: string[] = [];
    for (const c of WINDOW_CASES) {
      const fromCsv = await oracle.query(forSource(c.sql, 'wcsv'));
      const fromParquet = await oracle.query(forSource(c.sql, 'wpq'));
      if (fromParquet.rows.length === 0) problems.push(`${c.name}: no rows`);
      for (const p of compareResults(fromCsv, fromParquet, {
        ordered: true,
        tolerantNumbers: true,
        compareTypes: false,
      }))
        problems.push(`${c.name}: ${p}`);
    }
    expect(problems).toEqual([]);
  });
});

/**
 * A 2-executor cluster that shuffles every join and a single executor, both over Parquet;
 * over CSV every third case runs on the 2-executor cluster (what differs there is only the
 * reader, and the file must stay within a minute).
 */
const CLUSTERS = [
  { executors: 2, broadcastRowLimit: 0, sources: ['wpq', 'wcsv'] },
  { executors: 1, broadcastRowLimit: 100_000, sources: ['wpq'] },
];
const casesFor = (source: string) =>
  source === 'wcsv' ? WINDOW_CASES.filter((_, i) => i % 3 === 0) : WINDOW_CASES;

for (const cluster of CLUSTERS)
  describe(`window functions like DuckDB on ${cluster.executors} executor(s), broadcast up to ${cluster.broadcastRowLimit} rows`, () => {
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
      for (const s of SOURCES.filter((x) => cluster.sources.includes(x.name)))
        await client.addSource({ name: s.name, type: s.type, path: s.path });
    });

    afterAll(async () => {
      await service?.dispose();
    });

    if (cluster.executors > 1)
      describe('source wpq1 (parquet SF 0.1)', () => {
        beforeAll(async () => {
          await client.addSource({ name: 'wpq1', type: 'parquet', path: SF01_PARQUET });
        });
        for (const c of WINDOW_CASES.filter((x) => x.scaleOut))
          it(c.name, async () => {
            const sql = forSource(c.sql, 'wpq1');
            const actual = await client.sql(sql);
            const expected = await oracle.query(sql);
            expect(actual.columns.map((col) => col.name)).toEqual(expected.columns.map((col) => col.name));
            expect(compareResults(actual, expected, { ordered: true }), sql).toEqual([]);
          });
      });

    for (const s of SOURCES.filter((x) => cluster.sources.includes(x.name)))
      describe(`source ${s.name} (${s.type})`, () => {
        for (const c of casesFor(s.name))
          it(c.name, async () => {
            const sql = forSource(c.sql, s.name);
            const actual = await client.sql(sql);
            const expected = await expectedFor(sql);
            expect(actual.rowCount).toBe(actual.rows.length);
            // Every query orders its output totally; names, types and values as DuckDB's over
            // the same files (CSV money is DOUBLE to both readers, Parquet money DECIMAL).
            expect(compareResults(actual, expected, { ordered: true }), sql).toEqual([]);
          });
      });
  });
