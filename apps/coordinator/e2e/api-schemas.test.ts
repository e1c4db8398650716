import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectErrorBody } from './expect-error-body.ts';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';

const parquet = path.join(tpchRoot, 'sf0.01', 'parquet');
const MAX_REQUEST_BYTES = 64 * 1024;
const PETS = 'name,legs\ncat,4\nbird,2\n';

/** The public routes of the service; each must be in the OpenAPI document with its schemas. */
const USER_ROUTES: [method: string, path: string, hasBody: boolean][] = [
  ['get', '/api/v1/health', false],
  ['get', '/api/v1/health/live', false],
  ['get', '/api/v1/health/ready', false],
  ['get', '/api/v1/metrics', false],
  ['get', '/metrics', false],
  ['post', '/api/v1/sources', true],
  ['get', '/api/v1/sources', false],
  ['get', '/api/v1/sources/{name}', false],
  ['put', '/api/v1/sources/{name}', true],
  ['delete', '/api/v1/sources/{name}', false],
  ['post', '/api/v1/sources/{name}/refresh', false],
  ['post', '/api/v1/sql', true],
  ['get', '/api/v1/functions', false],
  ['post', '/api/v1/jobs/{id}/cancel', false],
  ['post', '/api/v1/jobs', true],
  ['get', '/api/v1/jobs', false],
  ['get', '/api/v1/jobs/{id}', false],
  ['get', '/api/v1/jobs/{id}/results', false],
  ['get', '/api/v1/jobs/{id}/events', false],
  ['post', '/api/v1/spaces', true],
  ['get', '/api/v1/spaces', false],
  ['get', '/api/v1/spaces/{name}', false],
  ['delete', '/api/v1/spaces/{name}', false],
  ['post', '/api/v1/folders', true],
  ['get', '/api/v1/folders/{*}', false],
  ['delete', '/api/v1/folders/{*}', false],
  ['post', '/api/v1/views', true],
  ['get', '/api/v1/views', false],
  ['get', '/api/v1/views/{*}', false],
  ['put', '/api/v1/views/{*}', true],
  ['delete', '/api/v1/views/{*}', false],
  ['post', '/api/v1/login', true],
  ['delete', '/api/v1/login', false],
  ['post', '/apiv2/login', true],
  ['delete', '/apiv2/login', false],
  // Its body is an intersection (allOf), not a plain object schema.
  ['post', '/api/v1/setup', false],
  ['get', '/api/v1/users/me', false],
  ['post', '/api/v1/users/me/tokens', true],
  ['get', '/api/v1/users/me/tokens', false],
  ['delete', '/api/v1/users/me/tokens/{tid}', false],
  ['get', '/api/v1/users', false],
  ['post', '/api/v1/users', true],
  ['get', '/api/v1/users/{name}', false],
  ['put', '/api/v1/users/{name}/password', true],
  ['delete', '/api/v1/users/{name}', false],
  ['get', '/api/v1/grants', false],
  ['post', '/api/v1/grants', true],
  ['delete', '/api/v1/grants', true],
  ['get', '/api/v1/audit', false],
  // Dremio's REST API v3 (e2e/dremio-v3-api.test.ts).
  ['post', '/api/v3/sql', true],
  ['get', '/api/v3/job/{id}', false],
  ['get', '/api/v3/job/{id}/results', false],
  ['post', '/api/v3/job/{id}/cancel', false],
  ['get', '/api/v3/catalog', false],
  ['get', '/api/v3/catalog/{id}', false],
  ['get', '/api/v3/catalog/by-path/{*}', false],
  ['post', '/api/v3/catalog', true],
  ['put', '/api/v3/catalog/{id}', true],
  ['delete', '/api/v3/catalog/{id}', false],
  // Reflections (e2e/reflections.test.ts).
  ['get', '/api/v1/reflections', false],
  ['post', '/api/v1/reflections', true],
  ['get', '/api/v1/reflections/{id}', false],
  ['put', '/api/v1/reflections/{id}', true],
  ['delete', '/api/v1/reflections/{id}', false],
  ['post', '/api/v1/reflections/{id}/refresh', false],
  ['get', '/api/v3/reflection', false],
  ['get', '/api/v3/dataset/{id}/reflection', false],
  ['get', '/api/v3/reflection/{id}', false],
  ['post', '/api/v3/reflection', true],
  ['put', '/api/v3/reflection/{id}', true],
  ['delete', '/api/v3/reflection/{id}', false],
];

interface Operation {
  tags?: string[];
  summary?: string;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: unknown }> }>;
}

describe('API schemas, errors and documentation', () => {
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');
  const scratch = mkdtempSync(path.join(tmpdir(), 'tributary-e2e-api-'));
  const second = path.join(scratch, 'second root');

  beforeAll(async () => {
    mkdirSync(second);
    writeFileSync(path.join(second, 'pets.csv'), PETS);
    service = await startTributary({
      executors: 1,
      // Two roots as PATH lists them: before, this was taken as one folder named "a:b".
      env: {
        TRIBUTARY_SOURCE_ROOTS: `${dataRoot}:${second}`,
        TRIBUTARY_MAX_REQUEST_BYTES: String(MAX_REQUEST_BYTES),
      },
    });
    await client.addSource({ name: 'tpch', type: 'parquet', path: parquet });
  });

  afterAll(async () => {
    await service?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('validation: a 400 naming the field, with the code clients match on', () => {
    const cases: [what: string, method: string, route: string, body: unknown, code: string, field: string][] =
      [
        ['sql not a string', 'POST', '/api/v1/sql', { sql: 42 }, 'INVALID_QUERY', '/sql'],
        ['sql missing', 'POST', '/api/v1/sql', { query: 'SELECT 1' }, 'INVALID_QUERY', '/sql'],
        [
          'a misspelt field',
          'POST',
          '/api/v1/sql',
          { sql: 'SELECT 1', timeout: 5 },
          'INVALID_FIELD',
          '/timeout',
        ],
        [
          'a context that is a number',
          'POST',
          '/api/v1/sql',
          { sql: 'SELECT 1', context: 1 },
          'INVALID_CONTEXT',
          '/context',
        ],
        [
          'a timeout below 1',
          'POST',
          '/api/v1/sql',
          { sql: 'SELECT 1', timeoutMs: 0 },
          'INVALID_TIMEOUT',
          '/timeoutMs',
        ],
        [
          'options that are a list',
          'POST',
          '/api/v1/sql',
          { sql: 'SELECT 1', options: [] },
          'INVALID_OPTIONS',
          '/options',
        ],
        ['a body that is a list', 'POST', '/api/v1/sql', ['SELECT 1'], 'INVALID_BODY', ''],
        [
          'an unknown source type',
          'POST',
          '/api/v1/sources',
          { name: 'x', type: 'xlsx', path: parquet },
          'INVALID_SOURCE_TYPE',
          '/type',
        ],
        [
          'a source without a name',
          'POST',
          '/api/v1/sources',
          { type: 'csv', path: parquet },
          'INVALID_SOURCE_NAME',
          '/name',
        ],
        [
          'a source path that is not a string',
          'POST',
          '/api/v1/sources',
          { name: 'x', type: 'csv', path: 7 },
          'INVALID_SOURCE_PATH',
          '/path',
        ],
        [
          'a misspelt source field',
          'POST',
          '/api/v1/sources',
          { name: 'x', type: 'csv', path: parquet, optons: {} },
          'INVALID_FIELD',
          '/optons',
        ],
        [
          'source options that are a string',
          'PUT',
          '/api/v1/sources/tpch',
          { options: 'x' },
          'INVALID_SOURCE_OPTIONS',
          '/options',
        ],
        [
          'a changed path that is empty',
          'PUT',
          '/api/v1/sources/tpch',
          { path: '' },
          'INVALID_SOURCE_PATH',
          '/path',
        ],
      ];
    for (const [what, method, route, body, code, field] of cases) {
      it(`${method} ${route}: ${what} → ${code} ${field || '(the body)'}`, async () => {
        const body_ = expectErrorBody(await client.request(method, route, body), 400, code);
        expect(body_.field).toBe(field);
        if (field !== '') expect(body_.message).toContain(field.slice(1));
      });
    }

    it('says what a source type must be', async () => {
      const answer = await client.request('POST', '/api/v1/sources', {
        name: 'x',
        type: 'xlsx',
        path: parquet,
      });
      expect(answer.body).toMatchObject({
        code: 'INVALID_SOURCE_TYPE',
        message: 'body/type must be one of csv, parquet, sqlite',
        field: '/type',
      });
    });

    it('suggests the field meant', async () => {
      const answer = await client.request('POST', '/api/v1/sql', { sql: 'SELECT 1', contxt: 'tpch' });
      expect(expectErrorBody(answer, 400, 'INVALID_FIELD').message).toContain('did you mean "context"?');
    });

    it('changed nothing on a refused PUT, and still runs a valid request', async () => {
      const source = await client.request<{ tables: unknown[] }>('GET', '/api/v1/sources/tpch');
      expect(source.status).toBe(200);
      expect(source.body.tables).toHaveLength(8);
      const ok = await client.request<{ rows: unknown[][] }>('POST', '/api/v1/sql', {
        sql: 'SELECT count(*) AS n FROM nation',
        context: 'tpch',
        timeoutMs: 30_000,
        options: { disabledRules: [], scanPushdown: true },
      });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body.rows).toEqual([['25']]);
    });
  });

  describe('one error shape for failures fastify detects itself', () => {
    it('404 NOT_FOUND for an unknown route', async () => {
      expectErrorBody(await client.request('GET', '/api/v1/nothing-here'), 404, 'NOT_FOUND');
      expectErrorBody(await client.request('DELETE', '/api/v1/sql'), 404, 'NOT_FOUND');
    });

    it('400 INVALID_JSON for a body that is not JSON', async () => {
      expectErrorBody(
        await client.request('POST', '/api/v1/sql', undefined, { rawBody: '{"sql": ' }),
        400,
        'INVALID_JSON',
      );
    });

    it('413 REQUEST_TOO_LARGE past maxRequestBytes', async () => {
      const sql = `SELECT '${'x'.repeat(MAX_REQUEST_BYTES)}' AS big`;
      const body = expectErrorBody(
        await client.request('POST', '/api/v1/sql', { sql }),
        413,
        'REQUEST_TOO_LARGE',
      );
      expect(body.message).toContain(String(MAX_REQUEST_BYTES));
      expect(body.message).toContain('TRIBUTARY_MAX_REQUEST_BYTES');
    });

    it('415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON by its type', async () => {
      const answer = await client.request('POST', '/api/v1/sql', undefined, {
        rawBody: 'SELECT 1',
        headers: { 'content-type': 'text/csv' },
      });
      expectErrorBody(answer, 415, 'UNSUPPORTED_MEDIA_TYPE');
    });
  });

  describe('source roots', () => {
    it('takes a second root from a ":"-separated TRIBUTARY_SOURCE_ROOTS', async () => {
      const source = await client.addSource({
        name: 'pets',
        type: 'csv',
        path: path.join(second, 'pets.csv'),
      });
      expect(source.tables.map((t) => t.name)).toEqual(['pets']);
      const result = await client.sql('SELECT name FROM pets.pets ORDER BY legs');
      expect(result.rows).toEqual([['bird'], ['cat']]);
    });

    it('tells a refused path the allowed roots and the setting', async () => {
      const body = expectErrorBody(
        await client.addSourceAnswer({ name: 'etc', type: 'csv', path: '/etc/hosts' }),
        400,
        'PATH_NOT_ALLOWED',
      );
      expect(body.message).toContain(`"${dataRoot}"`);
      expect(body.message).toContain(`"${second}"`);
      expect(body.message).toContain('TRIBUTARY_SOURCE_ROOTS');
      expect(body.details?.allowedRoots).toEqual(expect.arrayContaining([dataRoot, second]));
    });
  });

  describe('responses keep every field', () => {
    it("shows a CSV table's sniffed settings and snapshot", async () => {
      const answer = await client.request<{ tables: Record<string, unknown>[] }>(
        'GET',
        '/api/v1/sources/pets',
      );
      expect(answer.status).toBe(200);
      const [table] = answer.body.tables;
      expect(table.columns).toEqual([
        { name: 'name', type: 'VARCHAR' },
        { name: 'legs', type: 'BIGINT' },
      ]);
      expect(table.settings).toMatchObject({ delimiter: ',', header: true });
      expect(table.snapshot).toMatchObject({ files: 1, bytes: PETS.length, fingerprint: expect.any(String) });
    });

    it('answers a query with all its fields', async () => {
      const answer = await client.sqlAnswer('SELECT 1 AS one');
      expect(Object.keys(answer.body).sort()).toEqual(['columns', 'elapsedMs', 'jobId', 'rowCount', 'rows']);
    });
  });

  describe('the OpenAPI document', () => {
    let document: {
      openapi: string;
      info: { title: string };
      paths: Record<string, Record<string, Operation>>;
      components: { schemas: Record<string, unknown> };
    };

    beforeAll(async () => {
      const answer = await client.request<typeof document>('GET', '/api/docs/json');
      expect(answer.status).toBe(200);
      document = answer.body;
    });

    it('documents every user route with a tag, a summary, its body and its responses', () => {
      expect(document.openapi).toMatch(/^3\./);
      expect(document.info.title).toBe('Tributary');
      for (const [method, route, hasBody] of USER_ROUTES) {
        const operation = document.paths[route]?.[method];
        const name = `${method.toUpperCase()} ${route}`;
        expect(operation, name).toBeDefined();
        expect(operation.tags?.length, name).toBeGreaterThan(0);
        expect(operation.summary, name).toBeTruthy();
        if (hasBody)
          expect(operation.requestBody?.content['application/json'].schema.type, name).toBe('object');
        const success = Object.entries(operation.responses).find(([status]) => status.startsWith('2'));
        expect(success, name).toBeDefined();
        const error = operation.responses['4XX'].content?.['application/json']?.schema;
        expect(JSON.stringify(error), name).toContain('#/components/schemas/ErrorBody');
      }
      const documented = Object.entries(document.paths).flatMap(([route, methods]) =>
        Object.keys(methods).map((method) => `${method} ${route}`),
      );
      expect(documented.sort()).toEqual(USER_ROUTES.map(([m, r]) => `${m} ${r}`).sort());
    });

    it('describes the error body once, as a shared component', () => {
      expect(document.components.schemas.ErrorBody).toMatchObject({
        type: 'object',
        required: ['code', 'message', 'phase'],
      });
    });

    it('names the fields of a request body with their types', () => {
      const sql = document.paths['/api/v1/sql'].post.requestBody!.content['application/json'].schema;
      expect(sql).toMatchObject({
        required: ['sql'],
        properties: { sql: { type: 'string' }, timeoutMs: expect.any(Object), options: expect.any(Object) },
      });
      const source = document.paths['/api/v1/sources'].post.requestBody!.content['application/json'].schema;
      expect(source).toMatchObject({ properties: { type: { enum: ['csv', 'parquet', 'sqlite'] } } });
    });

    it('is served as YAML, and the UI page loads with its assets', async () => {
      const yaml = await client.request('GET', '/api/docs/yaml');
      expect(yaml.status).toBe(200);
      expect(yaml.text).toContain('/api/v1/sql:');
      const page = await fetch(`${service!.url}/api/docs`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('swagger-ui');
      const scripts = [...html.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const script of scripts) {
        const asset = await fetch(new URL(script, `${service!.url}/api/docs/`));
        expect(asset.status, script).toBe(200);
      }
    });
  });
});
