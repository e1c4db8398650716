import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, type PrometheusFamily } from '../src/metrics/prometheus-text.ts';
import { StandaloneExecutor, TEST_SECRET, waitFor } from './cluster-harness.ts';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

const parquet = path.join(tpchRoot, 'sf0.01', 'parquet');

interface HealthBody {
  status: string;
  ready: boolean;
  executorsActive: number;
  executorsRequired: number;
  executors: { id: string; state: string }[];
}

/** The value of one sample of a parsed family, matched by name and labels. */
function sample(
  families: Map<string, PrometheusFamily>,
  family: string,
  labels: Record<string, string> = {},
  name = family,
): number {
  const found = families
    .get(family)
    ?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (!found) throw new Error(`no sample ${name}${JSON.stringify(labels)}`);
  return found.value;
}

describe('health (live and ready) and Prometheus metrics, executors as their own services', () => {
  let service: TributaryProcess | undefined;
  let executor: StandaloneExecutor | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    // Nothing embedded; one executor is needed; a lost executor is noticed within 1.5 s.
    service = await startTributary({
      executors: 0,
      env: {
        TRIBUTARY_CLUSTER_SECRET: TEST_SECRET,
        TRIBUTARY_MIN_EXECUTORS: '1',
        TRIBUTARY_HEARTBEAT_TIMEOUT_MS: '1500',
      },
    });
  });

  afterAll(async () => {
    executor?.kill();
    await service?.dispose();
  });

  it('is live but not ready (status starting) before an executor registers', async () => {
    const live = await client.request<{ status: string }>('GET', '/api/v1/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'live' });
    const ready = await client.request('GET', '/api/v1/health/ready');
    const body = expectErrorBody(ready, 503, 'NOT_READY');
    expect(body.message).toContain('TRIBUTARY_MIN_EXECUTORS');
    const health = await client.request<HealthBody>('GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'starting',
      ready: false,
      executorsActive: 0,
      executorsRequired: 1,
    });
    expect(health.body.executors).toEqual([]);
  });

  it('becomes ready (status ok) once the executor registered', async () => {
    executor = new StandaloneExecutor(service!.url, { TRIBUTARY_HEARTBEAT_INTERVAL_MS: '300' });
    await waitFor(
      'ready',
      async () => (await client.request('GET', '/api/v1/health/ready')).status === 200,
      30_000,
    );
    const ready = await client.request<Record<string, unknown>>('GET', '/api/v1/health/ready');
    expect(ready.body).toEqual({ status: 'ready', ready: true, executorsActive: 1, executorsRequired: 1 });
    const health = await client.request<HealthBody>('GET', '/api/v1/health');
    expect(health.body).toMatchObject({ status: 'ok', ready: true, executorsActive: 1 });
    expect(health.body.executors.map((e) => e.state)).toEqual(['active']);
  });

  it('exposes Prometheus text counting the queries run, by final state, with their latency', async () => {
    const before = parsePrometheusText((await client.request('GET', '/metrics')).text);
    const completedBefore = sample(before, 'tributary_queries_total', { state: 'completed' });
    const failedBefore = sample(before, 'tributary_queries_total', { state: 'failed' });

    await client.addSource({ name: 'tpch', type: 'parquet', path: parquet });
    for (const sql of [
      'SELECT count(*) AS n FROM tpch.lineitem',
      'SELECT n_name FROM tpch.nation ORDER BY n_name LIMIT 3',
      'SELECT 1 AS one',
    ]) {
      const answer = await client.sqlAnswer(sql);
      expect(answer.status, answer.text).toBe(200);
    }
    expectErrorBody(await client.sqlAnswer('SELECT * FROM tpch.nowhere'), 400, 'TABLE_NOT_FOUND');

    const answer = await client.request('GET', '/metrics');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toContain('text/plain');
    expect(answer.contentType).toContain('version=0.0.4');
    const families = parsePrometheusText(answer.text);
    expect(sample(families, 'tributary_queries_total', { state: 'completed' }) - completedBefore).toBe(3);
    expect(sample(families, 'tributary_queries_total', { state: 'failed' }) - failedBefore).toBe(1);
    expect(families.get('tributary_queries_total')!.type).toBe('counter');

    const latency = families.get('tributary_query_duration_seconds')!;
    expect(latency.type).toBe('histogram');
    const count = sample(
      families,
      'tributary_query_duration_seconds',
      { state: 'completed' },
      'tributary_query_duration_seconds_count',
    );
    const inf = sample(
      families,
      'tributary_query_duration_seconds',
      { state: 'completed', le: '+Inf' },
      'tributary_query_duration_seconds_bucket',
    );
    expect(count).toBeGreaterThanOrEqual(3);
    expect(inf).toBe(count);
    const sum = sample(
      families,
      'tributary_query_duration_seconds',
      { state: 'completed' },
      'tributary_query_duration_seconds_sum',
    );
    expect(sum).toBeGreaterThan(0);
    expect(sum).toBeLessThan(60 * count);
    // Cumulative buckets never decrease.
    const buckets = latency.samples
      .filter((s) => s.name.endsWith('_bucket') && s.labels.state === 'completed')
      .map((s) => s.value);
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));

    expect(sample(families, 'tributary_queries_running')).toBe(0);
    expect(sample(families, 'tributary_queries_queued')).toBe(0);
    expect(sample(families, 'tributary_executors', { state: 'active' })).toBe(1);
    expect(sample(families, 'tributary_executor_threads')).toBe(1);
    expect(sample(families, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(sample(families, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(families, 'tributary_event_loop_delay_seconds', { quantile: '0.99' })).toBeGreaterThan(0);
    expect(sample(families, 'tributary_event_loop_delay_seconds', { quantile: '0.99' })).toBeLessThan(5);

    // The JSON metrics stay as they were.
    const json = await client.request<{ queries: { running: number }; executors: { active: number } }>(
      'GET',
      '/api/v1/metrics',
    );
    expect(json.body).toMatchObject({
      queries: { running: 0, queued: 0 },
      executors: { active: 1, threads: 1 },
    });
  });

  it('is no longer ready (status degraded) when the executor is lost', async () => {
    executor!.kill();
    await waitFor(
      'not ready',
      async () => (await client.request('GET', '/api/v1/health/ready')).status === 503,
      10_000,
    );
    const health = await client.request<HealthBody>('GET', '/api/v1/health');
    expect(health.body).toMatchObject({ status: 'degraded', ready: false, executorsActive: 0 });
    expect((await client.request('GET', '/api/v1/health/live')).status).toBe(200);
    const families = parsePrometheusText((await client.request('GET', '/metrics')).text);
    expect(sample(families, 'tributary_executors', { state: 'lost' })).toBe(1);
  });
});

describe('source roots at start-up', () => {
  it('stops start-up on a root that does not exist, naming it and the setting', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'tributary-roots-'));
    const missing = path.join(scratch, 'not-there');
    try {
      const failed = await startTributary({
        executors: 1,
        env: { TRIBUTARY_SOURCE_ROOTS: `${scratch}:${missing}` },
        readyTimeoutMs: 30_000,
      }).then(
        async (service) => {
          await service.dispose();
          return undefined;
        },
        (error: Error) => error.message,
      );
      expect(failed).toBeDefined();
      expect(failed).toContain('process exited early (code 1');
      expect(failed).toContain(
        `cannot start: configuration key "sourceRoots (TRIBUTARY_SOURCE_ROOTS)": folder "${missing}" does not exist`,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
