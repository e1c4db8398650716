import { type ComparableResult, compareResults, DuckDbOracle } from '@tributary/common/testing';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TPCH_QUERY_NUMBERS, tpchQuery } from '@tributary/tpch';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { hasOrderBy } from './sql-cases.ts';
import { TributaryClient, type SqlResult } from './tributary-client.ts';

/**
 * The 22 TPC-H queries, as the specification writes them with their validation parameters,
 * on Tributary and on DuckDB over the same files: values exactly (decimals to the digit,
 * doubles within a relative tolerance), column names and types. Table names are unqualified: each query runs with its source as
 * the default path (`context`), and DuckDB with that schema first on its search path.
 */
const SOURCES = [
  { name: 'tcsv', type: 'csv', folder: path.join(tpchRoot, 'sf0.01', 'csv'), format: 'csv' },
  { name: 'tpq', type: 'parquet', folder: path.join(tpchRoot, 'sf0.01', 'parquet'), format: 'parquet' },
  { name: 'tpq1', type: 'parquet', folder: path.join(tpchRoot, 'sf0.1', 'parquet'), format: 'parquet' },
  // The SQLite file's own rows (REAL money, so DOUBLE sums compared within a tolerance),
  // loaded into DuckDB with its sqlite scanner's types.
  {
    name: 'tsql',
    type: 'sqlite',
    folder: path.join(tpchRoot, 'sf0.01', 'sqlite', 'tpch.db'),
    format: 'sqlite',
  },
] as const;

let oracle: DuckDbOracle;
let service: TributaryProcess | undefined;
const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

beforeAll(async () => {
  oracle = await DuckDbOracle.open(
    SOURCES.map((s) =>
      s.format === 'sqlite'
        ? { schema: s.name, format: s.format, file: s.folder }
        : { schema: s.name, format: s.format, folder: s.folder },
    ),
  );
  // Two executors with every join side shuffled: the plans cut into the most stages.
  service = await startTributary({ executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '0' } });
  for (const s of SOURCES) await client.addSource({ name: s.name, type: s.type, path: s.folder });
}, 120_000);

afterAll(async () => {
  await service?.dispose();
  oracle?.close();
});

async function duckdb(sql: string, schema: string): Promise<ComparableResult> {
  await oracle.query(`SET schema = '${schema}'`);
  return oracle.query(sql);
}

async function tributary(sql: string, source: string): Promise<SqlResult> {
  const answer = await client.request<SqlResult>('POST', '/api/v1/sql', { sql, context: [source] });
  if (answer.status !== 200) throw new Error(`answered ${answer.status}: ${answer.text.slice(0, 2_000)}`);
  return answer.body;
}

for (const source of SOURCES) {
  describe(`TPC-H on ${source.name} (${source.folder.split(path.sep).slice(-2).join(' ')})`, () => {
    for (const n of TPCH_QUERY_NUMBERS) {
      it(`Q${n} gives DuckDB's answer`, async () => {
        const sql = tpchQuery(n);
        const actual = await tributary(sql, source.name);
        const expected = await duckdb(sql, source.name);
        expect(actual.rows.length, 'the query returns rows').toBeGreaterThan(0);
        // Names, types (CSV money is DOUBLE to both readers, so its sums compare within a
        // relative tolerance) and values.
        const problems = compareResults(actual, expected, { ordered: hasOrderBy(sql) });
        expect(problems, sql).toEqual([]);
      });
    }
  });
}
