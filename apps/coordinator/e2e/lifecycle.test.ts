import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arrowToResult } from './arrow-to-result.ts';
import { compareResults } from '@tributary/common/testing';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type Health, type TributaryProcess } from './harness.ts';
import { TributaryClient, type SourceInfo } from './tributary-client.ts';

const parquet001 = path.join(tpchRoot, 'sf0.01', 'parquet');
const parquet01 = path.join(tpchRoot, 'sf0.1', 'parquet');
const csv001 = path.join(tpchRoot, 'sf0.01', 'csv');

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('service lifecycle', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    service = await startTributary({ executors: 2 });
  });

  afterAll(async () => {
    await service?.dispose();
  });

  it('reports health with two active executors', async () => {
    const answer = await client.request<Health>('GET', '/api/v1/health');
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe('ok');
    expect(answer.body.executors).toHaveLength(2);
    const ids = new Set<string>();
    for (const executor of answer.body.executors) {
      expect(typeof executor.id).toBe('string');
      expect(executor.url).toMatch(/^https?:\/\//);
      expect(executor.state).toBe('active');
      expect(['string', 'number']).toContain(typeof executor.lastHeartbeat);
      expect(Number.isInteger(executor.pid)).toBe(true);
      expect(executor.pid).not.toBe(service?.pid);
      ids.add(executor.id);
    }
    expect(ids.size).toBe(2);
  });

  it('registers, lists, describes and deletes sources', async () => {
    const created = await client.addSource({ name: 'keep', type: 'parquet', path: parquet001 });
    expect(created).toMatchObject({ name: 'keep', type: 'parquet' });
    const lineitem = created.tables.find((t) => t.name === 'lineitem');
    expect(lineitem?.columns.map((c) => c.name)).toContain('l_shipdate');
    expect(lineitem?.columns.find((c) => c.name === 'l_shipdate')?.type).toBe('DATE');
    expect(lineitem?.columns.find((c) => c.name === 'l_quantity')?.type).toBe('DECIMAL(15,2)');
    await client.addSource({ name: 'gone', type: 'csv', path: csv001 });

    const list = await client.request<{ sources: SourceInfo[] }>('GET', '/api/v1/sources');
    expect(list.status).toBe(200);
    expect(list.body.sources.map((s) => s.name).sort()).toEqual(['gone', 'keep']);

    const one = await client.request<SourceInfo>('GET', '/api/v1/sources/keep');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ name: 'keep', type: 'parquet' });
    expect(one.body.tables.map((t) => t.name).sort()).toEqual(created.tables.map((t) => t.name).sort());

    const deleted = await client.request('DELETE', '/api/v1/sources/gone');
    expect(deleted.status).toBe(204);
    expect((await client.request('GET', '/api/v1/sources/gone')).status).toBeGreaterThanOrEqual(400);
    expectErrorBody(await client.sqlAnswer('SELECT COUNT(*) FROM gone.orders'), 400, 'TABLE_NOT_FOUND');
  });

  it('answers in Arrow IPC with the same data as in JSON', async () => {
    const sql = `SELECT o_orderkey, o_custkey, o_orderdate, o_totalprice, o_orderstatus, CAST(o_orderdate AS TIMESTAMP) AS ts,
                        o_totalprice > 100000 AS big, CASE WHEN o_orderkey > 50 THEN NULL ELSE o_clerk END AS clerk
                 FROM keep.orders WHERE o_orderkey < 100 ORDER BY o_orderkey`;
    const json = await client.sql(sql);
    expect(json.rows.length).toBeGreaterThan(10);
    const arrow = await client.sqlArrow(sql);
    expect(arrow.status).toBe(200);
    expect(arrow.contentType).toContain('application/vnd.apache.arrow.stream');
    const decoded = arrowToResult(tableFromIPC(arrow.bytes));
    expect(decoded.columns).toEqual(json.columns);
    expect(compareResults(decoded, json, { ordered: true })).toEqual([]);
  });

  it('keeps sources across a restart on the same data dir', async () => {
    if (!service) throw new Error('service not started');
    const before = await client.sql('SELECT COUNT(*) AS n, SUM(l_quantity) AS q FROM keep.lineitem');
    const stopped = await service.restart();
    expect(stopped.forced, 'SIGTERM alone should stop the service').toBe(false);
    expect(stopped.elapsedMs).toBeLessThan(5_000);
    const list = await client.request<{ sources: SourceInfo[] }>('GET', '/api/v1/sources');
    expect(list.body.sources.map((s) => s.name)).toEqual(['keep']);
    const after = await client.sql('SELECT COUNT(*) AS n, SUM(l_quantity) AS q FROM keep.lineitem');
    expect(after.rows).toEqual(before.rows);
    expect(after.rows).toEqual([['60175', '1536127.00']]);
  });

  it('drops a killed executor and never hangs a query that runs meanwhile', async () => {
    await client.addSource({ name: 'big', type: 'parquet', path: parquet01 });
    const health = (await client.request<Health>('GET', '/api/v1/health')).body;
    const victim = health.executors[0];
    // Started before the kill, so some fragment is likely in flight on the victim.
    const started = Date.now();
    const inFlight = client
      .sqlAnswer(
        `SELECT l_returnflag, COUNT(*) AS n, SUM(l_extendedprice * (1 - l_discount)) AS revenue
         FROM big.lineitem JOIN big.orders ON l_orderkey = o_orderkey
         GROUP BY l_returnflag ORDER BY l_returnflag`,
        30_000,
      )
      .then(
        (answer) => ({ answer, error: undefined, ms: Date.now() - started }),
        (error: unknown) => ({ answer: undefined, error, ms: Date.now() - started }),
      );
    await sleep(30);
    process.kill(victim.pid, 'SIGKILL');

    const settled = await inFlight;
    expect(settled.error, 'the query must answer, not time out').toBeUndefined();
    expect(settled.ms).toBeLessThan(15_000);
    if (settled.answer && settled.answer.status !== 200) {
      const body = expectErrorBody(settled.answer, settled.answer.status);
      expect(body.message.length).toBeGreaterThan(0);
    } else {
      expect(settled.answer?.body.rows).toHaveLength(3);
    }

    const deadline = Date.now() + 10_000;
    let dropped = false;
    while (Date.now() < deadline && !dropped) {
      const now = (await client.request<Health>('GET', '/api/v1/health')).body;
      const entry = now.executors.find((e) => e.id === victim.id && e.pid === victim.pid);
      dropped = entry === undefined || entry.state !== 'active';
      if (!dropped) await sleep(250);
    }
    expect(dropped, 'the killed executor should leave the active list within 10 s').toBe(true);

    // The survivor (or a replacement) still answers.
    const after = await client.sqlAnswer('SELECT COUNT(*) AS n FROM big.orders', 15_000);
    expect(after.status, after.text).toBe(200);
    expect(after.body.rows).toEqual([['150000']]);
  });

  it('stops on SIGTERM within a few seconds, executors included', async () => {
    if (!service) throw new Error('service not started');
    await service.health();
    // The harness must see the running executors, or the check after stopping proves nothing.
    expect(service.strayExecutors().length).toBeGreaterThan(0);
    const stopped = await service.stop();
    expect(stopped.forced).toBe(false);
    expect(stopped.elapsedMs).toBeLessThan(5_000);
    await sleep(500);
    expect(service.strayExecutors()).toEqual([]);
  });
});
