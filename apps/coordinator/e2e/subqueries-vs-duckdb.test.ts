import { type ComparableResult, compareResults, DuckDbOracle } from '@tributary/common/testing';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { forSource, hasOrderBy } from './sql-cases.ts';
import { SUBQUERY_CASES, type SubqueryCase } from './subquery-cases.ts';
import { TributaryClient } from './tributary-client.ts';

/** The same sf0.01 rows as CSV, as Parquet and as a SQLite file (`folder` is then the file). */
const SOURCES = [
  { name: 'tcsv', type: 'csv', folder: path.join(tpchRoot, 'sf0.01', 'csv'), format: 'csv' },
  { name: 'tpq', type: 'parquet', folder: path.join(tpchRoot, 'sf0.01', 'parquet'), format: 'parquet' },
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
  // Two executors with every join side shuffled, so mark and single joins run partitioned.
  service = await startTributary({ executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '0' } });
  for (const s of SOURCES) await client.addSource({ name: s.name, type: s.type, path: s.folder });
}, 120_000);

afterAll(async () => {
  await service?.dispose();
  oracle?.close();
});

async function duckdb(sql: string): Promise<ComparableResult> {
  return oracle.query(sql);
}

/** A case's answer on Tributary (through `on`) compared with DuckDB's: names, types, values. */
async function expectLikeDuckDb(on: TributaryClient, c: SubqueryCase, source: string): Promise<void> {
  const sql = forSource(c.sql, source);
  const actual = await on.sql(sql);
  // A form DuckDB refuses itself is compared with its equivalent that DuckDB answers.
  const expected = await duckdb(forSource(c.oracleSql ?? c.sql, source));
  // Names, types (CSV money is DOUBLE to both readers) and values.
  const problems = compareResults(actual, expected, { ordered: hasOrderBy(sql), orderKeys: c.orderKeys });
  expect(problems, sql).toEqual([]);
}

for (const source of SOURCES) {
  describe(`subqueries on ${source.name}`, () => {
    for (const c of SUBQUERY_CASES) it(c.name, () => expectLikeDuckDb(client, c, source.name));

    it('a scalar subquery of several rows fails with SUBQUERY_MULTIPLE_ROWS, uncorrelated or correlated', async () => {
      for (const sql of [
        `SELECT n_name, (SELECT r_name FROM ${source.name}.region) AS r FROM ${source.name}.nation`,
        `SELECT r_name, (SELECT n_name FROM ${source.name}.nation WHERE n_regionkey = r_regionkey) AS n FROM ${source.name}.region`,
      ]) {
        const answer = await client.sqlAnswer(sql);
        expect(answer.status, sql).toBe(400);
        expect(answer.body.code).toBe('SUBQUERY_MULTIPLE_ROWS');
      }
    });
  });
}

describe('subquery errors', () => {
  it('an unknown column inside a subquery is a BindError with its position and a suggestion', async () => {
    const answer = await client.sqlAnswer(
      'SELECT n_name FROM tpq.nation WHERE n_regionkey IN (SELECT r_regionky FROM tpq.region)',
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'COLUMN_NOT_FOUND', phase: 'bind', line: 1, column: 60 });
    expect(answer.body.message).toContain('did you mean "r_regionkey"');
  });

  it('a subquery of several columns where one value is needed is a typed error', async () => {
    const scalar = await client.sqlAnswer(
      'SELECT n_name FROM tpq.nation WHERE n_regionkey = (SELECT r_regionkey, r_name FROM tpq.region WHERE r_regionkey = n_regionkey)',
    );
    expect(scalar.status).toBe(400);
    expect(scalar.body).toMatchObject({ code: 'SUBQUERY_COLUMNS', phase: 'bind', line: 1, column: 51 });
    const inList = await client.sqlAnswer(
      'SELECT n_name FROM tpq.nation WHERE n_regionkey IN (SELECT r_regionkey, r_name FROM tpq.region)',
    );
    expect(inList.status).toBe(400);
    expect(inList.body.code).toBe('SUBQUERY_COLUMNS');
  });
});

/** One executor where small join sides are broadcast: the other way the same plans are cut. */
describe('subqueries on one executor with broadcast joins (Parquet)', () => {
  let single: TributaryProcess | undefined;
  const singleClient = new TributaryClient(() => single?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    single = await startTributary({ executors: 1 });
    await singleClient.addSource({ name: 'tpq', type: 'parquet', path: SOURCES[1].folder });
  }, 120_000);

  afterAll(async () => {
    await single?.dispose();
  });

  for (const c of SUBQUERY_CASES) it(c.name, () => expectLikeDuckDb(singleClient, c, 'tpq'));
});
