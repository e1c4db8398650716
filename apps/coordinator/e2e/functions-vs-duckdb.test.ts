import { compareResults, DuckDbOracle } from '@tributary/common/testing';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_CASES } from './function-cases.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { forSource, hasOrderBy, type SqlCase } from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';

const sf001 = path.join(tpchRoot, 'sf0.01');

const SOURCES = [
  { name: 'fpq', type: 'parquet', format: 'parquet', folder: path.join(sf001, 'parquet') },
  { name: 'fcsv', type: 'csv', format: 'csv', folder: path.join(sf001, 'csv') },
] as const;

let oracle: DuckDbOracle;
let service: TributaryProcess | undefined;
const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

beforeAll(async () => {
  [oracle, service] = await Promise.all([
    // Each source as DuckDB reads it: its CSV sniffer types columns as Tributary's CSV reader does.
    DuckDbOracle.open(SOURCES.map((s) => ({ schema: s.name, format: s.format, folder: s.folder }))),
    // No broadcast: every join and aggregate goes through a hash shuffle between the executors.
    startTributary({ executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '0' } }),
  ]);
  for (const s of SOURCES) await client.addSource({ name: s.name, type: s.type, path: s.folder });
}, 60_000);

afterAll(async () => {
  await service?.dispose();
  oracle?.close();
});

async function check(c: SqlCase, sql: string): Promise<void> {
  const expected = await oracle.query(sql);
  const actual = await client.sql(sql);
  expect(
    actual.columns.map((col) => `${col.name} ${col.type}`),
    `${c.name}: column names and types`,
  ).toEqual(expected.columns.map((col) => `${col.name} ${col.type}`));
  const problems = compareResults(actual, expected, { ordered: hasOrderBy(sql), orderKeys: c.orderKeys });
  expect(problems, sql).toEqual([]);
}

describe('SQL functions agree with DuckDB on 2 executors, every aggregate and join shuffled', () => {
  it('has at least a hundred cases', () => {
    expect(FUNCTION_CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(FUNCTION_CASES.map((c) => c.name)).size).toBe(FUNCTION_CASES.length);
  });
  for (const s of SOURCES) {
    describe(`source ${s.name} (${s.type})`, () => {
      // Several queries at once: the cluster and the oracle answer in parallel, so the file stays quick.
      for (const c of FUNCTION_CASES) it.concurrent(c.name, () => check(c, forSource(c.sql, s.name)));
    });
  }
});
