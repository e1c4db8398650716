import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, DuckDbOracle } from '@tributary/common/testing';
import { tpchQuery } from '@tributary/tpch';
import { TEST_SECRET, sleep, waitFor } from './cluster-harness.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { operatorActuals } from './operator-actuals.ts';
import { hasOrderBy } from './sql-cases.ts';
import { TributaryClient } from './tributary-client.ts';

/**
 * Shuffle joins decided again at run time (adapt-join-distribution.ts): a build side planned
 * too big to broadcast that proves small makes its join a broadcast join over the probe
 * side's splits, and an inner join of a whole table past the limit with a side that proves
 * small trades sides (built on the small side, over the table's splits). With a broadcast limit of 500 rows at SF 0.01 on 2 task slots, the planner
 * shuffles the joins below (it estimates the build sides filtered by HAVING at about 4,300
 * rows), and they prove smaller (67 orders). Answers are DuckDB's on 2 executors of 1 thread
 * and 1 executor of 2 (the adapted queries only). With the limit at 0 (every join shuffled;
 * only an empty build side adapts) tpch-vs-duckdb.test.ts runs all of TPC-H on 2 executors.
 */
const SF001 = path.join(tpchRoot, 'sf0.01', 'parquet');
const SF01 = path.join(tpchRoot, 'sf0.1', 'parquet');

const BROADCAST = /Adapted: broadcast join at run time: build stage \d+ had \d+ rows/;

const BIG_ORDERS = `SELECT l_orderkey FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 250`;

/**
 * Queries checked against DuckDB; those that `adapt` must show the decision: a broadcast of
 * the build side, or sides traded (Q18's few orders built on, customer read where it lies).
 */
const CASES: readonly { readonly name: string; readonly sql: string; readonly adapts: RegExp | null }[] = [
  {
    name: 'inner join with an aggregate filtered by HAVING',
    sql: `SELECT o_orderkey, o_totalprice, q FROM orders
          JOIN (SELECT l_orderkey, sum(l_quantity) AS q FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 250) big
          ON l_orderkey = o_orderkey ORDER BY o_orderkey`,
    adapts: BROADCAST,
  },
  {
    name: 'IN subquery (semi join), grouped above',
    sql: `SELECT o_orderpriority, count(*) AS n, sum(o_totalprice) AS total FROM orders
          WHERE o_orderkey IN (${BIG_ORDERS}) GROUP BY o_orderpriority ORDER BY o_orderpriority`,
    adapts: BROADCAST,
  },
  {
    name: 'left join keeps the probe rows without a match',
    sql: `SELECT o_orderstatus, count(*) AS n, count(q) AS matched, sum(q) AS q FROM orders
          LEFT JOIN (SELECT l_orderkey, sum(l_quantity) AS q FROM lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 250) big
          ON l_orderkey = o_orderkey GROUP BY o_orderstatus ORDER BY o_orderstatus`,
    adapts: BROADCAST,
  },
  {
    name: 'NOT IN subquery (anti join)',
    sql: `SELECT count(*) AS n, sum(o_totalprice) AS total FROM orders WHERE o_orderkey NOT IN (${BIG_ORDERS})`,
    adapts: BROADCAST,
  },
  {
    name: 'TPC-H Q18',
    sql: tpchQuery(18),
    adapts: /Adapted: sides traded at run time: probe stage \d+ had \d+ rows/,
  },
  { name: 'TPC-H Q9', sql: tpchQuery(9), adapts: null },
];

let oracle: DuckDbOracle;

beforeAll(async () => {
  oracle = await DuckDbOracle.open([{ schema: 'tpq', format: 'parquet', folder: SF001 }]);
  await oracle.query(`SET schema = 'tpq'`);
}, 60_000);

afterAll(() => oracle?.close());

for (const cluster of [
  { executors: 2, threads: '1', cases: CASES },
  { executors: 1, threads: '2', cases: CASES.filter((c) => c.adapts) },
]) {
  describe(`adaptive joins on ${cluster.executors}x${cluster.threads} executors`, () => {
    let service: TributaryProcess | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

    beforeAll(async () => {
      service = await startTributary({
        executors: cluster.executors,
        env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '500', TRIBUTARY_EXECUTOR_THREADS: cluster.threads },
      });
      await client.addSource({ name: 'tpq', type: 'parquet', path: SF001 });
    }, 120_000);

    afterAll(async () => {
      await service?.dispose();
    });

    for (const c of cluster.cases) {
      it(`${c.name}: DuckDB's answer`, async () => {
        const run = (sql: string) =>
          client.request<{ rows: unknown[][] }>('POST', '/api/v1/sql', { sql, context: ['tpq'] });
        const answer = await run(c.sql);
        expect(answer.status, answer.text.slice(0, 500)).toBe(200);
        const expected = await oracle.query(c.sql);
        expect(expected.rows.length).toBeGreaterThan(0);
        expect(compareResults(answer.body as never, expected, { ordered: hasOrderBy(c.sql) }), c.sql).toEqual(
          [],
        );
        if (c.adapts) {
          const analyzed = await run(`EXPLAIN ANALYZE ${c.sql}`);
          const plan = String(analyzed.body.rows[0][0]);
          expect(plan, plan).toMatch(c.adapts);
          // The stage merged into the join never ran: none of its tasks is listed.
          const merged = /Stage (\d+): [^\n]*\n {2}Adapted: not run: merged into stage/.exec(plan);
          expect(merged, plan).not.toBeNull();
          const section = plan.split(/\n(?=Stage \d+:)/).find((s) => s.startsWith(`Stage ${merged![1]}:`))!;
          expect(section).not.toMatch(/^ {2}task \d+ on/m);
        }
      });
    }
  });
}

describe('an executor lost during an adapted query', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');
  const SQL = `SELECT o_orderpriority, count(*) AS n, sum(o_totalprice) AS total FROM big.orders
    WHERE o_orderkey IN (SELECT l_orderkey FROM big.lineitem GROUP BY l_orderkey HAVING sum(l_quantity) > 280)
    GROUP BY o_orderpriority ORDER BY o_orderpriority`;

  beforeAll(async () => {
    service = await startTributary({
      executors: 2,
      env: {
        TRIBUTARY_CLUSTER_SECRET: TEST_SECRET,
        TRIBUTARY_HEARTBEAT_INTERVAL_MS: '300',
        TRIBUTARY_HEARTBEAT_TIMEOUT_MS: '2000',
        TRIBUTARY_FRAGMENT_TIMEOUT_MS: '2500',
        // The build side is estimated at 50,000 rows: shuffled, but within 10x the limit.
        TRIBUTARY_BROADCAST_ROW_LIMIT: '6000',
        TRIBUTARY_EXECUTOR_THREADS: '1',
      },
    });
    await client.addSource({ name: 'big', type: 'parquet', path: SF01 });
  }, 120_000);

  afterAll(async () => {
    await service?.dispose();
  });

  const isAlive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const activeExecutors = async () =>
    (await service!.health()).executors.filter((e) => e.state === 'active' && isAlive(e.pid));

  it('recomputes the lost outputs (lineage) and gives the same answer', async () => {
    const expected = await client.sql(SQL);
    const semiJoinRows = (plan: string) => operatorActuals(plan, /^\s+HashJoin semi/)[0].rows;
    const planned = String((await client.sql(`EXPLAIN ANALYZE ${SQL}`)).rows[0][0]);
    expect(planned, planned).toMatch(BROADCAST);
    for (const delay of [150, 300]) {
      await waitFor('two active executors', async () => (await activeExecutors()).length === 2, 30_000);
      const [victim] = await activeExecutors();
      const answer = client.sqlAnswer(delay === 300 ? `EXPLAIN ANALYZE ${SQL}` : SQL);
      await sleep(delay);
      process.kill(victim.pid, 'SIGKILL');
      const got = await answer;
      expect(got.status, `killed after ${delay} ms: ${got.text.slice(0, 300)}`).toBe(200);
      if (delay !== 300) {
        expect(got.body.rows).toEqual(expected.rows);
        continue;
      }
      // Still adapted, and the adapted join counted every matching order once.
      const plan = String(got.body.rows[0][0]);
      expect(plan, plan).toMatch(BROADCAST);
      expect(semiJoinRows(plan), plan).toBe(semiJoinRows(planned));
    }
  }, 120_000);
});
