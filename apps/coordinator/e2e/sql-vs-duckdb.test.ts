import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults, type OracleSchema } from '@tributary/common/testing';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import {
  CORE_CASES,
  CROSS_SOURCE_CASES,
  SQL_CASES,
  forSource,
  hasOrderBy,
  type SqlCase,
} from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';

const sf001 = path.join(tpchRoot, 'sf0.01');

/** The three registrations of the same TPC-H data, and what DuckDB reads for each. */
const SOURCES: { name: string; type: string; path: string; oracle: OracleSchema }[] = [
  {
    name: 'tcsv',
    type: 'csv',
    path: path.join(sf001, 'csv'),
    oracle: { schema: 'tcsv', format: 'csv', folder: path.join(sf001, 'csv') },
  },
  {
    name: 'tpq',
    type: 'parquet',
    path: path.join(sf001, 'parquet'),
    oracle: { schema: 'tpq', format: 'parquet', folder: path.join(sf001, 'parquet') },
  },
  // The SQLite file's own rows, typed as DuckDB's sqlite scanner types them (loadSqliteTables).
  {
    name: 'tsql',
    type: 'sqlite',
    path: path.join(sf001, 'sqlite', 'tpch.db'),
    oracle: { schema: 'tsql', format: 'sqlite', file: path.join(sf001, 'sqlite', 'tpch.db') },
  },
];

let oracle: DuckDbOracle;

beforeAll(async () => {
  oracle = await DuckDbOracle.open([
    ...SOURCES.map((s) => s.oracle),
    { schema: 'tpq1', format: 'parquet', folder: path.join(tpchRoot, 'sf0.1', 'parquet') },
  ]);
});

afterAll(() => {
  oracle?.close();
});

describe('the DuckDB oracle agrees with itself across file formats', () => {
  // Guards the query set: a query whose answer depends on row order or format would make Tributary look wrong.
  for (const c of SQL_CASES) {
    it(c.name, async () => {
      const fromCsv = await oracle.query(forSource(c.sql, 'tcsv'));
      const fromParquet = await oracle.query(forSource(c.sql, 'tpq'));
      expect(fromParquet.rows.length, 'the query should return rows').toBeGreaterThan(0);
      const problems = compareResults(fromCsv, fromParquet, {
        ordered: hasOrderBy(c.sql),
        orderKeys: c.orderKeys,
        tolerantNumbers: true,
        // DuckDB against itself: CSV money is DOUBLE, Parquet money DECIMAL, so only the
        // values can agree here; every Tributary comparison below checks types strictly.
        compareTypes: false,
      });
      expect(problems).toEqual([]);
    });
  }
});

/**
 * The cluster shapes the corpus runs on: one executor or several, one thread or two, and
 * join sides broadcast (default limit), always shuffled (limit 0) or a mix, so that every
 * way a plan is cut gives DuckDB's answer. The last has scan pushdown switched off
 * (connectors read whole tables, the engine filters): pushdown must change no answer.
 */
const CLUSTERS = [
  { executors: 2, threads: 1, broadcastRowLimit: 100_000, fullCorpus: false, scanPushdown: true },
  { executors: 1, threads: 1, broadcastRowLimit: 0, fullCorpus: true, scanPushdown: true },
  { executors: 4, threads: 1, broadcastRowLimit: 1_000, fullCorpus: true, scanPushdown: true },
  { executors: 2, threads: 2, broadcastRowLimit: 0, fullCorpus: false, scanPushdown: true },
  { executors: 2, threads: 1, broadcastRowLimit: 100_000, fullCorpus: true, scanPushdown: false },
];

/**
 * CI time: the core cases run on all four shapes, the join and predicate cases (whose
 * operators the core cases already cut every way) on two: one executor with every join
 * shuffled, and four executors where small sides are broadcast and large ones shuffled.
 */
function casesFor(cluster: (typeof CLUSTERS)[number]): SqlCase[] {
  return cluster.fullCorpus ? SQL_CASES : CORE_CASES;
}

for (const cluster of CLUSTERS)
  describe(`Tributary answers like DuckDB with ${cluster.executors} executor(s) × ${cluster.threads} thread(s), broadcast up to ${cluster.broadcastRowLimit} rows${cluster.scanPushdown ? '' : ', scan pushdown off'}`, () => {
    let service: TributaryProcess | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

    beforeAll(async () => {
      service = await startTributary({
        executors: cluster.executors,
        env: {
          TRIBUTARY_EXECUTOR_THREADS: String(cluster.threads),
          TRIBUTARY_BROADCAST_ROW_LIMIT: String(cluster.broadcastRowLimit),
          TRIBUTARY_SCAN_PUSHDOWN: String(cluster.scanPushdown),
        },
      });
      for (const s of SOURCES) {
        const info = await client.addSource({ name: s.name, type: s.type, path: s.path });
        expect(info.name).toBe(s.name);
        expect(info.tables.map((t) => t.name).sort()).toEqual(
          expect.arrayContaining([
            'customer',
            'lineitem',
            'nation',
            'orders',
            'part',
            'partsupp',
            'region',
            'supplier',
          ]),
        );
      }
    });

    afterAll(async () => {
      await service?.dispose();
    });

    async function check(c: SqlCase, sql: string): Promise<void> {
      const actual = await client.sql(sql);
      expect(actual.rowCount, 'rowCount').toBe(actual.rows.length);
      const expected = await oracle.query(sql);
      const problems = compareResults(actual, expected, {
        ordered: hasOrderBy(sql),
        orderKeys: c.orderKeys,
        typeAllowances: c.typeAllowances,
      });
      expect(problems, sql).toEqual([]);
    }

    for (const s of SOURCES) {
      describe(`source ${s.name} (${s.type})`, () => {
        for (const c of casesFor(cluster)) {
          // CSV money is DOUBLE to both (read_csv's inference), DECIMAL in Parquet and SQLite.
          it(c.name, () => check(c, forSource(c.sql, s.name)));
        }
      });
    }

    describe('source tpq1 (parquet SF 0.1, several row groups a table)', () => {
      beforeAll(async () => {
        await client.addSource({
          name: 'tpq1',
          type: 'parquet',
          path: path.join(tpchRoot, 'sf0.1', 'parquet'),
        });
      });
      for (const c of casesFor(cluster).filter((x) => x.scaleOut)) {
        it(c.name, () => check(c, forSource(c.sql, 'tpq1')));
      }
    });

    if (!cluster.scanPushdown)
      it('pushes nothing into scans, and a query may switch pushdown back on', async () => {
        const sql = `EXPLAIN SELECT o_orderkey FROM tpq.orders WHERE o_totalprice > 1000 LIMIT 3`;
        const off = String((await client.sql(sql)).rows[0][0]);
        expect(off).toMatch(/Filter/);
        const scans = off.split('\n').filter((line) => line.includes('Scan '));
        expect(scans.length).toBeGreaterThan(0);
        for (const line of scans) expect(line).not.toMatch(/filters=|limit=/);
        const on = await client.request<{ rows: unknown[][] }>('POST', '/api/v1/sql', {
          sql,
          options: { scanPushdown: true },
        });
        expect(String(on.body.rows[0][0])).toMatch(/filters=\[\(o_totalprice/);
      });

    describe('across sources', () => {
      for (const c of CROSS_SOURCE_CASES) {
        it(c.name, () => check(c, c.sql));
      }
    });
  });
