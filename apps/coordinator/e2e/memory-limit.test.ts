import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './cluster-harness.ts';
import { DuckDbOracle, compareResults, type TypeAllowance } from '@tributary/common/testing';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

const sf01 = path.join(tpchRoot, 'sf0.1', 'parquet');

/** Spilled bytes EXPLAIN ANALYZE reports over all tasks. */
function spilled(plan: string): number {
  return [...plan.matchAll(/spilled (\d+) bytes/g)].reduce((n, m) => n + Number(m[1]), 0);
}

/** Queries whose sorts, aggregations and joins need far more than an 8 MB budget a query and executor. */
const SPILLING: { name: string; sql: string; typeAllowances?: TypeAllowance[] }[] = [
  {
    name: 'a sort of every lineitem row by a text column',
    sql: `SELECT count(*) AS n, min(l_comment) AS first, sum(l_orderkey) AS keys FROM (
            SELECT l_orderkey, l_linenumber, l_comment, l_shipinstruct, l_shipmode FROM big.lineitem
            ORDER BY l_comment DESC, l_orderkey, l_linenumber LIMIT 300000 OFFSET 100) t`,
  },
  {
    name: 'an aggregation with one group per order',
    sql: `SELECT l_orderkey, count(*) AS n, sum(l_quantity) AS q, max(l_comment) AS c
          FROM big.lineitem GROUP BY l_orderkey ORDER BY q DESC, l_orderkey LIMIT 50`,
  },
  {
    name: 'a self-join of lineitem shuffled by key',
    sql: `SELECT a.l_returnflag, count(*) AS n, max(b.l_comment) AS c
          FROM big.lineitem a JOIN big.lineitem b ON a.l_orderkey = b.l_orderkey GROUP BY 1 ORDER BY 1`,
  },
];

describe('memory budgets', () => {
  let service: TributaryProcess | undefined;
  let oracle: DuckDbOracle | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    service = await startTributary({
      executors: 2,
      env: { TRIBUTARY_QUERY_MEMORY_LIMIT_MB: '8', TRIBUTARY_BROADCAST_ROW_LIMIT: '0' },
    });
    await client.addSource({ name: 'big', type: 'parquet', path: sf01 });
    oracle = await DuckDbOracle.open([{ schema: 'big', format: 'parquet', folder: sf01 }]);
  });

  afterAll(async () => {
    oracle?.close();
    await service?.dispose();
  });

  for (const q of SPILLING) {
    it(`spills and answers right: ${q.name}`, async () => {
      const actual = await client.sql(q.sql, 120_000);
      const expected = await oracle!.query(q.sql);
      expect(compareResults(actual, expected, { ordered: true, typeAllowances: q.typeAllowances })).toEqual(
        [],
      );
      const plan = String((await client.sql(`EXPLAIN ANALYZE ${q.sql}`, 120_000)).rows[0][0]);
      expect(spilled(plan), plan).toBeGreaterThan(0);
    });
  }

  it('leaves no spill or exchange file behind once the queries ended', async () => {
    const root = path.join(service!.dataDir, 'executors');
    const files = () => {
      const found: string[] = [];
      const walk = (dir: string) => {
        // A folder may be going away while we look: that is the cleanup being watched.
        const entries = existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [];
        for (const entry of entries) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else found.push(full);
        }
      };
      try {
        walk(root);
      } catch {
        return [path.join(root, '(changing)')];
      }
      return found;
    };
    // Executors drop a query's files when the coordinator tells them it ended, just after its answer.
    await waitFor('no file left', () => files().length === 0, 10_000).catch(() => undefined);
    expect(files()).toEqual([]);
  });
});

describe('a memory budget too small to work in', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    // 1 MB for the whole executor: sorts, aggregations, joins and exchanges spill or write as
    // they go, but a window holds its partition whole, and one of all lineitem cannot fit.
    service = await startTributary({
      executors: 2,
      env: { TRIBUTARY_MEMORY_LIMIT_MB: '1', TRIBUTARY_BROADCAST_ROW_LIMIT: '0' },
    });
    await client.addSource({ name: 'big', type: 'parquet', path: sf01 });
  });

  afterAll(async () => {
    await service?.dispose();
  });

  it('fails with QUERY_MEMORY_EXCEEDED naming the limit, then answers other queries', async () => {
    const answer = await client.sqlAnswer(
      'SELECT max(r) AS r FROM (SELECT row_number() OVER (ORDER BY l_comment) AS r FROM big.lineitem) t',
      120_000,
    );
    const body = expectErrorBody(answer, 503);
    expect(body.code).toBe('QUERY_MEMORY_EXCEEDED');
    expect(body.message).toMatch(/memory limit of 1(\.0)? MB/);
    const after = await client.sql('SELECT count(*) AS n FROM big.region');
    expect(after.rows).toEqual([['5']]);
  });
});
