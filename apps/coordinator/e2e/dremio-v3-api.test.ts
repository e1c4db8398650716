import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { waitFor } from './cluster-harness.ts';
import { expectErrorBody } from './expect-error-body.ts';
import { dataRoot, startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import type { HttpAnswer } from './tributary-client.ts';

/** A join whose pairs take many seconds to count: still running when its results are asked for. */
const HEAVY = 'SELECT count(*) AS n FROM lineitem a, lineitem b WHERE a.l_extendedprice > b.l_extendedprice';

const ADMIN = { user: 'root', password: 'root-Pa55word-v3api' };
const ANN = { user: 'ann', password: 'ann-Pa55word-v3api' };

/**
 * The JSON text with every bare number turned into a string of its digits, so exact decimals
 * and 64-bit integers reach the comparison digit for digit (JSON.parse would round them).
 */
function numbersAsText(json: string): string {
  let out = '';
  let i = 0;
  while (i < json.length) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      out += json.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(json.slice(i, i + 64))!;
      out += `"${match[0]}"`;
      i += match[0].length;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

interface DremioField {
  name: string;
  type: { name: string; precision?: number; scale?: number };
}

/** Dremio's type back to Tributary's name, to compare with DuckDB's (tributaryTypeName). */
const typeName = (t: DremioField['type']) =>
  t.name === 'DECIMAL' ? `DECIMAL(${t.precision},${t.scale})` : t.name;

/**
 * Dremio's REST API v3 against a cluster with auth on. Every shape is checked field by field
 * against the example Dremio documents for it (docs.dremio.com, API Reference), quoted at each
 * test; results are compared with DuckDB on the same files, decimals to the digit.
 */
describe("Dremio's REST API v3", () => {
  let service: TributaryProcess | undefined;
  let scratch: string;
  let oracle: DuckDbOracle | undefined;
  const tokens: Record<string, string> = {};
  /** Ids and tags read before the restart, to compare after it. */
  const before: Record<string, { id: string; tag: string }> = {};

  async function call<T = Record<string, unknown>>(
    method: string,
    route: string,
    options: { token?: string; body?: unknown } = {},
  ): Promise<HttpAnswer<T>> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `_dremio${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${service!.url}${route}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const body = contentType.includes('json') && text !== '' ? (JSON.parse(text) as unknown) : undefined;
    return { status: response.status, body: body as T, text, contentType };
  }
  const admin = <T = Record<string, unknown>>(method: string, route: string, body?: unknown) =>
    call<T>(method, route, { token: tokens.root, body });
  const asAnn = <T = Record<string, unknown>>(method: string, route: string, body?: unknown) =>
    call<T>(method, route, { token: tokens.ann, body });

  /** An error in our shape (code) with Dremio's `errorMessage` beside it. */
  function expectV3Error(answer: HttpAnswer<unknown>, status: number, code: string) {
    const body = expectErrorBody(answer, status, code) as unknown as Record<string, unknown>;
    expect(body.errorMessage, answer.text).toBe(body.message);
    expect(body.moreInfo).toBe('');
    return body;
  }

  async function login(who: { user: string; password: string }): Promise<string> {
    const answer = await call<{ token: string }>('POST', '/apiv2/login', {
      body: { userName: who.user, password: who.password },
    });
    expect(answer.status, answer.text).toBe(200);
    return answer.body.token;
  }

  async function finished(id: string, token = tokens.root): Promise<Record<string, unknown>> {
    let last: Record<string, unknown> = {};
    await waitFor(
      `job ${id} to end`,
      async () => {
        last = (await call<Record<string, unknown>>('GET', `/api/v3/job/${id}`, { token })).body;
        return ['COMPLETED', 'FAILED', 'CANCELED'].includes(last.jobState as string);
      },
      60_000,
    );
    return last;
  }

  const catalogEntity = (id: string) => admin<Record<string, unknown>>('GET', `/api/v3/catalog/${id}`);

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'tributary-v3-'));
    mkdirSync(path.join(scratch, 'files'));
    cpSync(path.join(tpchRoot, 'sf0.01', 'csv', 'region.csv'), path.join(scratch, 'files', 'region.csv'));
    [service, oracle] = await Promise.all([
      startTributary({
        executors: 1,
        sourceRoots: [dataRoot, scratch],
        env: {
          TRIBUTARY_AUTH: 'on',
          TRIBUTARY_ADMIN_USER: ADMIN.user,
          TRIBUTARY_ADMIN_PASSWORD: ADMIN.password,
        },
      }),
      DuckDbOracle.open([
        { schema: 'tpch', format: 'parquet', folder: path.join(tpchRoot, 'sf0.01', 'parquet') },
      ]),
    ]);
    tokens.root = await login(ADMIN);
    const created = await admin('POST', '/api/v1/users', {
      name: ANN.user,
      password: ANN.password,
      role: 'user',
    });
    expect(created.status, created.text).toBe(201);
    tokens.ann = await login(ANN);
  }, 120_000);

  afterAll(async () => {
    oracle?.close();
    await service?.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  /**
   * Source object (API Reference → Catalog → Source): {"entityType": "source", "config": {…},
   * "id": "2b1be882-…", "tag": "T0/Zr1FOY3A=", "type": "S3", "name": "AWS-S3_testgroup",
   * "createdAt": "2023-02-17T14:32:20.640Z", …, "children": [{"id": …, "path":
   * ["AWS-S3_testgroup", "archive.dremio.com"], "type": "CONTAINER", "containerType": "FOLDER"}]}
   */
  it('creates sources: NAS (format given or found from the files); other types refused', async () => {
    const parquet = path.join(tpchRoot, 'sf0.01', 'parquet');
    const tpch = await admin('POST', '/api/v3/catalog', {
      entityType: 'source',
      name: 'tpch',
      type: 'NAS',
      config: { path: parquet, defaultCtasFormat: 'ICEBERG' },
    });
    expect(tpch.status, tpch.text).toBe(200);
    expect(tpch.body).toMatchObject({
      entityType: 'source',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      tag: expect.any(String),
      type: 'NAS',
      name: 'tpch',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      config: { path: parquet, format: 'parquet' },
    });
    const children = tpch.body.children as Record<string, unknown>[];
    expect(children.map((c) => c.path)).toEqual(
      ['customer', 'lineitem', 'nation', 'orders', 'part', 'partsupp', 'region', 'supplier'].map((t) => [
        'tpch',
        t,
      ]),
    );
    for (const child of children)
      expect(Object.keys(child).sort()).toEqual(['createdAt', 'datasetType', 'id', 'path', 'tag', 'type']);
    expect(children[0]).toMatchObject({ type: 'DATASET', datasetType: 'PROMOTED' });

    const files = await admin('POST', '/api/v3/catalog', {
      entityType: 'source',
      name: 'files',
      type: 'NAS',
      config: { path: path.join(scratch, 'files') },
    });
    expect(files.status, files.text).toBe(200);
    expect(files.body).toMatchObject({
      config: { format: 'csv' },
      children: [{ path: ['files', 'region'] }],
    });

    const s3 = await admin('POST', '/api/v3/catalog', {
      entityType: 'source',
      name: 's3',
      type: 'S3',
      config: { path: '/bucket' },
    });
    expectV3Error(s3, 400, 'UNSUPPORTED_SOURCE_TYPE');
    const byAnn = await asAnn('POST', '/api/v3/catalog', {
      entityType: 'source',
      name: 'mine',
      type: 'NAS',
      config: { path: parquet },
    });
    expectV3Error(byAnn, 403, 'ACCESS_DENIED');
    const outside = await admin('POST', '/api/v3/catalog', {
      entityType: 'source',
      name: 'etc',
      type: 'NAS',
      config: { path: '/etc' },
    });
    expectV3Error(outside, 400, 'PATH_NOT_ALLOWED');
  });

  /**
   * Space object: {"entityType": "space", "id": "5442c00a-…", "name": "Example-Space", "tag":
   * "zzOQfjY9lU0=", "createdAt": "2023-01-12T18:44:43.237Z", "children": [{"id": …, "path":
   * ["Example-Space", "testfolder"], "tag": …, "type": "CONTAINER", "containerType": "FOLDER"},
   * {"id": …, "path": ["Example-Space", "travel_testing"], "tag": …, "type": "DATASET",
   * "datasetType": "VIRTUAL", "createdAt": …}]}. View object: {"entityType": "dataset", "id": …,
   * "type": "VIRTUAL_DATASET", "path": [...], "createdAt": …, "tag": …, "sql": "SELECT * FROM
   * \"NYC-taxi-trips\" WHERE …", "sqlContext": ["Samples", "samples.dremio.com"], "fields":
   * [{"name": "pickup_datetime", "type": {"name": "TIMESTAMP"}}, …]}
   */
  it('creates a space, folders and a view, and shows them as Dremio does', async () => {
    const space = await admin('POST', '/api/v3/catalog', { entityType: 'space', name: 'Sales' });
    expect(space.status, space.text).toBe(200);
    expect(Object.keys(space.body).sort()).toEqual([
      'children',
      'createdAt',
      'entityType',
      'id',
      'name',
      'tag',
    ]);
    expect(space.body).toMatchObject({ entityType: 'space', name: 'Sales', children: [] });
    for (const name of ['eu', 'my folder']) {
      const folder = await admin('POST', '/api/v3/catalog', { entityType: 'folder', path: ['Sales', name] });
      expect(folder.status, folder.text).toBe(200);
      expect(folder.body).toMatchObject({ entityType: 'folder', path: ['Sales', name], children: [] });
    }
    const sql = 'SELECT o_orderkey, o_totalprice, o_orderdate FROM orders WHERE o_totalprice > 400000';
    const view = await admin('POST', '/api/v3/catalog', {
      entityType: 'dataset',
      type: 'VIRTUAL_DATASET',
      path: ['Sales', 'eu', 'big_orders'],
      sql,
      sqlContext: ['tpch'],
    });
    expect(view.status, view.text).toBe(200);
    expect(view.body).toMatchObject({
      entityType: 'dataset',
      type: 'VIRTUAL_DATASET',
      path: ['Sales', 'eu', 'big_orders'],
      sql,
      sqlContext: ['tpch'],
      id: expect.any(String),
      tag: expect.any(String),
      createdAt: expect.any(String),
    });
    // Its fields' types are DuckDB's for the same SELECT, in Dremio's names.
    const expected = await oracle!.query(
      `SELECT o_orderkey, o_totalprice, o_orderdate FROM tpch.orders LIMIT 0`,
    );
    expect((view.body.fields as DremioField[]).map((f) => [f.name, typeName(f.type)])).toEqual(
      expected.columns.map((c) => [c.name, c.type]),
    );
    expect((view.body.fields as DremioField[])[1].type).toEqual({ name: 'DECIMAL', precision: 15, scale: 2 });

    const root = await admin<{ data: Record<string, unknown>[] }>('GET', '/api/v3/catalog');
    expect(root.status).toBe(200);
    expect(root.body.data.map((c) => [c.path, c.containerType])).toEqual([
      [['files'], 'SOURCE'],
      [['tpch'], 'SOURCE'],
      [['Sales'], 'SPACE'],
    ]);
    for (const entry of root.body.data) {
      expect(Object.keys(entry).sort()).toEqual(['containerType', 'createdAt', 'id', 'path', 'tag', 'type']);
      expect(entry.type).toBe('CONTAINER');
    }

    const shown = await catalogEntity(space.body.id as string);
    expect(
      (shown.body.children as Record<string, unknown>[]).map((c) => [c.path, c.type, c.containerType]),
    ).toEqual([
      [['Sales', 'eu'], 'CONTAINER', 'FOLDER'],
      [['Sales', 'my folder'], 'CONTAINER', 'FOLDER'],
    ]);
    const eu = await admin('GET', '/api/v3/catalog/by-path/Sales/eu');
    expect(eu.body).toMatchObject({
      entityType: 'folder',
      children: [{ path: ['Sales', 'eu', 'big_orders'], type: 'DATASET', datasetType: 'VIRTUAL' }],
    });
    before.space = { id: space.body.id as string, tag: space.body.tag as string };
    before.view = { id: view.body.id as string, tag: view.body.tag as string };
  });

  /**
   * Table object (API Reference → Catalog → Table): {"entityType": "dataset", "id": …, "type":
   * "PHYSICAL_DATASET", "path": ["Samples", "samples.dremio.com", …], "createdAt": …, "tag": …,
   * "format": {"type": "Parquet", …}, "fields": [{"name": "_id", "type": {"name": "VARCHAR"}}, …]}
   */
  it('finds entities by id and by path (URL-encoded names, a table in a source), else 404', async () => {
    const byPath = await admin('GET', '/api/v3/catalog/by-path/tpch/lineitem');
    expect(byPath.status, byPath.text).toBe(200);
    expect(byPath.body).toMatchObject({
      entityType: 'dataset',
      type: 'PHYSICAL_DATASET',
      path: ['tpch', 'lineitem'],
      format: { type: 'Parquet' },
    });
    const expected = await oracle!.query('SELECT * FROM tpch.lineitem LIMIT 0');
    expect((byPath.body.fields as DremioField[]).map((f) => [f.name, typeName(f.type)])).toEqual(
      expected.columns.map((c) => [c.name, c.type]),
    );
    const byId = await catalogEntity(byPath.body.id as string);
    expect(byId.body).toEqual(byPath.body);
    before.table = { id: byPath.body.id as string, tag: byPath.body.tag as string };

    const folder = await admin('GET', `/api/v3/catalog/by-path/Sales/${encodeURIComponent('my folder')}`);
    expect(folder.body).toMatchObject({ entityType: 'folder', path: ['Sales', 'my folder'] });
    before.folder = { id: folder.body.id as string, tag: folder.body.tag as string };
    const source = await admin('GET', '/api/v3/catalog/by-path/TPCH');
    expect(source.body).toMatchObject({ entityType: 'source', name: 'tpch' });
    before.source = { id: source.body.id as string, tag: source.body.tag as string };
    const view = await admin('GET', '/api/v3/catalog/by-path/Sales/eu/big_orders');
    expect(view.body.id).toBe(before.view.id);

    expectV3Error(await catalogEntity('no-such-id'), 404, 'CATALOG_ENTITY_NOT_FOUND');
    const missing = await admin('GET', '/api/v3/catalog/by-path/Sales/nowhere');
    expect(expectV3Error(missing, 404, 'CATALOG_ENTITY_NOT_FOUND').message).toBe(
      'Could not find entity with path [[Sales, nowhere]]',
    );
    expectV3Error(
      await admin('GET', '/api/v3/catalog/by-path/tpch/lineitem/x'),
      404,
      'CATALOG_ENTITY_NOT_FOUND',
    );
  });

  it('replaces a view with its current tag only (409 when stale, v1 PUT too), and a source', async () => {
    const sql = 'SELECT o_orderkey, o_totalprice FROM orders WHERE o_totalprice > 450000';
    const put = (tag: string) =>
      admin('PUT', `/api/v3/catalog/${before.view.id}`, {
        entityType: 'dataset',
        type: 'VIRTUAL_DATASET',
        id: before.view.id,
        path: ['Sales', 'eu', 'big_orders'],
        tag,
        sql,
        sqlContext: ['tpch'],
      });
    const replaced = await put(before.view.tag);
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.body).toMatchObject({ id: before.view.id, sql, path: ['Sales', 'eu', 'big_orders'] });
    expect(replaced.body.tag).not.toBe(before.view.tag);
    expect((replaced.body.fields as DremioField[]).map((f) => f.name)).toEqual([
      'o_orderkey',
      'o_totalprice',
    ]);
    const stale = expectV3Error(await put(before.view.tag), 409, 'TAG_MISMATCH');
    expect(stale.details).toEqual({ tag: replaced.body.tag });
    const v1 = await admin('PUT', '/api/v1/views/Sales/eu/big_orders', {
      sql,
      context: 'tpch',
      tag: before.view.tag,
    });
    expectErrorBody(v1, 409, 'TAG_MISMATCH');
    expect((await catalogEntity(before.view.id)).body.tag).toBe(replaced.body.tag);
    before.view = { id: before.view.id, tag: replaced.body.tag as string };

    // No tag: refused by the schema, naming the field.
    const untagged = await admin('PUT', `/api/v3/catalog/${before.view.id}`, { entityType: 'dataset', sql });
    expect(expectV3Error(untagged, 400, 'INVALID_FIELD').message).toContain('tag');

    const source = (tag: string, config: Record<string, unknown>) =>
      admin('PUT', `/api/v3/catalog/${before.source.id}`, {
        entityType: 'source',
        type: 'NAS',
        name: 'tpch',
        tag,
        config,
      });
    // The config as a user who may not see paths reads it: the path left out stays.
    const changed = await source(before.source.tag, { format: 'parquet' });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.id).toBe(before.source.id);
    expect(changed.body.config).toEqual({
      path: path.join(tpchRoot, 'sf0.01', 'parquet'),
      format: 'parquet',
    });
    expect(changed.body.tag).not.toBe(before.source.tag);
    expectV3Error(
      await source(before.source.tag, { path: path.join(tpchRoot, 'sf0.01', 'csv') }),
      409,
      'TAG_MISMATCH',
    );
    expectV3Error(await source(changed.body.tag as string, { format: 'csv' }), 400, 'INVALID_SOURCE_TYPE');
    before.source.tag = changed.body.tag as string;
    const space = await admin('PUT', `/api/v3/catalog/${before.space.id}`, {
      entityType: 'space',
      name: 'Sales',
      tag: 'stale',
    });
    expectV3Error(space, 409, 'TAG_MISMATCH');
    const table = await admin('PUT', `/api/v3/catalog/${before.table.id}`, {
      entityType: 'dataset',
      tag: before.table.tag,
    });
    expectV3Error(table, 400, 'CATALOG_ENTITY_READ_ONLY');
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    expectV3Error(
      await admin('POST', '/api/v3/catalog', { entityType: 'table', name: 'x' }),
      400,
      'INVALID_FIELD',
    );
    expectV3Error(await admin('POST', '/api/v3/catalog', { entityType: 'space' }), 400, 'INVALID_ENTITY');
    const physical = await admin('POST', '/api/v3/catalog', {
      entityType: 'dataset',
      type: 'PHYSICAL_DATASET',
      path: ['tpch', 'x'],
    });
    expectV3Error(physical, 400, 'INVALID_ENTITY');
    expectV3Error(await admin('POST', '/api/v3/sql', { query: 'select 1' }), 400, 'INVALID_FIELD');
    expectV3Error(
      await admin('POST', '/api/v3/sql', { sql: 'select 1', context: 'tpch' }),
      400,
      'INVALID_FIELD',
    );
    expectV3Error(await admin('GET', '/api/v3/job/x/results?limit=-1'), 400, 'INVALID_FIELD');
  });

  /**
   * SQL API: POST /api/v3/sql {"sql": …, "context": […]} → {"id": "…"}. Job object (API
   * Reference → Job): {"jobState": "COMPLETED", "rowCount": 1003904, "errorMessage": "",
   * "startedAt": "2022-12-13T18:34:14.069Z", "endedAt": "2022-12-13T18:35:09.963Z",
   * "acceleration": {"reflectionRelationships": […]}, "queryType": "UI_RUN", "queueName":
   * "LARGE", "queueId": "LARGE", "resourceSchedulingStartedAt": "…", "resourceSchedulingEndedAt":
   * "…", "cancellationReason": ""}. Job results: {"rowCount": 11, "schema": [{"name":
   * "pickup_datetime", "type": {"name": "TIMESTAMP"}}, …], "rows": [{"pickup_datetime":
   * "2013-02-10 20:00:00.000", "passenger_count": 9, "trip_distance_mi": 3, …}, …]}; offset 0
   * and limit 100 by default.
   */
  it('runs SQL as a job, answers its status and pages its results as DuckDB computes them', async () => {
    const query = `SELECT l_orderkey, l_linenumber, l_quantity, l_extendedprice, l_discount,
        l_extendedprice * (1 - l_discount) AS net, l_shipdate, CAST(l_shipdate AS TIMESTAMP) AS shipped_at,
        l_returnflag = 'R' AS returned, l_comment, CAST(l_tax AS DOUBLE) AS tax
      FROM lineitem WHERE l_orderkey < 1000 ORDER BY l_orderkey, l_linenumber`;
    const submitted = await admin<{ id: string }>('POST', '/api/v3/sql', { sql: query, context: ['tpch'] });
    expect(submitted.status, submitted.text).toBe(200);
    expect(Object.keys(submitted.body)).toEqual(['id']);
    const status = await finished(submitted.body.id);
    expect(Object.keys(status).sort()).toEqual(
      [
        'acceleration',
        'cancellationReason',
        'endedAt',
        'errorMessage',
        'jobState',
        'queryType',
        'queueId',
        'queueName',
        'resourceSchedulingEndedAt',
        'resourceSchedulingStartedAt',
        'rowCount',
        'startedAt',
      ].sort(),
    );
    const expected = await oracle!.query(query.replace('FROM lineitem', 'FROM tpch.lineitem'));
    expect(status).toMatchObject({
      jobState: 'COMPLETED',
      rowCount: expected.rows.length,
      errorMessage: '',
      queryType: 'REST',
      cancellationReason: '',
      acceleration: { reflectionRelationships: [] },
    });
    for (const key of ['startedAt', 'endedAt', 'resourceSchedulingStartedAt', 'resourceSchedulingEndedAt'])
      expect(status[key]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // Dremio's default page is 100 rows; its cap of 500 is lifted here.
    const first = await admin('GET', `/api/v3/job/${submitted.body.id}/results`);
    const rest = await admin('GET', `/api/v3/job/${submitted.body.id}/results?offset=100&limit=1000`);
    expect(first.status, first.text).toBe(200);
    expect(expected.rows.length).toBeGreaterThan(600);
    const pages = [first, rest].map(
      (page) =>
        JSON.parse(numbersAsText(page.text)) as {
          rowCount: string;
          schema: DremioField[];
          rows: Record<string, unknown>[];
        },
    );
    expect(pages.map((p) => [Number(p.rowCount), p.rows.length])).toEqual([
      [expected.rows.length, 100],
      [expected.rows.length, expected.rows.length - 100],
    ]);
    expect(Object.keys(first.body).sort()).toEqual(['rowCount', 'rows', 'schema']);
    // Numbers are JSON numbers, as in Dremio's example; timestamps its 'YYYY-MM-DD HH:mm:ss.SSS'.
    const row = (first.body.rows as Record<string, unknown>[])[0];
    expect([typeof row.l_orderkey, typeof row.l_extendedprice, typeof row.tax, typeof row.returned]).toEqual([
      'number',
      'number',
      'number',
      'boolean',
    ]);
    expect(row.shipped_at).toMatch(/^\d{4}-\d\d-\d\d 00:00:00\.000$/);
    expect(row.shipped_at).toBe(`${row.l_shipdate as string} 00:00:00.000`);
    const schema = pages[0].schema;
    const actual = {
      columns: schema.map((f) => ({ name: f.name, type: typeName(f.type) })),
      rows: pages.flatMap((p) =>
        p.rows.map((r) =>
          schema.map((f) =>
            f.type.name === 'TIMESTAMP' && r[f.name] !== null
              ? String(r[f.name]).replace(' ', 'T')
              : r[f.name],
          ),
        ),
      ),
    };
    expect(compareResults(actual, expected, { ordered: true })).toEqual([]);

    // An aggregate: SUM of decimals exact to the digit, counts and averages.
    const totals = `SELECT l_returnflag, sum(l_extendedprice * (1 - l_discount)) AS revenue, count(*) AS n,
        avg(l_quantity) AS avg_qty FROM lineitem GROUP BY l_returnflag ORDER BY l_returnflag`;
    const job = await admin<{ id: string }>('POST', '/api/v3/sql', { sql: totals, context: ['tpch'] });
    expect((await finished(job.body.id)).jobState).toBe('COMPLETED');
    const page = await admin('GET', `/api/v3/job/${job.body.id}/results`);
    const parsed = JSON.parse(numbersAsText(page.text)) as {
      schema: DremioField[];
      rows: Record<string, unknown>[];
    };
    const oracleTotals = await oracle!.query(totals.replace('FROM lineitem', 'FROM tpch.lineitem'));
    const totalsActual = {
      columns: parsed.schema.map((f) => ({ name: f.name, type: typeName(f.type) })),
      rows: parsed.rows.map((r) => parsed.schema.map((f) => r[f.name])),
    };
    expect(compareResults(totalsActual, oracleTotals, { ordered: true })).toEqual([]);
  });

  it('answers a job not finished, a failed one, a cancel and an unknown job in Dremio style', async () => {
    const heavy = await admin<{ id: string }>('POST', '/api/v3/sql', { sql: HEAVY, context: ['tpch'] });
    const early = expectV3Error(
      await admin('GET', `/api/v3/job/${heavy.body.id}/results`),
      400,
      'JOB_NOT_COMPLETED',
    );
    expect(early.message).toMatch(
      /^Can not fetch details for a job that is in \[(PLANNING|QUEUED|RUNNING)\] state\.$/,
    );
    const running = await admin('GET', `/api/v3/job/${heavy.body.id}`);
    expect(running.body).toMatchObject({ rowCount: 0, errorMessage: '' });
    expect(running.body).not.toHaveProperty('endedAt');
    // Another user may not see or cancel it.
    expectV3Error(await asAnn('GET', `/api/v3/job/${heavy.body.id}`), 403, 'ACCESS_DENIED');
    expectV3Error(await asAnn('POST', `/api/v3/job/${heavy.body.id}/cancel`), 403, 'ACCESS_DENIED');
    const cancel = await admin('POST', `/api/v3/job/${heavy.body.id}/cancel`);
    expect(cancel.status, cancel.text).toBe(204);
    expect(cancel.text).toBe('');
    const canceled = await finished(heavy.body.id);
    expect(canceled).toMatchObject({ jobState: 'CANCELED', errorMessage: '', rowCount: 0 });
    expect(canceled.cancellationReason).not.toBe('');
    expectV3Error(await admin('POST', `/api/v3/job/${heavy.body.id}/cancel`), 404, 'JOB_NOT_RUNNING');

    const bad = await admin<{ id: string }>('POST', '/api/v3/sql', { sql: 'SELECT * FROM tpch.nowhere' });
    const failed = await finished(bad.body.id);
    expect(failed).toMatchObject({ jobState: 'FAILED', rowCount: 0, cancellationReason: '' });
    expect(failed.errorMessage).toContain('nowhere');
    const results = expectV3Error(
      await admin('GET', `/api/v3/job/${bad.body.id}/results`),
      400,
      'JOB_NOT_COMPLETED',
    );
    expect(results.message).toBe('Can not fetch details for a job that is in [FAILED] state.');

    expectV3Error(await admin('GET', '/api/v3/job/no-such-job'), 404, 'JOB_NOT_FOUND');
    expectV3Error(await admin('GET', '/api/v3/job/no-such-job/results'), 404, 'JOB_NOT_FOUND');
    expectV3Error(await admin('POST', '/api/v3/job/no-such-job/cancel'), 404, 'JOB_NOT_FOUND');
    expectV3Error(
      await admin('POST', '/api/v3/sql', { sql: 'select 1', references: { x: 1 } }),
      400,
      'REFERENCES_UNSUPPORTED',
    );
  }, 90_000);

  it('needs a token, shows a user only what they may see, paths to admins only, and checks privileges', async () => {
    for (const [method, route] of [
      ['GET', '/api/v3/catalog'],
      ['GET', `/api/v3/catalog/${before.space.id}`],
      ['POST', '/api/v3/sql'],
      ['GET', '/api/v3/job/x'],
    ])
      expectV3Error(
        await call(method, route, method === 'POST' ? { body: { sql: 'select 1' } } : {}),
        401,
        'AUTH_REQUIRED',
      );

    const nothing = await asAnn<{ data: unknown[] }>('GET', '/api/v3/catalog');
    expect(nothing.body.data).toEqual([]);
    expectV3Error(await asAnn('GET', `/api/v3/catalog/${before.source.id}`), 404, 'CATALOG_ENTITY_NOT_FOUND');
    expectV3Error(await asAnn('GET', '/api/v3/catalog/by-path/Sales'), 404, 'CATALOG_ENTITY_NOT_FOUND');
    const job = await asAnn<{ id: string }>('POST', '/api/v3/sql', {
      sql: 'SELECT count(*) FROM tpch.nation',
    });
    expect((await finished(job.body.id, tokens.ann)).errorMessage).toMatch(/SELECT/);

    for (const object of [
      { kind: 'source', path: ['tpch'] },
      { kind: 'space', path: ['Sales'] },
    ]) {
      const grant = await admin('POST', '/api/v1/grants', { privileges: ['SELECT'], object, grantee: 'ann' });
      expect(grant.status, grant.text).toBeLessThan(300);
    }
    const some = await asAnn<{ data: Record<string, unknown>[] }>('GET', '/api/v3/catalog');
    expect(some.body.data.map((c) => c.path)).toEqual([['tpch'], ['Sales']]);
    const source = await asAnn('GET', `/api/v3/catalog/${before.source.id}`);
    expect(source.status, source.text).toBe(200);
    // Its tables, and no server path: that is for admins.
    expect((source.body.children as unknown[]).length).toBe(8);
    expect(source.body.config).toEqual({ format: 'parquet' });
    expect(source.text).not.toContain(tpchRoot);
    const counted = await asAnn<{ id: string }>('POST', '/api/v3/sql', {
      sql: 'SELECT count(*) AS n FROM tpch.nation',
    });
    expect((await finished(counted.body.id, tokens.ann)).jobState).toBe('COMPLETED');
    const rows = await asAnn('GET', `/api/v3/job/${counted.body.id}/results`);
    expect(rows.body).toEqual({
      rowCount: 1,
      schema: [{ name: 'n', type: { name: 'BIGINT' } }],
      rows: [{ n: 25 }],
    });

    // SELECT on the space does not let her change or delete what it holds.
    const put = await asAnn('PUT', `/api/v3/catalog/${before.view.id}`, {
      entityType: 'dataset',
      tag: before.view.tag,
      sql: 'SELECT 1 AS x',
    });
    expectV3Error(put, 403, 'ACCESS_DENIED');
    expectV3Error(await asAnn('DELETE', `/api/v3/catalog/${before.view.id}`), 403, 'ACCESS_DENIED');
    expectV3Error(
      await asAnn('POST', '/api/v3/catalog', { entityType: 'space', name: 'Hers' }),
      403,
      'ACCESS_DENIED',
    );
    expectV3Error(
      await asAnn('POST', '/api/v3/catalog', { entityType: 'folder', path: ['Sales', 'hers'] }),
      403,
      'ACCESS_DENIED',
    );
    expectV3Error(await asAnn('DELETE', `/api/v3/catalog/${before.source.id}`), 403, 'ACCESS_DENIED');
  });

  it('keeps ids and tags across a restart', async () => {
    await service!.restart();
    tokens.root = await login(ADMIN);
    for (const [what, { id, tag }] of Object.entries(before)) {
      const entity = await catalogEntity(id);
      expect(entity.status, `${what}: ${entity.text}`).toBe(200);
      expect([what, entity.body.id, entity.body.tag]).toEqual([what, id, tag]);
    }
  }, 120_000);

  it('deletes with the current tag only (409 when stale), tables never, and audits every change', async () => {
    expectV3Error(
      await admin('DELETE', `/api/v3/catalog/${before.table.id}`),
      400,
      'CATALOG_ENTITY_READ_ONLY',
    );
    expectV3Error(await admin('DELETE', `/api/v3/catalog/${before.view.id}?tag=stale`), 409, 'TAG_MISMATCH');
    expect((await catalogEntity(before.view.id)).status).toBe(200);
    const removed = await admin('DELETE', `/api/v3/catalog/${before.view.id}?tag=${before.view.tag}`);
    expect(removed.status, removed.text).toBe(204);
    expectV3Error(await catalogEntity(before.view.id), 404, 'CATALOG_ENTITY_NOT_FOUND');
    expectV3Error(
      await admin('DELETE', `/api/v3/catalog/${before.folder.id}?tag=stale`),
      409,
      'TAG_MISMATCH',
    );
    expect(
      (await admin('DELETE', `/api/v3/catalog/${before.folder.id}?tag=${before.folder.tag}`)).status,
    ).toBe(204);
    expectV3Error(
      await admin('DELETE', `/api/v3/catalog/${before.source.id}?tag=stale`),
      409,
      'TAG_MISMATCH',
    );
    expect(
      (await admin('DELETE', `/api/v3/catalog/${before.source.id}?tag=${before.source.tag}`)).status,
    ).toBe(204);
    // A space goes with what it holds, as in Dremio.
    expect((await admin('DELETE', `/api/v3/catalog/${before.space.id}`)).status).toBe(204);
    const root = await admin<{ data: Record<string, unknown>[] }>('GET', '/api/v3/catalog');
    expect(root.body.data.map((c) => c.path)).toEqual([['files']]);
    expectV3Error(
      await admin('DELETE', `/api/v3/catalog/${before.space.id}`),
      404,
      'CATALOG_ENTITY_NOT_FOUND',
    );

    const audit = await admin<{ events: { action: string; outcome: string; target?: string }[] }>(
      'GET',
      '/api/v1/audit?limit=1000',
    );
    const seen = audit.body.events.map((e) => `${e.action} ${e.outcome} ${e.target ?? ''}`);
    for (const line of [
      'source.register ok tpch',
      'source.register ok files',
      'source.register failed etc',
      'space.create ok Sales',
      'folder.create ok Sales.eu',
      'view.create ok Sales.eu.big_orders',
      'view.update ok Sales.eu.big_orders',
      'source.update ok tpch',
      'source.update failed tpch',
      'view.delete failed Sales.eu.big_orders',
      'view.delete ok Sales.eu.big_orders',
      'folder.delete ok Sales.my folder',
      'source.delete ok tpch',
      'space.delete ok Sales',
    ])
      expect(seen).toContain(line);
  });
});
