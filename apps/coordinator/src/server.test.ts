import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CatalogStore } from '@tributary/catalog';
import { AccessControl } from './auth/access-control.ts';
import { AuditLog } from './auth/audit-log.ts';
import { AuthService } from './auth/auth-service.ts';
import type { Security } from './auth/security.ts';
import { RequestError } from '@tributary/common';
import { ExecutorRegistry } from './executors/executor-registry.ts';
import { Readiness } from './executors/readiness.ts';
import { toTributaryError } from './http/http-errors.ts';
import { publicRoutes } from './http/openapi.ts';
import { ServiceMetrics } from './metrics/service-metrics.ts';
import type { JobService } from './jobs/job-service.ts';
import type { QueryRequest, QueryService } from './query/query-service.ts';
import type { QueryAdmission } from './scheduler/query-admission.ts';
import { buildServer, type ServerDeps } from './server.ts';
import type { SourceService, SourceView } from './sources/source-service.ts';

/** A source as the service shows it, with a field no schema lists (it must come through). */
const SOURCE: SourceView & { futureField: string } = {
  name: 'tpch',
  type: 'parquet',
  path: '/data/tpch',
  options: { binaryAsString: true, tables: { t: { header: false } } },
  createdAt: '2026-11-30T00:00:00.000Z',
  refreshedAt: '2026-11-30T00:00:01.000Z',
  tables: [
    {
      name: 'lineitem',
      columns: [{ name: 'l_quantity', type: 'DECIMAL(15,2)' }],
      settings: { delimiter: ',', nested: { a: [1, 2] } },
      snapshot: { fingerprint: 'abc', files: 2, bytes: 1234 },
    },
  ],
  futureField: 'kept',
};

describe('the HTTP service (schemas, errors, documentation, health, metrics)', () => {
  let app: FastifyInstance;
  const registry = new ExecutorRegistry(60_000);
  const started: QueryRequest[] = [];
  const admission = { runningCount: 1, queuedCount: 2 } as unknown as QueryAdmission;
  const metrics = new ServiceMetrics({ queries: admission, executors: registry });
  const sources = {
    register: async () => SOURCE,
    list: () => [SOURCE],
    get: (name: string) => {
      if (name !== 'tpch')
        throw new RequestError('SOURCE_NOT_FOUND', `no source named "${name}"`, { status: 404 });
      return SOURCE;
    },
    update: async () => ({
      source: SOURCE,
      changes: {
        added: ['a'],
        removed: [],
        changed: [{ name: 'b', schemaChanged: true, dataChanged: false }],
        unchanged: [],
      },
    }),
    refresh: async () => ({
      source: SOURCE,
      changes: { added: [], removed: [], changed: [], unchanged: ['x'] },
      skipped: true,
    }),
    remove: () => undefined,
    names: () => ['tpch'],
    locations: () => [],
  } as unknown as SourceService;
  const queries = {
    start: (request: QueryRequest) => {
      started.push(request);
      const result = Promise.reject(new RequestError('TABLE_NOT_FOUND', 'no table t'));
      result.catch(() => undefined);
      return { id: 'job-1', result };
    },
    cancel: (id: string) => id === 'running',
    runningJob: (id: string) => (id === 'running' ? { user: undefined } : undefined),
  } as unknown as QueryService;
  const jobs = {
    get: (id: string) => {
      if (id === 'running') return { id, user: 'anonymous', state: 'RUNNING' };
      throw new RequestError('JOB_NOT_FOUND', `no job ${id}`, { status: 404 });
    },
    cancel: (id: string) => {
      if (id === 'running') return { id, state: 'RUNNING' };
      throw new RequestError('JOB_NOT_FOUND', `no job ${id}`, { status: 404 });
    },
  } as unknown as JobService;

  beforeAll(async () => {
    const catalog = CatalogStore.open(':memory:');
    const audit = new AuditLog(catalog.users, () => undefined);
    const security: Security = {
      enabled: false,
      auth: new AuthService({ store: catalog.users, audit, sessionTtlMs: 60_000 }),
      access: new AccessControl(catalog.users),
      audit,
      users: catalog.users,
      rateLimitPerMinute: 0,
      sourceRoots: ['/data'],
      maxQueryTimeoutMs: 0,
      resolveObject: () => undefined,
    };
    const deps: ServerDeps = {
      catalog,
      security,
      registry,
      sources,
      queries,
      jobs,
      admission,
      clusterSecret: 'x'.repeat(32),
      readiness: new Readiness(registry, 1),
      metrics,
      maxRequestBytes: 4096,
      log: () => undefined,
    };
    app = await buildServer(deps);
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    registry.close();
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url,
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers: { 'content-type': 'application/json', ...headers },
    });

  describe('validation names the field, keeping the codes clients match on', () => {
    const cases: [string, string, unknown, number, string, string | undefined, RegExp?][] = [
      ['sql without sql', '/api/v1/sql', { query: 'SELECT 1' }, 400, 'INVALID_QUERY', '/sql'],
      ['sql not a string', '/api/v1/sql', { sql: 5 }, 400, 'INVALID_QUERY', '/sql'],
      ['empty sql', '/api/v1/sql', { sql: '' }, 400, 'INVALID_QUERY', '/sql'],
      [
        'context a number',
        '/api/v1/sql',
        { sql: 'SELECT 1', context: 5 },
        400,
        'INVALID_CONTEXT',
        '/context',
        /^body\/context must be a string, an array or null$/,
      ],
      [
        'a timeout that is text',
        '/api/v1/sql',
        { sql: 'SELECT 1', timeoutMs: 'soon' },
        400,
        'INVALID_TIMEOUT',
        '/timeoutMs',
        /^body\/timeoutMs must be a whole number or null$/,
      ],
      [
        'negative timeout',
        '/api/v1/sql',
        { sql: 'SELECT 1', timeoutMs: -3 },
        400,
        'INVALID_TIMEOUT',
        '/timeoutMs',
        /^body\/timeoutMs must be at least 1$/,
      ],
      [
        'fractional timeout',
        '/api/v1/sql',
        { sql: 'SELECT 1', timeoutMs: 1.5 },
        400,
        'INVALID_TIMEOUT',
        '/timeoutMs',
      ],
      [
        'options a string',
        '/api/v1/sql',
        { sql: 'SELECT 1', options: 'x' },
        400,
        'INVALID_OPTIONS',
        '/options',
      ],
      [
        'disabledRules not a list',
        '/api/v1/sql',
        { sql: 'SELECT 1', options: { disabledRules: 'join_order' } },
        400,
        'INVALID_OPTIONS',
        '/options/disabledRules',
      ],
      [
        'an unknown field',
        '/api/v1/sql',
        { sql: 'SELECT 1', contxt: 'demo' },
        400,
        'INVALID_FIELD',
        '/contxt',
        /did you mean "context"/,
      ],
      ['a body that is an array', '/api/v1/sql', [1], 400, 'INVALID_BODY', ''],
      ['a body that is a string', '/api/v1/sql', '"SELECT 1"', 400, 'INVALID_BODY', ''],
      [
        'an unknown source type',
        '/api/v1/sources',
        { name: 'x', type: 'xlsx', path: '/d' },
        400,
        'INVALID_SOURCE_TYPE',
        '/type',
        /^body\/type must be one of csv, parquet, sqlite$/,
      ],
      [
        'a source without a path',
        '/api/v1/sources',
        { name: 'x', type: 'csv' },
        400,
        'INVALID_SOURCE_PATH',
        '/path',
        /body\/path is required/,
      ],
      [
        'a bad source name',
        '/api/v1/sources',
        { name: '1x', type: 'csv', path: '/d' },
        400,
        'INVALID_SOURCE_NAME',
        '/name',
      ],
      [
        'source options not an object',
        '/api/v1/sources',
        { name: 'x', type: 'csv', path: '/d', options: 'x' },
        400,
        'INVALID_SOURCE_OPTIONS',
        '/options',
      ],
      [
        'a source field misspelt',
        '/api/v1/sources',
        { name: 'x', type: 'csv', path: '/d', option: {} },
        400,
        'INVALID_FIELD',
        '/option',
        /did you mean "options"/,
      ],
    ];
    for (const [what, url, body, status, code, field, message] of cases) {
      it(`${what}: ${status} ${code}`, async () => {
        const before = started.length;
        const answer = await post(url, body);
        expect(answer.statusCode, answer.body).toBe(status);
        const error = answer.json();
        expect(error).toMatchObject({ code, phase: 'request', field });
        if (message) expect(error.message).toMatch(message);
        expect(started.length, 'the service never saw the request').toBe(before);
      });
    }

    it('validates PUT bodies of sources', async () => {
      const answer = await app.inject({
        method: 'PUT',
        url: '/api/v1/sources/tpch',
        payload: { options: 'x' },
      });
      expect(answer.statusCode).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'INVALID_SOURCE_OPTIONS', field: '/options' });
      const ok = await app.inject({ method: 'PUT', url: '/api/v1/sources/tpch', payload: { options: {} } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().changes.changed).toEqual([{ name: 'b', schemaChanged: true, dataChanged: false }]);
    });

    it('lets a valid query through to the service as sent', async () => {
      const body = { sql: 'SELECT 1', context: ['demo'], timeoutMs: 100, options: { scanPushdown: false } };
      const answer = await post('/api/v1/sql', body);
      expect(answer.json()).toMatchObject({ code: 'TABLE_NOT_FOUND' });
      expect(started.at(-1)).toEqual({ ...body, queryType: 'REST' });
    });

    it('validates internal registrations with their own code, after the cluster signature', async () => {
      const unsigned = await post('/internal/v1/executors/register', { id: 5 });
      expect(unsigned.statusCode).toBe(401);
      expect(unsigned.json().code).toBe('CLUSTER_AUTH_REQUIRED');
    });
  });

  describe('one error shape for fastify’s own failures', () => {
    it('404 for an unknown route', async () => {
      const answer = await app.inject({ method: 'GET', url: '/api/v1/nope' });
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toMatchObject({ code: 'NOT_FOUND', phase: 'request' });
    });

    it('400 INVALID_JSON for a body that is not JSON, and for an empty JSON body', async () => {
      const bad = await post('/api/v1/sql', '{"sql": "SELECT 1');
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'INVALID_JSON', phase: 'request' });
      const empty = await post('/api/v1/sql', '');
      expect(empty.statusCode).toBe(400);
      expect(empty.json()).toMatchObject({ code: 'INVALID_JSON' });
    });

    it('413 REQUEST_TOO_LARGE past maxRequestBytes, naming the setting', async () => {
      const answer = await post('/api/v1/sql', { sql: `SELECT '${'x'.repeat(5000)}'` });
      expect(answer.statusCode).toBe(413);
      expect(answer.json()).toMatchObject({ code: 'REQUEST_TOO_LARGE', phase: 'request' });
      expect(answer.json().message).toContain('maxRequestBytes');
    });

    it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON by its content type', async () => {
      const answer = await post('/api/v1/sql', 'sql=SELECT 1', {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(answer.statusCode).toBe(415);
      expect(answer.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', phase: 'request' });
    });

    it("a plugin's refusal keeps its status, with a stable code", async () => {
      const limited = Object.assign(new Error('Rate limit exceeded, retry in 1 minute'), { statusCode: 429 });
      expect(toTributaryError(limited, undefined, { maxRequestBytes: 1 }).toBody()).toEqual({
        code: 'RATE_LIMITED',
        message: 'Rate limit exceeded, retry in 1 minute',
        phase: 'request',
      });
      expect(toTributaryError(limited, undefined, { maxRequestBytes: 1 }).status).toBe(429);
      expect(toTributaryError(new Error('boom'), undefined, { maxRequestBytes: 1 })).toMatchObject({
        code: 'INTERNAL_ERROR',
        status: 500,
      });
    });

    it('a service error keeps its code and status through the response schema', async () => {
      const answer = await app.inject({ method: 'GET', url: '/api/v1/sources/nope' });
      expect(answer.statusCode).toBe(404);
      expect(answer.json()).toEqual({
        code: 'SOURCE_NOT_FOUND',
        message: 'no source named "nope"',
        phase: 'request',
      });
      const cancel = await post('/api/v1/jobs/nope/cancel', {});
      expect(cancel.statusCode).toBe(404);
      expect(cancel.json()).toMatchObject({ code: 'JOB_NOT_FOUND' });
    });
  });

  describe('response schemas strip nothing', () => {
    it('sources come back whole, free-form options and settings included', async () => {
      const created = await post('/api/v1/sources', { name: 'tpch', type: 'parquet', path: '/data/tpch' });
      expect(created.statusCode).toBe(201);
      expect(created.json()).toEqual(SOURCE);
      expect((await app.inject({ method: 'GET', url: '/api/v1/sources/tpch' })).json()).toEqual(SOURCE);
      expect((await app.inject({ method: 'GET', url: '/api/v1/sources' })).json()).toEqual({
        sources: [SOURCE],
      });
      const refreshed = await app.inject({ method: 'POST', url: '/api/v1/sources/tpch/refresh' });
      expect(refreshed.json()).toEqual({
        source: SOURCE,
        changes: { added: [], removed: [], changed: [], unchanged: ['x'] },
        skipped: true,
      });
      const removed = await app.inject({ method: 'DELETE', url: '/api/v1/sources/tpch' });
      expect(removed.statusCode).toBe(204);
      expect(removed.body).toBe('');
    });

    it('cancel answers the job and its state', async () => {
      const answer = await post('/api/v1/jobs/running/cancel', {});
      expect(answer.json()).toEqual({ id: 'running', state: 'RUNNING' });
    });
  });

  describe('health', () => {
    it('is live at once, and ready (status ok) only once an executor registered', async () => {
      const live = await app.inject({ method: 'GET', url: '/api/v1/health/live' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'live' });
      const notReady = await app.inject({ method: 'GET', url: '/api/v1/health/ready' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toMatchObject({
        code: 'NOT_READY',
        details: { executorsActive: 0, executorsRequired: 1 },
      });
      expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).json()).toMatchObject({
        status: 'starting',
        ready: false,
        executors: [],
      });
      registry.register({ id: 'e1', url: 'http://127.0.0.1:9', instance: 'i1', threads: 2, pid: 42 });
      const ready = await app.inject({ method: 'GET', url: '/api/v1/health/ready' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({
        status: 'ready',
        ready: true,
        executorsActive: 1,
        executorsRequired: 1,
      });
      const health = (await app.inject({ method: 'GET', url: '/api/v1/health' })).json();
      expect(health).toMatchObject({ status: 'ok', ready: true });
      expect(health.executors).toEqual([
        { id: 'e1', url: 'http://127.0.0.1:9', pid: 42, state: 'active', lastHeartbeat: expect.any(String) },
      ]);
    });
  });

  describe('metrics', () => {
    it('keeps the JSON metrics and serves Prometheus text', async () => {
      const json = (await app.inject({ method: 'GET', url: '/api/v1/metrics' })).json();
      expect(json).toMatchObject({
        queries: { running: 1, queued: 2 },
        eventLoopDelayMs: { p50: expect.any(Number) },
      });
      metrics.queryEnded({ state: 'completed', durationMs: 30 });
      const answer = await app.inject({ method: 'GET', url: '/metrics' });
      expect(answer.statusCode).toBe(200);
      expect(answer.headers['content-type']).toContain('text/plain; version=0.0.4');
      expect(answer.body).toContain('tributary_queries_total{state="completed"} 1\n');
      expect(answer.body).toContain('tributary_queries_queued 2\n');
    });
  });

  describe('the OpenAPI document', () => {
    type Operation = {
      tags?: string[];
      summary?: string;
      requestBody?: { content: Record<string, { schema: unknown }> };
      parameters?: { in: string; name: string }[];
      responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
    };
    let document: {
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };

    beforeAll(async () => {
      const answer = await app.inject({ method: 'GET', url: '/api/docs/json' });
      expect(answer.statusCode).toBe(200);
      document = answer.json();
    });

    it('documents every public route with its tags, summary, request and response schemas', () => {
      const routes = publicRoutes(app);
      expect(routes.length).toBeGreaterThanOrEqual(12);
      for (const route of routes) {
        const path = route.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}');
        const operation = document.paths[path]?.[route.method.toLowerCase()];
        expect(operation, `${route.method} ${route.url} is documented`).toBeDefined();
        expect(operation.tags?.length, `${route.method} ${route.url} has a tag`).toBeGreaterThan(0);
        expect(operation.summary, `${route.method} ${route.url} has a summary`).toBeTruthy();
        const schema = route.schema ?? {};
        expect(schema.response, `${route.method} ${route.url} declares its responses`).toBeDefined();
        const success = Object.keys(operation.responses).find((s) => s.startsWith('2'));
        expect(success, `${route.method} ${route.url} documents its success`).toBeDefined();
        expect(
          JSON.stringify(operation.responses['4XX']?.content?.['application/json']?.schema),
          `${route.method} ${route.url} documents its errors as the shared body`,
        ).toContain('#/components/schemas/ErrorBody');
        if (schema.body) expect(operation.requestBody?.content['application/json']?.schema).toBeDefined();
        if (schema.params) {
          const names = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
          expect(names.length).toBeGreaterThan(0);
        }
      }
      for (const [method, url] of [
        ['post', '/api/v1/sql'],
        ['post', '/api/v1/sources'],
        ['put', '/api/v1/sources/{name}'],
        ['get', '/api/v1/health/ready'],
        ['get', '/metrics'],
      ])
        expect(document.paths[url]?.[method], `${method} ${url}`).toBeDefined();
    });

    it('shares the error body as a component and refers to it', () => {
      expect(document.components.schemas.ErrorBody).toMatchObject({
        type: 'object',
        required: expect.arrayContaining(['code', 'message', 'phase']),
      });
      const error = document.paths['/api/v1/sql'].post.responses['400'].content!['application/json'].schema;
      expect(JSON.stringify(error)).toContain('#/components/schemas/ErrorBody');
    });

    it('hides the internal routes and the console page', () => {
      expect(Object.keys(document.paths).filter((p) => p.startsWith('/internal') || p === '/')).toEqual([]);
    });

    it('is served as YAML too, with a browsable UI', async () => {
      const yaml = await app.inject({ method: 'GET', url: '/api/docs/yaml' });
      expect(yaml.statusCode).toBe(200);
      expect(yaml.body).toContain('openapi: 3.1.0');
      const ui = await app.inject({ method: 'GET', url: '/api/docs' });
      const page =
        ui.statusCode === 302 ? await app.inject({ method: 'GET', url: ui.headers.location! }) : ui;
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('swagger-ui');
    });
  });
});
