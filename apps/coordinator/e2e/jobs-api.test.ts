import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults, type OracleResult } from '@tributary/common/testing';
import { arrowToResult } from './arrow-to-result.ts';
import { TEST_SECRET, runningTasks, sleep, waitFor } from './cluster-harness.ts';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient, type ResultColumn } from './tributary-client.ts';

/** A join whose pairs take many seconds to count: long enough to cancel, or to kill the coordinator under. */
const HEAVY = `SELECT count(*) AS n FROM big.lineitem a, big.orders b WHERE a.l_extendedprice > b.o_totalprice`;

/** 600,572 rows in a total order, to page through. */
const LARGE = `SELECT l_orderkey, l_linenumber, l_extendedprice, l_shipdate, l_comment
  FROM big.lineitem ORDER BY l_orderkey, l_linenumber`;

/** Decimals, dates, text with commas and quotes, NULLs and doubles, in a total order. */
const TYPED = `SELECT o_orderkey, o_custkey, o_orderstatus, o_totalprice, o_orderdate, o_comment,
    CASE WHEN o_orderkey % 7 = 0 THEN NULL ELSE o_orderpriority END AS maybe,
    CAST(o_custkey AS DOUBLE) / 7 AS ratio
  FROM tiny.orders ORDER BY o_orderkey`;

interface Job {
  id: string;
  sql: string;
  sqlTruncated: boolean;
  user: string;
  queryType: string;
  state: string;
  submittedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  planningMs: number | null;
  queuedMs: number | null;
  rowCount: number | null;
  bytes: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  sources: string[];
  reflections: string[];
  resultsSpooled: boolean;
  plan: string | null;
  profile: {
    stages: {
      id: number;
      tasks: number;
      runs: { executor: string; rows: number; elapsedMs: number }[];
      operators: { operator: string; rows: number; timeMs: number }[];
    }[];
  } | null;
  progress?: { tasksDone: number; tasksTotal: number; splitsDone: number; splitsTotal: number; rows: number };
}

interface JsonPage {
  columns: ResultColumn[];
  rows: unknown[][];
  rowCount: number;
  totalRows: number;
  offset: number;
  jobId: string;
}

interface ServerEvent {
  event: string;
  data: Record<string, unknown>;
}

describe('the jobs API: background jobs, spooled results, formats, events', () => {
  let service: TributaryProcess | undefined;
  let restarted: TributaryProcess | undefined;
  let oracle: DuckDbOracle;
  const base = () => (restarted ?? service)?.url ?? 'http://127.0.0.1:1';
  const client = new TributaryClient(base);
  const scratch = path.join(tmpdir(), `jobs-api-${process.pid}`);
  /** Jobs the later tests look back at (history after the restart). */
  const done: { large?: string; typed?: string } = {};

  beforeAll(async () => {
    service = await startTributary({
      executors: 2,
      env: {
        TRIBUTARY_CLUSTER_SECRET: TEST_SECRET,
        TRIBUTARY_BROADCAST_ROW_LIMIT: '0',
        TRIBUTARY_JOB_SQL_MAX_BYTES: '200',
      },
    });
    await client.addSource({ name: 'big', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') });
    await client.addSource({ name: 'tiny', type: 'parquet', path: path.join(tpchRoot, 'sf0.01', 'parquet') });
    oracle = await DuckDbOracle.open([
      { schema: 'big', format: 'parquet', folder: path.join(tpchRoot, 'sf0.1', 'parquet') },
      { schema: 'tiny', format: 'parquet', folder: path.join(tpchRoot, 'sf0.01', 'parquet') },
    ]);
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
  });

  afterAll(async () => {
    oracle?.close();
    await restarted?.stop();
    await service?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const job = async (id: string) => {
    const answer = await client.request<Job>('GET', `/api/v1/jobs/${id}`);
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  };

  async function submit(sql: string, extra: Record<string, unknown> = {}): Promise<string> {
    const answer = await client.request<{ id: string }>('POST', '/api/v1/jobs', { sql, ...extra });
    expect(answer.status, answer.text).toBe(201);
    expect(answer.body.id).toMatch(/^[0-9a-f-]{36}$/);
    return answer.body.id;
  }

  async function finished(id: string, timeoutMs = 120_000): Promise<Job> {
    let last: Job | undefined;
    await waitFor(
      `job ${id} to end`,
      async () => {
        last = await job(id);
        return ['COMPLETED', 'FAILED', 'CANCELED'].includes(last.state);
      },
      timeoutMs,
    );
    return last!;
  }

  /** A results page in `format` (query parameter), as raw bytes. */
  async function page(id: string, query: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${base()}/api/v1/jobs/${id}/results?${query}`, {
      headers,
      signal: AbortSignal.timeout(120_000),
    });
    return {
      status: response.status,
      headers: response.headers,
      bytes: Buffer.from(await response.arrayBuffer()),
    };
  }

  /** Reads a job's server-sent events until the server ends the stream. */
  async function events(id: string): Promise<ServerEvent[]> {
    const response = await fetch(`${base()}/api/v1/jobs/${id}/events`, {
      signal: AbortSignal.timeout(180_000),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const out: ServerEvent[] = [];
    const decoder = new TextDecoder();
    let text = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      text += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = text.indexOf('\n\n')) >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? '{}') as Record<string, unknown>;
        out.push({ event, data });
      }
    }
    return out;
  }

  function expectSame(
    actual: { columns: readonly { name: string; type: string }[]; rows: readonly (readonly unknown[])[] },
    expected: OracleResult,
    what: string,
  ) {
    expect(actual.rows.length, what).toBe(expected.rows.length);
    expect(compareResults(actual, expected, { ordered: true }), what).toEqual([]);
  }

  it('runs a large query in the background, follows it live, and pages its spooled rows at any offset', async () => {
    const id = await submit(LARGE);
    done.large = id;
    const seen = await events(id);
    const states = seen.filter((e) => e.event === 'state').map((e) => e.data.state);
    expect(states.at(-1)).toBe('COMPLETED');
    expect(states).toContain('RUNNING');
    expect(seen.at(-1)).toMatchObject({
      event: 'state',
      data: { id, state: 'COMPLETED', rowCount: 600_572 },
    });
    const progress = seen.filter((e) => e.event === 'progress').map((e) => e.data);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({
      tasksTotal: expect.any(Number),
      splitsTotal: expect.any(Number),
    });
    const rows = progress.map((p) => p.rows as number);
    expect(rows).toEqual([...rows].sort((a, b) => a - b));
    // At most one progress event every ~250 ms.
    const sentAt = progress.map((p) => Date.parse(p.at as string));
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i] - sentAt[i - 1]).toBeGreaterThanOrEqual(200);

    const record = await job(id);
    expect(record).toMatchObject({
      state: 'COMPLETED',
      rowCount: 600_572,
      user: 'anonymous',
      queryType: 'REST',
      sources: ['big.lineitem'],
      reflections: [],
      resultsSpooled: true,
      errorCode: null,
    });
    expect(record.bytes).toBeGreaterThan(600_572 * 8);
    expect(Date.parse(record.submittedAt)).toBeLessThanOrEqual(Date.parse(record.startedAt!));
    expect(Date.parse(record.startedAt!)).toBeLessThanOrEqual(Date.parse(record.finishedAt!));
    expect(record.planningMs).toBeGreaterThan(0);
    expect(record.plan).toContain('Distributed plan');
    const stages = record.profile!.stages;
    expect(stages.length).toBeGreaterThan(0);
    const scanStage = stages.find((s) => s.operators.some((o) => o.operator.startsWith('Scan')))!;
    expect(scanStage.runs.length).toBeGreaterThanOrEqual(scanStage.tasks);
    expect(scanStage.runs.every((r) => r.executor.length > 0)).toBe(true);
    expect(scanStage.operators.find((o) => o.operator.startsWith('Scan'))!.rows).toBe(600_572);

    for (const offset of [0, 65_535, 123_457, 500_000, 600_500]) {
      const started = performance.now();
      const answer = await client.request<JsonPage>(
        'GET',
        `/api/v1/jobs/${id}/results?offset=${offset}&limit=100`,
      );
      const ms = performance.now() - started;
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ totalRows: 600_572, offset, jobId: id });
      const expected = await oracle.query(`${LARGE} LIMIT 100 OFFSET ${offset}`);
      expectSame(answer.body, expected, `offset ${offset}`);
      expect(answer.body.rowCount).toBe(expected.rows.length);
      // Only the batches holding the page are read: far below reading 600k rows.
      expect(ms, `page at ${offset}`).toBeLessThan(5_000);
    }
    const past = await client.request<JsonPage>('GET', `/api/v1/jobs/${id}/results?offset=700000&limit=10`);
    expect(past.body.rows).toEqual([]);
  });

  it('sends a completed job results as JSON, NDJSON, CSV, Arrow and Parquet, each equal to DuckDB', async () => {
    const id = await submit(TYPED);
    done.typed = id;
    expect((await finished(id)).state).toBe('COMPLETED');
    const expected = await oracle.query(TYPED);

    const json = await page(id, 'format=json');
    expect(json.headers.get('content-type')).toContain('application/json');
    expectSame(JSON.parse(json.bytes.toString()) as JsonPage, expected, 'json');

    const ndjson = await page(id, '', { accept: 'application/x-ndjson' });
    expect(ndjson.headers.get('content-type')).toBe('application/x-ndjson');
    expect(ndjson.headers.get('content-disposition')).toBe(`attachment; filename="${id}.ndjson"`);
    const objects = ndjson.bytes
      .toString()
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const jsonRows = (JSON.parse(json.bytes.toString()) as JsonPage).rows;
    expect(objects.map((o) => expected.columns.map((c) => o[c.name]))).toEqual(jsonRows);

    const csv = await page(id, 'format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const csvFile = path.join(scratch, 'typed.csv');
    writeFileSync(csvFile, csv.bytes);
    const types = expected.columns.map((c) => `'${c.name}': '${c.duckdbType}'`).join(', ');
    expectSame(
      await oracle.query(
        `SELECT * FROM read_csv('${csvFile}', header = true, allow_quoted_nulls = false, columns = {${types}})`,
      ),
      expected,
      'csv',
    );

    const arrow = await page(id, '', { accept: 'application/vnd.apache.arrow.stream' });
    expect(arrow.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    expectSame(arrowToResult(tableFromIPC(arrow.bytes)), expected, 'arrow');

    const parquet = await page(id, 'format=parquet');
    expect(parquet.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const parquetFile = path.join(scratch, 'typed.parquet');
    writeFileSync(parquetFile, parquet.bytes);
    expectSame(await oracle.query(`SELECT * FROM read_parquet('${parquetFile}')`), expected, 'parquet');

    // A page in CSV: the header row, then only the page's rows.
    const csvPage = await page(id, 'format=csv&offset=10&limit=3');
    expect(csvPage.bytes.toString().split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('answers POST /api/v1/sql in every format too, chosen by Accept or format', async () => {
    const expected = await oracle.query(TYPED);
    const sql = async (accept: string | undefined, body: Record<string, unknown> = {}) => {
      const response = await fetch(`${base()}/api/v1/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) },
        body: JSON.stringify({ sql: TYPED, ...body }),
        signal: AbortSignal.timeout(60_000),
      });
      return {
        status: response.status,
        headers: response.headers,
        bytes: Buffer.from(await response.arrayBuffer()),
      };
    };
    const parquet = await sql('application/vnd.apache.parquet');
    expect(parquet.status).toBe(200);
    expect(parquet.headers.get('x-tributary-job-id')).toMatch(/^[0-9a-f-]{36}$/);
    const file = path.join(scratch, 'sync.parquet');
    writeFileSync(file, parquet.bytes);
    expectSame(await oracle.query(`SELECT * FROM read_parquet('${file}')`), expected, 'sync parquet');

    const csv = await sql(undefined, { format: 'csv' });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const csvFile = path.join(scratch, 'sync.csv');
    writeFileSync(csvFile, csv.bytes);
    const types = expected.columns.map((c) => `'${c.name}': '${c.duckdbType}'`).join(', ');
    expectSame(
      await oracle.query(
        `SELECT * FROM read_csv('${csvFile}', header = true, allow_quoted_nulls = false, columns = {${types}})`,
      ),
      expected,
      'sync csv',
    );
    const ndjson = await sql('application/x-ndjson');
    expect(ndjson.bytes.toString().trimEnd().split('\n')).toHaveLength(expected.rows.length);

    const unknown = await client.request('POST', '/api/v1/sql', { sql: 'SELECT 1', format: 'xml' });
    expect(expectErrorBody(unknown, 400, 'UNSUPPORTED_FORMAT').message).toContain('parquet');
    const refused = await client.request(
      'POST',
      '/api/v1/sql',
      { sql: 'SELECT 1' },
      { headers: { accept: 'text/html' } },
    );
    expect(expectErrorBody(refused, 406, 'UNSUPPORTED_FORMAT').message).toContain('text/csv');
  });

  it('answers every job error with its code', async () => {
    const missing = '00000000-0000-0000-0000-000000000000';
    for (const [method, route] of [
      ['GET', `/api/v1/jobs/${missing}`],
      ['GET', `/api/v1/jobs/${missing}/results`],
      ['GET', `/api/v1/jobs/${missing}/events`],
      ['POST', `/api/v1/jobs/${missing}/cancel`],
    ])
      expectErrorBody(await client.request(method, route), 404, 'JOB_NOT_FOUND');

    expectErrorBody(await client.request('POST', '/api/v1/jobs', { context: 'tiny' }), 400);
    expectErrorBody(await client.request('POST', '/api/v1/jobs', { sql: '  ' }), 400, 'INVALID_QUERY');

    const failed = await submit('SELECT nope FROM tiny.nation');
    const failedJob = await finished(failed);
    expect(failedJob).toMatchObject({ state: 'FAILED', errorCode: expect.any(String) });
    const noRows = expectErrorBody(
      await client.request('GET', `/api/v1/jobs/${failed}/results`),
      409,
      'JOB_NOT_COMPLETED',
    );
    expect(noRows.message).toContain('FAILED');
    expectErrorBody(await client.request('POST', `/api/v1/jobs/${failed}/cancel`), 404, 'JOB_NOT_RUNNING');

    const sync = await client.sql('SELECT count(*) AS n FROM tiny.nation');
    expectErrorBody(
      await client.request('GET', `/api/v1/jobs/${sync.jobId}/results`),
      404,
      'JOB_RESULTS_NOT_SPOOLED',
    );

    const running = await submit(HEAVY);
    await waitFor('the heavy job running', async () => (await job(running)).state === 'RUNNING');
    expectErrorBody(await client.request('GET', `/api/v1/jobs/${running}/results`), 409, 'JOB_NOT_COMPLETED');
    expect((await client.request('POST', `/api/v1/jobs/${running}/cancel`)).status).toBe(200);
    await finished(running);

    expectErrorBody(
      await client.request('GET', `/api/v1/jobs/${done.typed}/results?format=xml`),
      400,
      'UNSUPPORTED_FORMAT',
    );
    expectErrorBody(
      await client.request('GET', `/api/v1/jobs/${done.typed}/results`, undefined, {
        headers: { accept: 'image/png' },
      }),
      406,
      'UNSUPPORTED_FORMAT',
    );
    expectErrorBody(await client.request('GET', `/api/v1/jobs/${done.typed}/results?offset=-1`), 400);
    expectErrorBody(await client.request('GET', '/api/v1/jobs?state=BOGUS'), 400, 'INVALID_JOB_FILTER');
    expectErrorBody(await client.request('GET', '/api/v1/jobs?since=yesterday'), 400, 'INVALID_JOB_FILTER');
    expectErrorBody(await client.request('GET', '/api/v1/jobs?limit=0'), 400);
  });

  it('cancels a background job: it ends CANCELED, its tasks stop and no spool is left', async () => {
    const idle = async () => runningTasks(TEST_SECRET, await service!.health());
    await waitFor('an idle cluster', async () => (await idle()) === 0);
    const id = await submit(HEAVY);
    await waitFor('the heavy job running', async () => (await job(id)).state === 'RUNNING');
    await waitFor('its tasks', async () => (await idle()) > 0);
    const answer = await client.request<{ id: string; state: string }>('POST', `/api/v1/jobs/${id}/cancel`);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body).toMatchObject({ id, state: 'RUNNING' });
    const ended = await finished(id, 10_000);
    expect(ended).toMatchObject({ state: 'CANCELED', errorCode: 'QUERY_CANCELLED', resultsSpooled: false });
    await waitFor('no task left', async () => (await idle()) === 0, 5_000);
    expect(existsSync(path.join(service!.dataDir, 'results', id))).toBe(false);
    // Its live view ends with the final state at once.
    const late = await events(id);
    expect(late).toEqual([
      expect.objectContaining({ event: 'state', data: expect.objectContaining({ state: 'CANCELED' }) }),
    ]);
  });

  it('lists jobs newest first, filtered by state, user, SQL text and time, and caps stored SQL', async () => {
    const since = new Date().toISOString();
    const long = `SELECT count(*) AS n FROM tiny.region -- ${'x'.repeat(400)}`;
    await client.sql(long);
    const all = await client.request<{ jobs: Job[] }>('GET', '/api/v1/jobs?limit=1000');
    expect(all.status).toBe(200);
    const times = all.body.jobs.map((j) => j.submittedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(all.body.jobs.some((j) => j.id === done.large)).toBe(true);
    const mine = await client.request<{ jobs: Job[] }>(
      'GET',
      `/api/v1/jobs?since=${encodeURIComponent(since)}`,
    );
    expect(mine.body.jobs).toHaveLength(1);
    expect(mine.body.jobs[0]).toMatchObject({ state: 'COMPLETED', sqlTruncated: true });
    expect(Buffer.byteLength(mine.body.jobs[0].sql)).toBeLessThanOrEqual(200);
    const canceled = await client.request<{ jobs: Job[] }>('GET', '/api/v1/jobs?state=CANCELED,FAILED');
    expect(canceled.body.jobs.length).toBeGreaterThanOrEqual(3);
    expect(canceled.body.jobs.every((j) => ['CANCELED', 'FAILED'].includes(j.state))).toBe(true);
    const bySql = await client.request<{ jobs: Job[] }>(
      'GET',
      `/api/v1/jobs?sql=${encodeURIComponent('o_orderkey % 7')}`,
    );
    expect(bySql.body.jobs.map((j) => j.id)).toContain(done.typed);
    expect(bySql.body.jobs.every((j) => j.sql.includes('o_orderkey % 7'))).toBe(true);
    const anonymous = await client.request<{ jobs: Job[] }>(
      'GET',
      '/api/v1/jobs?user=anonymous&limit=2&offset=1',
    );
    expect(anonymous.body.jobs).toHaveLength(2);
    expect(anonymous.body.jobs.map((j) => j.id)).toEqual(all.body.jobs.slice(1, 3).map((j) => j.id));
    expect((await client.request<{ jobs: Job[] }>('GET', '/api/v1/jobs?user=nobody')).body.jobs).toEqual([]);
  });

  it('after a crash and restart: history survives, running jobs are FAILED with a reason, results expire', async () => {
    const running = await submit(HEAVY);
    await waitFor('the heavy job running', async () => (await job(running)).state === 'RUNNING');
    await waitFor('its spool begun', () => existsSync(path.join(service!.dataDir, 'results', running)));
    service!.killNow();
    await service!.stop();
    restarted = await startTributary({
      executors: 1,
      dataDir: service!.dataDir,
      env: { TRIBUTARY_CLUSTER_SECRET: TEST_SECRET, TRIBUTARY_RESULTS_TTL_MS: '3000' },
    });
    const failed = await job(running);
    expect(failed).toMatchObject({ state: 'FAILED', errorCode: 'COORDINATOR_RESTARTED' });
    expect(failed.errorMessage).toContain('coordinator stopped');
    expect(existsSync(path.join(service!.dataDir, 'results', running))).toBe(false);
    expect(await job(done.large!)).toMatchObject({ state: 'COMPLETED', rowCount: 600_572 });

    // Results older than resultsTtlMs (3 s now) are gone: the start-up sweep deleted them.
    await sleep(Math.max(0, 3_100 - (Date.now() - Date.parse((await job(done.typed!)).finishedAt!))));
    expectErrorBody(
      await client.request('GET', `/api/v1/jobs/${done.typed}/results`),
      410,
      'JOB_RESULTS_EXPIRED',
    );
    await waitFor(
      'the sweeper',
      () => !existsSync(path.join(service!.dataDir, 'results', done.large!)),
      10_000,
    );

    // A new job's results are there until its ttl passes, then swept.
    const fresh = await submit('SELECT n_name FROM tiny.nation ORDER BY n_name');
    expect((await finished(fresh)).state).toBe('COMPLETED');
    const rows = await client.request<JsonPage>('GET', `/api/v1/jobs/${fresh}/results`);
    expect(rows.body.rowCount).toBe(25);
    await waitFor(
      'the new spool swept',
      () => !existsSync(path.join(service!.dataDir, 'results', fresh)),
      15_000,
    );
    expectErrorBody(await client.request('GET', `/api/v1/jobs/${fresh}/results`), 410, 'JOB_RESULTS_EXPIRED');
  });
});
