import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { expectErrorBody } from './expect-error-body.ts';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient, type SqlResult } from './tributary-client.ts';

const parquetFolder = path.join(tpchRoot, 'sf0.01', 'parquet');

/** The same views, created in Tributary's space `sales` and in DuckDB's schema `sales`. */
const VIEWS: { name: string; sql: string }[] = [
  {
    name: 'asia_nations',
    sql: "SELECT n.n_nationkey, n.n_name FROM tpq.nation n JOIN tpq.region r ON n.n_regionkey = r.r_regionkey WHERE r.r_name = 'ASIA'",
  },
  {
    name: 'asia_customers',
    sql: 'SELECT c.c_custkey, c.c_name, c.c_acctbal, a.n_name FROM tpq.customer c JOIN sales.asia_nations a ON c.c_nationkey = a.n_nationkey',
  },
  {
    name: 'asia_revenue',
    sql: 'SELECT ac.n_name, count(*) AS orders, sum(o.o_totalprice) AS revenue FROM sales.asia_customers ac JOIN tpq.orders o ON o.o_custkey = ac.c_custkey GROUP BY ac.n_name',
  },
];

/** Queries over the views, compared with DuckDB's answers over its own views. */
const VIEW_QUERIES: string[] = [
  'SELECT * FROM sales.asia_nations ORDER BY n_nationkey',
  'SELECT n_name, count(*) AS n, sum(c_acctbal) AS bal FROM sales.asia_customers GROUP BY n_name ORDER BY n_name',
  'SELECT * FROM sales.asia_revenue ORDER BY n_name',
  "SELECT r.n_name, r.revenue, a.n_nationkey FROM sales.asia_revenue r JOIN sales.asia_nations a ON a.n_name = r.n_name WHERE r.n_name <> 'CHINA' ORDER BY 1",
];

let oracle: DuckDbOracle;

beforeAll(async () => {
  oracle = await DuckDbOracle.open([{ schema: 'tpq', format: 'parquet', folder: parquetFolder }]);
  await oracle.run('CREATE SCHEMA sales');
  for (const v of VIEWS) await oracle.run(`CREATE VIEW sales.${v.name} AS ${v.sql}`);
});

afterAll(() => oracle?.close());

async function sameAsDuckDb(client: TributaryClient, sql: string): Promise<SqlResult> {
  const actual = await client.sql(sql);
  const expected = await oracle.query(sql);
  expect(compareResults(actual, expected, { ordered: /order by/i.test(sql) }), sql).toEqual([]);
  return actual;
}

for (const shape of [
  { executors: 2, env: { TRIBUTARY_BROADCAST_ROW_LIMIT: '0' } as Record<string, string> },
  { executors: 1, env: {} as Record<string, string> },
])
  describe(`the semantic layer with ${shape.executors} executor(s)${shape.env.TRIBUTARY_BROADCAST_ROW_LIMIT ? ', every join shuffled' : ''}`, () => {
    let service: TributaryProcess | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');
    const full = shape.executors > 1;

    beforeAll(async () => {
      service = await startTributary({ executors: shape.executors, env: shape.env });
      await client.addSource({ name: 'tpq', type: 'parquet', path: parquetFolder });
      await client.sql('CREATE SPACE sales');
      for (const v of VIEWS) {
        const created = await client.sql(`CREATE VIEW sales.${v.name} AS ${v.sql}`);
        expect(created.columns.map((c) => [c.name, c.type])).toEqual([
          ['ok', 'BOOLEAN'],
          ['summary', 'VARCHAR'],
        ]);
        expect(created.rows).toEqual([[true, `View [sales.${v.name}] has been created`]]);
      }
    });

    afterAll(async () => {
      await service?.dispose();
    });

    for (const sql of VIEW_QUERIES)
      it(`views over views answer like DuckDB: ${sql}`, () => sameAsDuckDb(client, sql));

    it('pushes a filter on a view down into the scan under it', async () => {
      const explained = await client.sql(
        "EXPLAIN SELECT * FROM sales.asia_customers WHERE c_name = 'Customer#000000007'",
      );
      const text = String(explained.rows[0][0]);
      expect(text).toMatch(
        /Scan parquet tpq\.customer \[[^\]]*\] filters=\[\(c_name#\d+ = 'Customer#000000007'\)\]/,
      );
    });

    it('queries information_schema and sys tables, joined with real tables', async () => {
      await sameAsDuckDb(
        client,
        "SELECT table_name, column_name, ordinal_position, is_nullable, data_type, character_maximum_length, numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = 'tpq' ORDER BY table_name, ordinal_position",
      );
      await sameAsDuckDb(
        client,
        "SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema = 'sales' ORDER BY 1, 2",
      );
      // DuckDB's tpq tables are views over read_parquet; Tributary's are the source's tables.
      const baseTables = await client.sql(
        "SELECT DISTINCT table_type FROM information_schema.tables WHERE table_schema = 'tpq'",
      );
      expect(baseTables.rows).toEqual([['BASE TABLE']]);
      const views = await client.sql(
        "SELECT table_schema, table_name, view_definition FROM information_schema.views WHERE table_schema = 'sales' ORDER BY table_name",
      );
      expect(views.rows).toEqual(
        [...VIEWS].sort((a, b) => a.name.localeCompare(b.name)).map((v) => ['sales', v.name, v.sql]),
      );
      const schemata = await client.sql(
        'SELECT schema_name FROM information_schema.schemata ORDER BY schema_name',
      );
      expect(schemata.rows.map((r) => r[0])).toEqual(['information_schema', 'sales', 'sys', 'tpq']);
      const joined = await client.sql(
        "SELECT c.table_name, count(*) AS columns, min(r.r_name) AS first_region FROM information_schema.columns c CROSS JOIN tpq.region r WHERE c.table_schema = 'tpq' AND c.table_name LIKE 'n%' GROUP BY c.table_name",
      );
      // Four columns of nation, each with the five regions.
      expect(joined.rows).toEqual([['nation', '20', 'AFRICA']]);
      const sources = await client.sql('SELECT name, type, path FROM sys.sources');
      expect(sources.rows).toEqual([['tpq', 'parquet', parquetFolder]]);
      const executors = await client.sql(
        "SELECT count(*), sum(threads) > 0 FROM sys.executors WHERE state = 'active'",
      );
      expect(executors.rows).toEqual([[String(shape.executors), true]]);
      const jobs = await client.sql(
        "SELECT state, row_count FROM sys.jobs WHERE query LIKE 'CREATE VIEW sales.asia_nations%'",
      );
      expect(jobs.rows).toEqual([['COMPLETED', '1']]);
    });

    it('answers SHOW SCHEMAS, SHOW TABLES and DESCRIBE', async () => {
      const schemas = await client.sql('SHOW SCHEMAS');
      expect(schemas.rows.map((r) => r[0])).toContain('sales');
      const tables = await client.sql('SHOW TABLES IN sales');
      expect(tables.rows).toEqual(
        VIEWS.map((v) => ['sales', v.name]).sort((a, b) => a[1].localeCompare(b[1])),
      );
      // DESCRIBE in DuckDB's shape: column_name, column_type, null, key, default, extra.
      const ours = await client.sql('DESCRIBE sales.asia_customers');
      const theirs = await oracle.query('DESCRIBE sales.asia_customers');
      expect(ours.columns.map((c) => c.name)).toEqual(theirs.columns.map((c) => c.name));
      expect(ours.rows.map((r) => r.slice(0, 2))).toEqual(theirs.rows.map((r) => r.slice(0, 2)));
      const table = await client.sql('DESCRIBE TABLE tpq.region');
      expect(table.rows.map((r) => r[0])).toEqual(['r_regionkey', 'r_name', 'r_comment']);
    });

    it('replaces a view with OR REPLACE, and its users see the new definition', async () => {
      await client.sql('CREATE VIEW sales.tmp AS SELECT r_name FROM tpq.region');
      // Read twice before it is replaced: the plan cache must not serve the old definition after.
      for (let i = 0; i < 2; i++)
        expect((await client.sql('SELECT * FROM sales.tmp')).columns).toHaveLength(1);
      expectErrorBody(await client.sqlAnswer('CREATE VIEW sales.tmp AS SELECT 1 AS x'), 409, 'VIEW_EXISTS');
      const replaced = await client.sql(
        "CREATE OR REPLACE VIEW sales.tmp AS SELECT r_name, r_regionkey * 10 AS k FROM tpq.region WHERE r_name LIKE 'A%'",
      );
      expect(replaced.rows).toEqual([[true, 'View [sales.tmp] has been replaced']]);
      const rows = await client.sql('SELECT * FROM sales.tmp ORDER BY k');
      expect(rows.rows).toEqual([
        ['AFRICA', 0],
        ['AMERICA', 10],
        ['ASIA', 20],
      ]);
      expect((await client.sql('SELECT * FROM sales.tmp')).columns).toHaveLength(2);
      const dropped = await client.sql('DROP VIEW sales.tmp');
      expect(dropped.rows).toEqual([[true, 'View [sales.tmp] deleted']]);
      expectErrorBody(await client.sqlAnswer('SELECT * FROM sales.tmp'), 400, 'TABLE_NOT_FOUND');
      expectErrorBody(await client.sqlAnswer('DROP VIEW sales.tmp'), 404, 'VIEW_NOT_FOUND');
      expect((await client.sql('DROP VIEW IF EXISTS sales.tmp')).rows).toEqual([
        [true, 'View [sales.tmp] does not exist'],
      ]);
    });

    it('refuses views it cannot make: no space, a source, a folder missing, a cycle', async () => {
      const noSpace = expectErrorBody(
        await client.sqlAnswer('CREATE VIEW nowhere.v AS SELECT 1'),
        404,
        'SPACE_NOT_FOUND',
      );
      expect({ line: noSpace.line, column: noSpace.column }).toEqual({ line: 1, column: 13 });
      expectErrorBody(await client.sqlAnswer('CREATE VIEW tpq.v AS SELECT 1'), 400, 'INVALID_PATH');
      expectErrorBody(await client.sqlAnswer('CREATE VIEW sales.f.v AS SELECT 1'), 404, 'FOLDER_NOT_FOUND');
      expectErrorBody(
        await client.sqlAnswer(
          'CREATE OR REPLACE VIEW sales.asia_nations AS SELECT c_custkey AS n_nationkey, n_name FROM sales.asia_customers',
        ),
        400,
        'VIEW_CYCLE',
      );
    });

    if (full)
      it('says a view is broken by a table gone, names it and what is missing, until it is fixed', async () => {
        await client.sql('CREATE SPACE scratch');
        await client.sql('CREATE FOLDER scratch.f');
        await client.addSource({ name: 'tmpsrc', type: 'parquet', path: parquetFolder });
        await client.sql('CREATE VIEW scratch.f.regions AS\nSELECT r_name\nFROM tmpsrc.region');
        await client.sql('CREATE VIEW scratch.over AS SELECT count(*) AS n FROM scratch.f.regions');
        expect((await client.sql('SELECT n FROM scratch.over')).rows).toEqual([['5']]);
        expect((await client.request('DELETE', '/api/v1/sources/tmpsrc')).status).toBe(204);
        const broken = expectErrorBody(
          await client.sqlAnswer('SELECT n FROM scratch.over'),
          400,
          'VIEW_INVALID',
        );
        expect(broken.message).toContain('scratch.f.regions');
        expect(broken.message).toContain('tmpsrc.region');
        // Where in the view's own SQL (it starts at its SELECT) the missing table is named.
        expect({ line: broken.line, column: broken.column }).toEqual({ line: 2, column: 6 });
        expect((broken as { details?: unknown }).details).toMatchObject({
          view: 'scratch.f.regions',
          reason: 'TABLE_NOT_FOUND',
        });
        expectErrorBody(await client.sqlAnswer('DROP SPACE scratch'), 409, 'SPACE_NOT_EMPTY');
        expect((await client.sql('DROP SPACE scratch CASCADE')).rows).toEqual([
          [true, 'Space [scratch] deleted'],
        ]);
      });

    if (full)
      it("derives a view's columns again when its inputs change, and records them", async () => {
        await client.sql('CREATE VIEW sales.base AS SELECT r_name FROM tpq.region');
        await client.sql('CREATE VIEW sales.over_base AS SELECT * FROM sales.base');
        const before = await client.request<{ columns: unknown[]; tag: string }>(
          'GET',
          '/api/v1/views/sales/over_base',
        );
        expect(before.body.columns).toEqual([{ name: 'r_name', type: 'VARCHAR' }]);
        await client.sql('CREATE OR REPLACE VIEW sales.base AS SELECT r_name, r_regionkey FROM tpq.region');
        expect((await client.sql('SELECT count(*) FROM sales.over_base')).rows).toEqual([['5']]);
        const after = await client.request<{ columns: unknown[]; tag: string }>(
          'GET',
          '/api/v1/views/sales/over_base',
        );
        expect(after.body.columns).toEqual([
          { name: 'r_name', type: 'VARCHAR' },
          { name: 'r_regionkey', type: 'INTEGER' },
        ]);
        expect(after.body.tag).not.toBe(before.body.tag);
        const described = await client.sql(
          "SELECT column_name FROM information_schema.columns WHERE table_schema = 'sales' AND table_name = 'over_base'",
        );
        expect(described.rows).toEqual([['r_name'], ['r_regionkey']]);
        await client.sql('DROP VIEW sales.over_base');
        await client.sql('DROP VIEW sales.base');
        // Job history is written behind, yet sys.jobs sees the statement just before it.
        const last = await client.sql("SELECT state FROM sys.jobs WHERE query = 'DROP VIEW sales.base'");
        expect(last.rows).toEqual([['COMPLETED']]);
      });

    if (full)
      it('serves spaces, folders and views over REST, with their errors', async () => {
        const created = await client.request<{ name: string; id: string; tag: string }>(
          'POST',
          '/api/v1/spaces',
          { name: 'rest' },
        );
        expect(created.status).toBe(201);
        expect(created.body).toMatchObject({ name: 'rest' });
        expectErrorBody(
          await client.request('POST', '/api/v1/spaces', { name: 'REST' }),
          409,
          'SPACE_EXISTS',
        );
        expectErrorBody(await client.request('POST', '/api/v1/spaces', { name: 'tpq' }), 409, 'NAME_TAKEN');
        expectErrorBody(await client.request('POST', '/api/v1/spaces', {}), 400, 'INVALID_FIELD');
        expectErrorBody(
          await client.request('POST', '/api/v1/sources', {
            name: 'Rest',
            type: 'parquet',
            path: parquetFolder,
          }),
          409,
          'NAME_TAKEN',
        );
        expect((await client.request('POST', '/api/v1/folders', { path: ['rest', 'sub'] })).status).toBe(201);
        expectErrorBody(
          await client.request('POST', '/api/v1/folders', { path: ['nope', 'sub'] }),
          404,
          'SPACE_NOT_FOUND',
        );

        const view = await client.request<{
          id: string;
          tag: string;
          columns: { name: string; type: string }[];
          owner: string | null;
        }>('POST', '/api/v1/views', {
          path: ['rest', 'sub', 'prices'],
          sql: 'SELECT o_orderkey, o_totalprice FROM orders',
          context: 'tpq',
        });
        expect(view.status, view.text).toBe(201);
        expect(view.body.columns).toEqual([
          { name: 'o_orderkey', type: 'BIGINT' },
          { name: 'o_totalprice', type: 'DECIMAL(15,2)' },
        ]);
        expect(view.body.owner).toBeNull();
        const bad = expectErrorBody(
          await client.request('POST', '/api/v1/views', {
            path: ['rest', 'bad'],
            sql: 'SELECT\n  o_nope FROM tpq.orders',
          }),
          400,
          'COLUMN_NOT_FOUND',
        );
        expect({ line: bad.line, column: bad.column }).toEqual({ line: 2, column: 3 });
        expectErrorBody(
          await client.request('POST', '/api/v1/views', { path: ['rest', 'sub', 'prices'], sql: 'SELECT 1' }),
          409,
          'VIEW_EXISTS',
        );
        const got = await client.request<{ id: string; tag: string; sql: string }>(
          'GET',
          '/api/v1/views/rest/sub/prices',
        );
        expect(got.body).toMatchObject({ id: view.body.id, tag: view.body.tag });
        const stale = expectErrorBody(
          await client.request('PUT', '/api/v1/views/rest/sub/prices', {
            sql: 'SELECT 1 AS one',
            tag: 'stale',
          }),
          409,
          'TAG_MISMATCH',
        );
        expect((stale as { details?: unknown }).details).toMatchObject({ tag: view.body.tag });
        const put = await client.request<{ id: string; tag: string; columns: unknown[] }>(
          'PUT',
          '/api/v1/views/rest/sub/prices',
          {
            sql: 'SELECT count(*) AS n FROM tpq.orders',
            tag: view.body.tag,
          },
        );
        expect(put.status, put.text).toBe(200);
        expect(put.body.id).toBe(view.body.id);
        expect(put.body.tag).not.toBe(view.body.tag);
        expect((await client.sql('SELECT n FROM rest.sub.prices')).rows).toEqual([['15000']]);
        const space = await client.request<{ folders: { path: string[] }[]; views: { path: string[] }[] }>(
          'GET',
          '/api/v1/spaces/rest',
        );
        expect(space.body.folders.map((f) => f.path)).toEqual([['rest', 'sub']]);
        expect(space.body.views.map((v) => v.path)).toEqual([['rest', 'sub', 'prices']]);
        const listed = await client.request<{ spaces: { name: string }[] }>('GET', '/api/v1/spaces');
        expect(listed.body.spaces.map((s) => s.name)).toContain('rest');
        expectErrorBody(await client.request('GET', '/api/v1/spaces/none'), 404, 'SPACE_NOT_FOUND');
        expectErrorBody(await client.request('GET', '/api/v1/views/rest/none'), 404, 'VIEW_NOT_FOUND');
        expectErrorBody(await client.request('GET', '/api/v1/folders/rest/none'), 404, 'FOLDER_NOT_FOUND');
        expectErrorBody(await client.request('DELETE', '/api/v1/spaces/rest'), 409, 'SPACE_NOT_EMPTY');
        expectErrorBody(await client.request('DELETE', '/api/v1/folders/rest/sub'), 409, 'FOLDER_NOT_EMPTY');
        expect((await client.request('DELETE', '/api/v1/views/rest/sub/prices')).status).toBe(204);
        expectErrorBody(
          await client.request('DELETE', '/api/v1/views/rest/sub/prices'),
          404,
          'VIEW_NOT_FOUND',
        );
        expect((await client.request('DELETE', '/api/v1/folders/rest/sub')).status).toBe(204);
        await client.request('POST', '/api/v1/views', { path: ['rest', 'v'], sql: 'SELECT 1 AS one' });
        expect((await client.request('DELETE', '/api/v1/spaces/rest?force=true')).status).toBe(204);
        expect((await client.request<{ views: unknown[] }>('GET', '/api/v1/views')).body.views.length).toBe(
          VIEWS.length,
        );
      });

    if (!full)
      it('keeps spaces and views across a restart', async () => {
        await service!.restart();
        await sameAsDuckDb(client, VIEW_QUERIES[2]);
        const spaces = await client.request<{ spaces: { name: string }[] }>('GET', '/api/v1/spaces');
        expect(spaces.body.spaces.map((s) => s.name)).toEqual(['sales']);
      });
  });
