import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET, readJobs, runningTasks, sleep, waitFor } from './cluster-harness.ts';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

/** A join whose pairs take many seconds to count: long enough to cancel in the middle. */
const HEAVY = `SELECT count(*) AS n FROM big.lineitem a, big.orders b WHERE a.l_extendedprice > b.o_totalprice`;

/** One filter of thousands of ILIKE terms: each 64K-row batch is one long stretch of work. */
const LONG_BATCH = `SELECT count(*) AS n FROM big.lineitem WHERE ${Array.from(
  { length: 4000 },
  (_, i) => `l_comment ILIKE '%${(i * 7919).toString(36)}q%z${i}%'`,
).join(' OR ')}`;

describe('cancel, deadlines and admission', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    service = await startTributary({
      executors: 2,
      env: {
        TRIBUTARY_CLUSTER_SECRET: TEST_SECRET,
        TRIBUTARY_MAX_CONCURRENT_QUERIES: '2',
        TRIBUTARY_MAX_CONCURRENT_LARGE_QUERIES: '2',
        TRIBUTARY_MAX_QUEUED_QUERIES: '1',
      },
    });
    await client.addSource({ name: 'big', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') });
  });

  afterAll(async () => {
    await service?.dispose();
  });

  const idle = async () => runningTasks(TEST_SECRET, await service!.health());

  /** Queries a test started; one that failed half-way must not leave them running into the next. */
  const started: AbortController[] = [];
  afterEach(() => {
    for (const controller of started.splice(0)) controller.abort();
  });

  /** Starts a query without waiting for its answer; its job id comes from the header. */
  async function startQuery(sql: string, extra: Record<string, unknown> = {}) {
    const controller = new AbortController();
    started.push(controller);
    const response = fetch(`${service!.url}/api/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql, ...extra }),
      signal: controller.signal,
    });
    // Aborting a query the test does not wait for must not leave a rejection nobody handles.
    response.catch(() => undefined);
    return { controller, response };
  }

  it('names the job in a header of every answer, errors too', async () => {
    const ok = await fetch(`${service!.url}/api/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT 1 AS one' }),
    });
    const id = ok.headers.get('x-tributary-job-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await ok.json()) as { jobId: string }).jobId).toBe(id);
    const bad = await fetch(`${service!.url}/api/v1/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT nope FROM big.nation' }),
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-tributary-job-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('cancels a running query by its job id; its tasks are gone from every executor within a second', async () => {
    await waitFor('an idle cluster', async () => (await idle()) === 0);
    const query = await startQuery(HEAVY);
    await waitFor('tasks of the heavy query', async () => (await idle()) > 0);
    // The job id is in the catalog before any row (the job journal writes within 100 ms).
    let job: { id: string } | undefined;
    await waitFor('the running job in the catalog', () => {
      job = readJobs(service!.dataDir).find((j) => j.state === 'RUNNING');
      return job !== undefined;
    });
    const cancelled = await client.request('POST', `/api/v1/jobs/${job!.id}/cancel`);
    expect(cancelled.status).toBe(200);
    const stopped = await waitFor('no task left', async () => (await idle()) === 0, 5_000);
    expect(stopped).toBeLessThan(1_000);
    const answer = await query.response;
    const body = (await answer.json()) as { code: string };
    expect(answer.status).toBe(409);
    expect(body.code).toBe('QUERY_CANCELLED');
    await waitFor('the job recorded as CANCELED', () =>
      readJobs(service!.dataDir).some((j) => j.id === job!.id && j.state === 'CANCELED'),
    );
    expect((await client.request('POST', `/api/v1/jobs/${job!.id}/cancel`)).status).toBe(404);
  });

  it('stops a task in the middle of a long batch within a second, and the executor works on', async () => {
    await waitFor('an idle cluster', async () => (await idle()) === 0);
    const query = await startQuery(LONG_BATCH);
    await waitFor('the long batch running', async () => (await idle()) > 0);
    await sleep(300);
    query.controller.abort();
    await query.response.catch(() => undefined);
    const stopped = await waitFor('no task left', async () => (await idle()) === 0, 5_000);
    expect(stopped).toBeLessThan(1_000);
    const after = await client.sql('SELECT count(*) AS n FROM big.region');
    expect(after.rows).toEqual([['5']]);
    await waitFor('the job recorded as CANCELED', () =>
      readJobs(service!.dataDir).some((j) => j.state === 'CANCELED' && j.error_code === 'CLIENT_GONE'),
    );
  });

  it('fails a query past its deadline with QUERY_TIMEOUT and leaves nothing running', async () => {
    const started = Date.now();
    const answer = await client.request('POST', '/api/v1/sql', { sql: HEAVY, timeoutMs: 500 });
    const body = expectErrorBody(answer, 504);
    expect(body.code).toBe('QUERY_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
    await waitFor('no task left', async () => (await idle()) === 0, 2_000);
    const bad = await client.request('POST', '/api/v1/sql', { sql: 'SELECT 1', timeoutMs: -3 });
    expect(expectErrorBody(bad, 400).code).toBe('INVALID_TIMEOUT');
  });

  it('queues large queries past the limit, refuses them past the queue, and lets small ones through', async () => {
    await waitFor('an idle cluster', async () => (await idle()) === 0);
    const running = [await startQuery(HEAVY), await startQuery(HEAVY)];
    await waitFor(
      'two running jobs',
      () => readJobs(service!.dataDir).filter((j) => j.state === 'RUNNING').length === 2,
    );
    const queued = await startQuery('SELECT count(*) AS n FROM big.lineitem');
    await waitFor('a queued job', () => readJobs(service!.dataDir).some((j) => j.state === 'QUEUED'));
    const refused = await client.sqlAnswer('SELECT count(*) AS n FROM big.orders');
    expect(expectErrorBody(refused, 503).code).toBe('QUERY_QUEUE_FULL');
    // A query that reads a few rows runs in the small lane at once.
    const small = await client.sql('SELECT count(*) AS n FROM big.nation');
    expect(small.rows).toEqual([['25']]);
    for (const q of running) q.controller.abort();
    const answer = await queued.response;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { rows: unknown[][] }).rows).toEqual([['600572']]);
  });

  it('refuses SQL text over maxSqlBytes before parsing it', async () => {
    const sql = `SELECT 1 AS x -- ${'x'.repeat(1_100_000)}`;
    const answer = await client.sqlAnswer(sql);
    const body = expectErrorBody(answer, 413);
    expect(body.code).toBe('SQL_TOO_LONG');
  });

  it('ends every job in a final state', async () => {
    await waitFor('no running job', () =>
      readJobs(service!.dataDir).every((j) => ['COMPLETED', 'FAILED', 'CANCELED'].includes(j.state)),
    );
  });
});
