import { compareResults, DuckDbOracle, tributaryTypeName } from '@tributary/common/testing';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { forSource, hasOrderBy } from './sql-cases.ts';
import { TributaryClient, type SqlResult } from './tributary-client.ts';
import { ERROR_CODES, TYPE_CASES, type TypeCase } from './type-cases.ts';

const parquet = path.join(tpchRoot, 'sf0.01', 'parquet');
const SOURCE = 'tpq';

let oracle: DuckDbOracle;

beforeAll(async () => {
  oracle = await DuckDbOracle.open([{ schema: SOURCE, format: 'parquet', folder: parquet }]);
});

afterAll(() => {
  oracle?.close();
});

/** How DuckDB fails on `sql`: its error class ("Out of Range Error"), or undefined when it answers. */
async function duckDbError(sql: string): Promise<string | undefined> {
  try {
    await oracle.query(sql);
    return undefined;
  } catch (error) {
    return /^([A-Za-z ]+ Error)/.exec((error as Error).message)?.[1] ?? (error as Error).message;
  }
}

/** The JSON encoding of /api/v1/sql depends on a column's type alone. */
function expectOneEncodingPerType(result: SqlResult): void {
  result.columns.forEach((column, i) => {
    for (const row of result.rows) {
      const value = row[i];
      if (value === null) continue;
      const where = `${column.name} ${column.type} = ${JSON.stringify(value)}`;
      if (/^(BIGINT|HUGEINT|DECIMAL)/.test(column.type)) {
        expect(typeof value, where).toBe('string');
        expect(value as string, where).toMatch(/^-?\d+(\.\d+)?$/);
      } else if (column.type === 'INTEGER') expect(Number.isInteger(value), where).toBe(true);
      else if (column.type === 'DOUBLE')
        expect(
          typeof value === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(value as string),
          where,
        ).toBe(true);
      else if (column.type === 'BOOLEAN') expect(typeof value, where).toBe('boolean');
      else expect(typeof value, where).toBe('string');
    }
  });
}

/**
 * Two executors with every join shuffled (broadcast limit 0), so that partial and final sums
 * of HUGEINT and wide DECIMAL cross a shuffle; the file stays under a minute on a loaded
 * two-core machine (TYPES_ALL_CLUSTERS=1 adds a single executor).
 */
const CLUSTERS = [
  { executors: 2, broadcastRowLimit: 0 },
  ...(process.env.TYPES_ALL_CLUSTERS === '1' ? [{ executors: 1, broadcastRowLimit: 100_000 }] : []),
];

describe('the type cases cover every item', () => {
  it('has at least 60 queries', () => {
    expect(TYPE_CASES.length).toBeGreaterThanOrEqual(60);
    expect(TYPE_CASES.filter((c) => c.error).length).toBeGreaterThanOrEqual(10);
  });
});

for (const cluster of CLUSTERS)
  describe(`exact numbers and types like DuckDB, ${cluster.executors} executor(s), broadcast up to ${cluster.broadcastRowLimit} rows`, () => {
    let service: TributaryProcess | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

    beforeAll(async () => {
      service = await startTributary({
        executors: cluster.executors,
        env: { TRIBUTARY_BROADCAST_ROW_LIMIT: String(cluster.broadcastRowLimit) },
      });
      await client.addSource({ name: SOURCE, type: 'parquet', path: parquet });
    });

    afterAll(async () => {
      await service?.dispose();
    });

    async function check(c: TypeCase): Promise<void> {
      const sql = forSource(c.sql, SOURCE);
      if (c.error) {
        expect(await duckDbError(sql), `DuckDB should fail: ${sql}`).toBe(c.error);
        const answer = await client.sqlAnswer(sql);
        expect(answer.status, `Tributary should fail: ${sql}\n${answer.text.slice(0, 500)}`).not.toBe(200);
        expect(ERROR_CODES[c.error], `${answer.text.slice(0, 500)}`).toContain(answer.body.code);
        return;
      }
      const actual = await client.sql(sql);
      const expected = await oracle.query(sql);
      expect(
        actual.columns.map((col) => `${col.name} ${col.type}`),
        sql,
      ).toEqual(expected.columns.map((col) => `${col.name} ${tributaryTypeName(col.type)}`));
      expectOneEncodingPerType(actual);
      const problems = compareResults(actual, expected, { ordered: hasOrderBy(sql), orderKeys: c.orderKeys });
      expect(problems, sql).toEqual([]);
    }

    for (const c of TYPE_CASES) it(c.name, () => check(c));
  });
