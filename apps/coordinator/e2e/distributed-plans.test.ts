import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET, executorStatus, waitFor } from './cluster-harness.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { operatorActuals as actuals } from './operator-actuals.ts';
import { TributaryClient } from './tributary-client.ts';

/** What EXPLAIN shows of a distributed plan, and plans whose stages run no task at all. */
describe('distributed plans', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    service = await startTributary({ executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '0' } });
    await client.addSource({ name: 'big', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') });
  });

  afterAll(async () => {
    await service?.dispose();
  });

  it('prints the stages and their exchanges, and with ANALYZE what every task did', async () => {
    const sql = `SELECT o_orderpriority, count(*) AS n FROM big.orders JOIN big.lineitem ON l_orderkey = o_orderkey
                 GROUP BY 1 ORDER BY 1`;
    const plan = String((await client.sql(`EXPLAIN ${sql}`)).rows[0][0]);
    expect(plan).toContain('Coordinator: merge by');
    expect(plan).toMatch(/output hash-partitioned by \[l_orderkey#\d+\] into 2/);
    expect(plan).toContain('Exchange hash from stage');
    expect(plan).not.toMatch(/task \d+ on/);
    const analyzed = String((await client.sql(`EXPLAIN ANALYZE ${sql}`)).rows[0][0]);
    const executors = (await service!.health()).executors.map((e) => e.id);
    for (const id of executors) expect(analyzed).toContain(`on ${id}`);
    expect(analyzed).toMatch(/Result: 5 rows in \d+ ms/);
    // Every operator of every stage ran in tasks that finished: each line has its figures.
    const operatorLines = analyzed
      .slice(analyzed.indexOf('Distributed plan:'))
      .split('\n')
      .filter((l) => /^ {2}\s*[A-Z]\w+( |$)/.test(l));
    expect(operatorLines.length).toBeGreaterThan(6);
    for (const line of operatorLines) expect(line).toMatch(/\(actual rows=\d+ batches=\d+ time=[\d.]+ ms/);
  });

  it('EXPLAIN ANALYZE counts the rows each operator produced, over all the tasks of its stage', async () => {
    const count = async (query: string) => Number((await client.sql(query)).rows[0][0]);
    const grouped = 'SELECT l_orderkey, count(*) AS n FROM big.lineitem GROUP BY 1';
    const tableRows = await count('SELECT count(*) FROM big.lineitem');
    const groups = await count(`SELECT count(*) FROM (${grouped}) g`);
    const kept = await count(`SELECT count(*) FROM (${grouped}) g WHERE n > 4`);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(groups);
    // A filter over the aggregate (a scan's filters are evaluated by the scan itself).
    const plan = String((await client.sql(`EXPLAIN ANALYZE ${grouped} HAVING count(*) > 4`)).rows[0][0]);
    const [scan] = actuals(plan, /^\s+Scan parquet big\.lineitem/);
    expect(scan.rows, plan).toBe(tableRows);
    expect(scan.batches).toBeGreaterThanOrEqual(2);
    expect(scan.ms).toBeGreaterThan(0);
    // The filter alone, or fused into the projection above it.
    const [filter] = actuals(plan, /^\s+(Filter|FilterProject) /);
    expect(filter, plan).toBeDefined();
    expect(filter.rows, plan).toBe(kept);
    const [final] = actuals(plan, /^\s+HashAggregate .*mode=final/);
    expect(final.rows, plan).toBe(groups);
    // Each scan task's partial aggregate gives a row a group it saw; the shuffle delivers them all.
    const [partial] = actuals(plan, /^\s+HashAggregate .*mode=partial/);
    expect(partial.rows).toBeGreaterThanOrEqual(groups);
    const [exchange] = actuals(plan, /^\s+Exchange hash from stage/);
    expect(exchange.rows).toBe(partial.rows);

    // A scan's own filters: its rows are those that pass them.
    const where = 'l_quantity > 10';
    const passed = await count(`SELECT count(*) FROM big.lineitem WHERE ${where}`);
    const filtered = String(
      (await client.sql(`EXPLAIN ANALYZE SELECT count(*) FROM big.lineitem WHERE ${where}`)).rows[0][0],
    );
    expect(actuals(filtered, /^\s+Scan parquet big\.lineitem/)[0].rows, filtered).toBe(passed);
  });

  it('answers an ordered or aggregated query whose scan is pruned to nothing', async () => {
    // Row-group statistics rule out every row group: the scan stage has no task.
    const ordered = await client.sql(
      'SELECT l_orderkey FROM big.lineitem WHERE l_orderkey < 0 ORDER BY l_orderkey',
    );
    expect(ordered.rows).toEqual([]);
    expect(ordered.columns).toEqual([{ name: 'l_orderkey', type: 'BIGINT' }]);
    const counted = await client.sql(
      'SELECT count(*) AS n, max(l_tax) AS t FROM big.lineitem WHERE l_orderkey < 0',
    );
    expect(counted.rows).toEqual([['0', null]]);
    const grouped = await client.sql(
      `SELECT l_returnflag, count(*) AS n FROM big.lineitem a JOIN big.orders ON o_orderkey = l_orderkey
       WHERE l_orderkey < 0 GROUP BY 1 ORDER BY 1`,
    );
    expect(grouped.rows).toEqual([]);
  });
});

/** A broadcast join's build side is read and built once per executor thread, not once per task. */
describe('shared broadcast builds', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    // One executor thread: every task of a stage runs where the first one built the table.
    service = await startTributary({
      executors: 1,
      env: { TRIBUTARY_EXECUTOR_THREADS: '1', TRIBUTARY_CLUSTER_SECRET: TEST_SECRET },
    });
    await client.addSource({ name: 'big', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') });
  });

  afterAll(async () => {
    await service?.dispose();
  });

  it('reads the broadcast once for all the probe tasks, and returns its memory when the query ends', async () => {
    const count = async (query: string) => Number((await client.sql(query)).rows[0][0]);
    const building = `SELECT c_custkey FROM big.customer WHERE c_mktsegment = 'BUILDING'`;
    const buildRows = await count(`SELECT count(*) FROM (${building}) b`);
    const sql = `SELECT count(*) FROM big.orders WHERE o_custkey IN (${building})`;
    const expected = await count(
      `SELECT count(*) FROM big.orders o JOIN (${building}) b ON o.o_custkey = b.c_custkey`,
    );
    const plan = String((await client.sql(`EXPLAIN ANALYZE ${sql}`)).rows[0][0]);
    expect(plan).toContain('Exchange broadcast from stage');
    const probeTasks = Number(/Stage \d+: (\d+) tasks?, one per split group, reads stage/.exec(plan)?.[1]);
    expect(probeTasks, plan).toBeGreaterThan(1);
    const [broadcast] = actuals(plan, /^\s+Exchange broadcast from stage/);
    expect(broadcast.rows, plan).toBe(buildRows);
    expect(await count(sql)).toBe(expected);
    const executor = (await service!.health()).executors[0];
    await waitFor('the shared build to be dropped', async () => {
      const status = await executorStatus(TEST_SECRET, executor.url);
      return status.memoryReservedBytes === 0;
    });
  });
});
