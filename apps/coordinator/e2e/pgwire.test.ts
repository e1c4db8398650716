import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { describeStatement } from './pg-describe-statement.ts';
import {
  METABASE_SCHEMAS,
  NPGSQL_LOAD_TYPES,
  PGJDBC_GET_COLUMNS,
  PGJDBC_GET_TABLES,
  PGJDBC_TYPE_INFO,
  PSYCOPG_TYPE_INFO,
  SESSION_QUERIES,
} from './pg-driver-queries.ts';
import { TributaryClient } from './tributary-client.ts';

const ADMIN = { user: 'admin', password: 'admin-Pa55word-pg' };
const ALICE = { user: 'alice', password: 'alice-Pa55word-pg' };
const hasPsql = spawnSync('psql', ['--version']).status === 0;
/** node-postgres over TLS to the test's self-signed certificate. */
const SSL = { rejectUnauthorized: false };

/** A count over a self-join: many seconds of work, long enough to cancel in the middle. */
const HEAVY =
  'SELECT count(*) AS n FROM tpch.lineitem a, tpch.lineitem b WHERE a.l_extendedprice > b.l_extendedprice';

/** Tributary's name of a column's type from its RowDescription (OID and modifier). */
function typeName(field: { dataTypeID: number; dataTypeModifier: number }): string {
  const byOid: Record<number, string> = {
    16: 'BOOLEAN',
    21: 'SMALLINT',
    23: 'INTEGER',
    20: 'BIGINT',
    700: 'FLOAT',
    701: 'DOUBLE',
    1082: 'DATE',
    1114: 'TIMESTAMP',
    1043: 'VARCHAR',
    25: 'VARCHAR',
  };
  if (field.dataTypeID === 1700) {
    const m = field.dataTypeModifier - 4;
    return `DECIMAL(${m >> 16},${m & 0xffff})`;
  }
  return byOid[field.dataTypeID] ?? `OID ${field.dataTypeID}`;
}

/** Text-format values as the oracle's JSON gives them: booleans as booleans, the rest as text. */
function asComparable(result: pg.QueryResult): {
  columns: { name: string; type: string }[];
  rows: unknown[][];
} {
  const columns = result.fields.map((f) => ({ name: f.name, type: typeName(f) }));
  const rows = (result.rows as unknown[][]).map((row) =>
    row.map((v, i) => (columns[i].type === 'BOOLEAN' && typeof v === 'string' ? v === 't' : v)),
  );
  return { columns, rows };
}

/**
 * The PostgreSQL wire protocol against a real cluster with auth on and TLS required (a
 * self-signed certificate made with openssl): psql (simple queries, \dt, \l, \dn, errors with
 * positions, Ctrl-C), node-postgres (parameters, a cursor over 1.2 million rows, cancel,
 * Describe before Bind), SCRAM and cleartext logins, a wrong password (audited), Postgres'
 * column names, session statements, answers compared with DuckDB on the same files, and
 * every query a PGWIRE job.
 */
describe('PostgreSQL wire protocol', () => {
  let service: TributaryProcess;
  let client: TributaryClient;
  let oracle: DuckDbOracle;
  let token = '';
  const clients: pg.Client[] = [];
  const tlsDir = mkdtempSync(path.join(tmpdir(), 'tributary-pg-tls-'));

  /** A connected node-postgres client; values stay text (no type parsing). */
  async function pgClient(who: { user: string; password: string } = ADMIN): Promise<pg.Client> {
    const c = new pg.Client({
      host: '127.0.0.1',
      port: service.pgPort,
      user: who.user,
      password: who.password,
      database: 'tributary',
      ssl: SSL,
      types: { getTypeParser: () => (value: string) => value },
    });
    await c.connect();
    clients.push(c);
    return c;
  }

  function psql(args: string[], password = ADMIN.password, sslmode = 'require') {
    return spawnSync(
      'psql',
      ['-X', '-h', '127.0.0.1', '-p', String(service.pgPort), '-U', ADMIN.user, '-d', 'tributary', ...args],
      {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: password, PGSSLMODE: sslmode },
        timeout: 60_000,
      },
    );
  }

  async function jobsOf(queryType: string) {
    const answer = await client.request<{
      jobs: { sql: string; queryType: string; state: string; user: string }[];
    }>('GET', `/api/v1/jobs?limit=500`);
    return answer.body.jobs.filter((j) => j.queryType === queryType);
  }

  beforeAll(async () => {
    const made = spawnSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
        '-keyout',
        path.join(tlsDir, 'key.pem'),
        '-out',
        path.join(tlsDir, 'cert.pem'),
      ]),
      { encoding: 'utf8' },
    );
    expect(made.status, made.stderr).toBe(0);
    service = await startTributary({
      executors: 1,
      env: {
        TRIBUTARY_AUTH: 'on',
        TRIBUTARY_ADMIN_USER: ADMIN.user,
        TRIBUTARY_ADMIN_PASSWORD: ADMIN.password,
        TRIBUTARY_PG_TLS_CERT_FILE: path.join(tlsDir, 'cert.pem'),
        TRIBUTARY_PG_TLS_KEY_FILE: path.join(tlsDir, 'key.pem'),
      },
    });
    client = new TributaryClient(
      () => service.url,
      () => token,
    );
    const login = await client.request<{ token: string }>('POST', '/apiv2/login', {
      userName: ADMIN.user,
      password: ADMIN.password,
    });
    token = login.body.token;
    const folder = path.join(tpchRoot, 'sf0.01', 'parquet');
    await client.addSource({ name: 'tpch', type: 'parquet', path: folder });
    await client.addSource({ name: 'big', type: 'parquet', path: path.join(tpchRoot, 'sf0.1', 'parquet') });
    const created = await client.request('POST', '/api/v1/users', {
      name: ALICE.user,
      password: ALICE.password,
      role: 'admin',
    });
    expect(created.status).toBe(201);
    oracle = await DuckDbOracle.open([
      { schema: 'tpch', format: 'parquet', folder },
      {
        schema: 'big',
        format: 'parquet',
        folder: path.join(tpchRoot, 'sf0.1', 'parquet'),
        tables: ['lineitem'],
      },
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    oracle?.close();
    await service?.dispose();
    rmSync(tlsDir, { recursive: true, force: true });
  });

  it('answers node-postgres queries with the right type OIDs and values, as DuckDB does', async () => {
    const c = await pgClient();
    const sql =
      'SELECT l_orderkey, l_linenumber, l_quantity, l_extendedprice, CAST(l_tax AS DOUBLE) AS tax, ' +
      "l_shipdate, CAST(l_commitdate AS TIMESTAMP) AS committed, l_comment, l_returnflag = 'R' AS returned, " +
      'CASE WHEN l_linenumber > 6 THEN NULL ELSE l_shipmode END AS mode, CAST(l_orderkey AS INTEGER) AS k, ' +
      'CAST(l_linenumber AS SMALLINT) AS small, CAST(l_quantity / 7 AS REAL) AS q4 ' +
      'FROM tpch.lineitem WHERE l_orderkey < 200 ORDER BY l_orderkey, l_linenumber';
    const actual = asComparable(await c.query({ text: sql, rowMode: 'array' }));
    const expected = await oracle.query(sql);
    expect(compareResults(actual, expected, { ordered: true })).toEqual([]);
    expect(actual.rows.length).toBeGreaterThan(100);
    expect(actual.rows.some((r) => r[9] === null)).toBe(true);
  });

  it('binds parameters as values, never as SQL', async () => {
    const c = await pgClient();
    const sql =
      'SELECT n_nationkey, n_name, n_regionkey FROM tpch.nation WHERE n_regionkey = $1 AND n_name <> $2 ORDER BY 1';
    const got = await c.query({ text: sql, values: [2, 'CHINA'], rowMode: 'array' });
    const expected = await oracle.query(sql.replace('$1', '2').replace('$2', "'CHINA'"));
    expect(compareResults(asComparable(got), expected, { ordered: true })).toEqual([]);
    // A quote in a value stays a value.
    const quoted = await c.query({
      text: 'SELECT count(*) AS n FROM tpch.nation WHERE n_name = $1',
      values: ["x' OR '1'='1"],
    });
    expect(quoted.rows).toEqual([{ n: '0' }]);

    // Binary results are checked byte for byte in pgwire/pg-value-encoders.test.ts: node-postgres
    // decodes every DataRow field as UTF-8 text before its binary parsers see it, so it cannot.
  });

  it('sends arrays with their array OIDs in Postgres text form, and reads them back', async () => {
    const c = await pgClient();
    const result = await c.query(
      `SELECT ARRAY[1, 2] AS a, ARRAY['x', 'y z', NULL] AS b, '{3,4}'::int2[] AS c,
         (ARRAY[10, 20, 30])[2] AS d, array_agg(n_nationkey ORDER BY n_nationkey) AS e
       FROM tpch.nation WHERE n_regionkey = 1`,
    );
    expect(result.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['a', 1007],
      ['b', 1015],
      ['c', 1005],
      ['d', 23],
      ['e', 1007],
    ]);
    expect(result.rows).toEqual([
      { a: '{1,2}', b: '{x,"y z",NULL}', c: '{3,4}', d: '20', e: '{1,2,3,17,24}' },
    ]);
    // A parameter in Postgres' text form, cast to an array, and ANY over it.
    const any = await c.query({
      text: 'SELECT count(*) AS n FROM tpch.nation WHERE n_name = ANY ($1::text[])',
      values: ['{BRAZIL,PERU,"NOT A NATION"}'],
    });
    expect(any.rows).toEqual([{ n: '2' }]);
  });

  it('fetches 1.2 million rows through a cursor in batches, as DuckDB counts them', async () => {
    const c = await pgClient();
    const sql =
      'SELECT l_orderkey, l_linenumber FROM big.lineitem UNION ALL SELECT l_orderkey, l_linenumber FROM big.lineitem';
    const cursor = c.query(new Cursor(sql, [], { rowMode: 'array' }));
    let rows = 0;
    let sum = 0n;
    let batches = 0;
    const started = performance.now();
    for (;;) {
      const batch = (await cursor.read(50_000)) as string[][];
      if (batch.length === 0) break;
      batches++;
      rows += batch.length;
      for (const row of batch) sum += BigInt(row[0]);
    }
    await cursor.close();
    const seconds = (performance.now() - started) / 1000;
    const expected = await oracle.query(`SELECT count(*) AS n, sum(l_orderkey) AS s FROM (${sql})`);
    expect([String(rows), sum.toString()]).toEqual(expected.rows[0].map(String));
    expect(rows).toBeGreaterThanOrEqual(1_000_000);
    expect(batches).toBeGreaterThan(20);
    console.log(`pgwire cursor: ${rows} rows in ${batches} batches, ${seconds.toFixed(1)} s`);
  }, 120_000);

  it('answers errors with their SQLSTATE and position', async () => {
    const c = await pgClient();
    const cases: [string, string, number | undefined][] = [
      ['SELEC 1', '42601', 7],
      ['SELECT * FROM tpch.nations', '42P01', 15],
      ['SELECT n_nam FROM tpch.nation', '42703', 8],
    ];
    for (const [sql, code, position] of cases) {
      const error = (await c.query(sql).catch((e: unknown) => e)) as { code?: string; position?: string };
      expect({ sql, code: error.code, position: error.position }).toEqual({
        sql,
        code,
        position: position === undefined ? undefined : String(position),
      });
    }
    // The extended protocol (a prepared statement) reports the same position.
    const prepared = (await c
      .query({ text: 'SELECT n_nam FROM tpch.nation', values: [] as string[], name: 'p1' })
      .catch((e: unknown) => e)) as { code?: string; position?: string };
    expect([prepared.code, prepared.position]).toEqual(['42703', '8']);
    // The connection goes on after an error.
    expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
  });

  it('stops a running query on a cancel request (57014), and the job is CANCELED', async () => {
    const c = await pgClient();
    const { processID, secretKey } = c as unknown as { processID: number; secretKey: number };
    const running = c.query(HEAVY).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 1500));
    const started = performance.now();
    // What psql sends on Ctrl-C: a CancelRequest with the session's key, on a new connection.
    const request = Buffer.alloc(16);
    request.writeInt32BE(16, 0);
    request.writeInt32BE(80877102, 4);
    request.writeInt32BE(processID, 8);
    request.writeInt32BE(secretKey, 12);
    const socket = connect(service.pgPort, '127.0.0.1', () => socket.end(request));
    const error = (await running) as { code?: string };
    expect(error.code).toBe('57014');
    expect(performance.now() - started).toBeLessThan(5_000);
    const jobs = await jobsOf('PGWIRE');
    expect(jobs.find((j) => j.sql === HEAVY)?.state).toBe('CANCELED');
    expect((await c.query('SELECT 2 AS two')).rows).toEqual([{ two: '2' }]);
  }, 60_000);

  it('refuses a wrong password and an unknown user with 28P01', async () => {
    for (const who of [
      { user: ADMIN.user, password: 'not-the-password' },
      { user: 'nobody', password: 'whatever-it-is' },
    ]) {
      const c = new pg.Client({ host: '127.0.0.1', port: service.pgPort, ssl: SSL, ...who });
      const error = (await c.connect().catch((e: unknown) => e)) as { code?: string; message?: string };
      expect(error.code).toBe('28P01');
      expect(error.message).toBe(`password authentication failed for user "${who.user}"`);
      await c.end().catch(() => undefined);
    }
  });

  it('audits failed logins as HTTP does', async () => {
    const answer = await client.request<{
      events: { action: string; outcome: string; actor?: string; details?: Record<string, unknown> }[];
    }>('GET', '/api/v1/audit?limit=100');
    const failed = answer.body.events.filter((e) => e.action === 'login' && e.outcome === 'failed');
    expect(failed).toContainEqual(
      expect.objectContaining({ actor: ADMIN.user, details: { protocol: 'pgwire', address: '127.0.0.1' } }),
    );
    expect(failed).toContainEqual(
      expect.objectContaining({
        details: { reason: 'unknown user', protocol: 'pgwire', address: '127.0.0.1' },
      }),
    );
  });

  it("names result columns as Postgres does, where HTTP keeps DuckDB's names", async () => {
    const c = await pgClient();
    const sql =
      'SELECT count(*), sum(n_nationkey), n_name, 1 + 1, CAST(n_regionkey AS BIGINT), max(n_nationkey) AS top ' +
      'FROM tpch.nation GROUP BY n_name, n_regionkey ORDER BY n_name LIMIT 1';
    const got = await c.query({ text: sql, rowMode: 'array' });
    expect(got.fields.map((f) => f.name)).toEqual([
      'count',
      'sum',
      'n_name',
      '?column?',
      'n_regionkey',
      'top',
    ]);
    // The same names through the extended protocol (a parameter makes node-postgres use it).
    const prepared = await c.query({ text: 'SELECT count(*), $1::int + 1 FROM tpch.nation', values: [1] });
    expect(prepared.fields.map((f) => f.name)).toEqual(['count', '?column?']);
    const http = await client.sql(sql);
    const expected = await oracle.query(sql);
    expect(http.columns.map((col) => col.name)).toEqual(expected.columns.map((col) => col.name));
    expect(expected.columns[0].name).toBe('count_star()');
  });

  it('describes a statement before Bind without running a job, with its parameter types', async () => {
    const c = await pgClient();
    const sql =
      'SELECT n_name, count(*) FROM tpch.nation WHERE n_regionkey = $1 AND n_name LIKE $2 GROUP BY 1 LIMIT $3';
    const described = await describeStatement(c, sql);
    // n_regionkey is an INTEGER in the Parquet files (int4), n_name a VARCHAR, LIMIT a bigint.
    expect(described).toEqual({
      parameters: [23, 1043, 20],
      columns: [
        { name: 'n_name', type: 1043 },
        { name: 'count', type: 20 },
      ],
    });
    // A type the client declares wins; a cast tells one.
    expect((await describeStatement(c, 'SELECT $1::date, $2', [0, 20])).parameters).toEqual([1082, 20]);
    // An error keeps its SQLSTATE and its position in the client's text.
    expect(
      (await describeStatement(c, 'SELECT n_nam FROM tpch.nation WHERE n_nationkey = $1')).error,
    ).toEqual({
      code: '42703',
      message: expect.stringContaining('column "n_nam" not found'),
      position: '8',
    });
    const jobs = await jobsOf('PGWIRE');
    expect(
      jobs.filter((j) => j.sql.includes('n_name LIKE') || j.sql.includes('n_nam FROM tpch.nation WHERE')),
    ).toEqual([]);
    // Then bound and run, as a driver does.
    const run = await c.query({ text: sql, values: [2, '%A%', 10], rowMode: 'array' });
    const expected = await oracle.query(
      "SELECT n_name, count(*) FROM tpch.nation WHERE n_regionkey = 2 AND n_name LIKE '%A%' GROUP BY 1 LIMIT 10",
    );
    expect(run.rows.map((r: unknown[]) => r[0]).sort()).toEqual(expected.rows.map((r) => r[0]).sort());
  });

  it('answers session statements drivers send, and statement_timeout bounds a query (57014)', async () => {
    const c = await pgClient();
    for (const statement of [
      'BEGIN',
      'SELECT 1',
      'COMMIT',
      'ROLLBACK',
      'DISCARD ALL',
      'SET extra_float_digits = 3',
    ])
      await c.query(statement);
    expect((await c.query('SHOW extra_float_digits')).rows).toEqual([{ extra_float_digits: '3' }]);
    expect((await c.query('SHOW DateStyle')).rows).toEqual([{ datestyle: 'ISO, MDY' }]);
    await c.query("SET search_path = 'tpch'");
    expect((await c.query('SHOW search_path')).rows).toEqual([{ search_path: 'tpch' }]);
    const bad = (await c.query("SET statement_timeout = 'soon'").catch((e: unknown) => e)) as {
      code?: string;
    };
    expect(bad.code).toBe('22023');
    await c.query("SET statement_timeout = '500ms'");
    const started = performance.now();
    const error = (await c.query(HEAVY).catch((e: unknown) => e)) as { code?: string; message?: string };
    expect([error.code, error.message]).toEqual(['57014', 'the query ran past its deadline of 500 ms']);
    expect(performance.now() - started).toBeLessThan(5_000);
    await c.query('RESET statement_timeout');
    expect((await c.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: '0' }]);
  }, 30_000);

  it('matches regular expressions ignoring case with ~* and !~* (anywhere, as Postgres does)', async () => {
    const c = await pgClient();
    const got = await c.query({
      text: "SELECT n_name, n_name ~* '^a' AS a, n_name !~* 'an' AS no_an FROM tpch.nation ORDER BY n_name",
      rowMode: 'array',
    });
    const expected = await oracle.query(
      "SELECT n_name, regexp_matches(n_name, '^a', 'i') AS a, NOT regexp_matches(n_name, 'an', 'i') AS no_an " +
        'FROM tpch.nation ORDER BY n_name',
    );
    expect(compareResults(asComparable(got), expected, { ordered: true })).toEqual([]);
    expect(got.rows.some((r: unknown[]) => r[1] === 't')).toBe(true);
  });

  it("answers drivers' and BI tools' start-up and metadata queries with the right shapes", async () => {
    const c = await pgClient();
    for (const { client: who, sql } of SESSION_QUERIES) {
      const answer = await c.query(sql).catch((e: unknown) => e as Error);
      expect({ who, sql, error: answer instanceof Error ? answer.message : undefined }).toEqual({
        who,
        sql,
        error: undefined,
      });
      expect((answer as pg.QueryResult).rows.length).toBeLessThanOrEqual(1);
    }
    // getTables: every table of the source, typed TABLE, in the order pgJDBC asks for.
    const tables = await c.query(PGJDBC_GET_TABLES.sql);
    // Its aliases are unquoted: Postgres names them in lower case (pgJDBC reads them either way).
    const names = ['customer', 'lineitem', 'nation', 'orders', 'part', 'partsupp', 'region', 'supplier'];
    expect(
      tables.rows.map((r: Record<string, string>) => [r.table_schem, r.table_name, r.table_type]),
    ).toEqual(names.map((n) => ['tpch', n, 'TABLE']));
    // getColumns: nation's columns in order with their type OIDs, as DuckDB types them.
    const columns = await c.query(PGJDBC_GET_COLUMNS.sql);
    const expected = await oracle.query('SELECT * FROM tpch.nation LIMIT 0');
    const oid = (type: string) => ({ INTEGER: '23', BIGINT: '20', VARCHAR: '1043' })[type] ?? type;
    expect(columns.rows.map((r: Record<string, string>) => [r.attname, r.atttypid, r.attnum])).toEqual(
      expected.columns.map((col, i) => [col.name, oid(col.type), String(i + 1)]),
    );
    // pgJDBC's TypeInfoCache, prepared: a name's OID, an array type as an array, its element.
    const byName = await c.query({ text: PGJDBC_TYPE_INFO.oidByName.sql, values: ['int4'] });
    expect(byName.rows).toEqual([{ oid: '23', typname: 'int4' }]);
    const byOid = await c.query({ text: PGJDBC_TYPE_INFO.typeByOid.sql, values: [1007] });
    expect(byOid.rows).toEqual([{ is_array: 't', typtype: 'b', typname: '_int4', oid: '1007' }]);
    const scalar = await c.query({ text: PGJDBC_TYPE_INFO.typeByOid.sql, values: [1043] });
    expect(scalar.rows.map((r: Record<string, string>) => r.is_array)).toEqual(['f']);
    const element = await c.query({ text: PGJDBC_TYPE_INFO.arrayElement.sql, values: [1009] });
    expect(element.rows.map((r: Record<string, string>) => [r.oid, r.nspname, r.typname])).toEqual([
      ['25', 'pg_catalog', 'text'],
    ]);
    // psycopg's type lookup: one row for numeric.
    const type = await c.query(PSYCOPG_TYPE_INFO.sql);
    expect(type.rows.map((r: Record<string, string>) => [r.name, r.oid])).toEqual([['numeric', '1700']]);
    // npgsql's type loading: four statements in one message; every OID a RowDescription uses is a base type.
    const loaded = (await c.query(NPGSQL_LOAD_TYPES.sql)) as unknown as pg.QueryResult[];
    expect(loaded.map((r) => r.command)).toEqual(['SELECT', 'SELECT', 'SELECT', 'SELECT']);
    const baseTypes = new Map(loaded[1].rows.map((r: Record<string, string>) => [r.oid, r.typtype]));
    for (const oid of ['16', '20', '23', '25', '701', '1043', '1082', '1114', '1700'])
      expect([oid, baseTypes.get(oid)]).toEqual([oid, 'b']);
    const schemas = await c.query(METABASE_SCHEMAS.sql);
    expect(schemas.rows.map((r: Record<string, string>) => r.TABLE_SCHEM)).toEqual(
      expect.arrayContaining(['big', 'public', 'sys', 'tpch']),
    );
    expect(schemas.rows.every((r: Record<string, string>) => r.TABLE_CATALOG === 'tributary')).toBe(true);
    // The extended protocol (pgJDBC's default) answers getTables the same.
    const extended = await c.query({
      text: PGJDBC_GET_TABLES.sql,
      values: [] as string[],
      name: 'jdbc-tables',
    });
    expect(extended.rows).toEqual(tables.rows);
  });

  it('signs in a user whose password predates SCRAM verifiers in cleartext once, then by SCRAM', async () => {
    const catalog = new Database(path.join(service.dataDir, 'catalog.db'));
    try {
      catalog.pragma('busy_timeout = 5000');
      catalog.prepare('UPDATE users SET scram_verifier = NULL WHERE name = ?').run(ALICE.user);
      const c = await pgClient(ALICE);
      expect((await c.query('SELECT 1 AS one')).rows).toEqual([{ one: '1' }]);
      const row = catalog.prepare('SELECT scram_verifier FROM users WHERE name = ?').get(ALICE.user) as {
        scram_verifier: string | null;
      };
      expect(row.scram_verifier).toMatch(/^SCRAM-SHA-256\$4096:/);
      const again = await pgClient(ALICE);
      expect((await again.query('SELECT 2 AS two')).rows).toEqual([{ two: '2' }]);
      const wrong = new pg.Client({
        host: '127.0.0.1',
        port: service.pgPort,
        user: ALICE.user,
        password: 'nope-nope-nope',
        ssl: SSL,
      });
      expect(((await wrong.connect().catch((e: unknown) => e)) as { code?: string }).code).toBe('28P01');
      await wrong.end().catch(() => undefined);
    } finally {
      catalog.close();
    }
    const jobs = await jobsOf('PGWIRE');
    expect(jobs.some((j) => j.user === ALICE.user && j.sql === 'SELECT 2 AS two')).toBe(true);
  });

  describe.skipIf(!hasPsql)('psql', () => {
    it('runs several statements in one message and answers SET and SHOW', () => {
      const out = psql([
        '-A',
        '-t',
        '-c',
        'SELECT count(*) FROM tpch.nation; SELECT r_name FROM tpch.region ORDER BY 1 LIMIT 2',
        '-c',
        'SET application_name = e2e',
        '-c',
        'SHOW application_name',
      ]);
      expect(out.stderr).toBe('');
      expect(out.stdout.trim().split('\n')).toEqual(['25', 'AFRICA', 'AMERICA', 'SET', 'e2e']);
    });

    it('lists tables, schemas and databases (\\dt, \\dn, \\l)', () => {
      const tables = psql(['-A', '-t', '-c', '\\dt']);
      expect(tables.stderr).toBe('');
      const names = ['customer', 'lineitem', 'nation', 'orders', 'part', 'partsupp', 'region', 'supplier'];
      expect(tables.stdout.trim().split('\n')).toEqual(
        ['big', 'tpch'].flatMap((schema) => names.map((t) => `${schema}|${t}|table|tributary`)),
      );
      const schemas = psql(['-A', '-t', '-c', '\\dn']);
      expect(schemas.stdout).toContain('tpch|tributary');
      const databases = psql(['-A', '-t', '-c', '\\l']);
      expect(databases.stdout).toMatch(/^tributary\|tributary\|UTF8\|/m);
    });

    it("describes a table's columns (\\d, \\d+) as pg_attribute lists them", () => {
      const described = psql(['-A', '-t', '-c', '\\d tpch.lineitem']);
      expect(described.stderr).toBe('');
      const catalog = psql([
        '-A',
        '-t',
        '-c',
        `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
           CASE WHEN a.attnotnull THEN 'not null' ELSE '' END
         FROM pg_catalog.pg_attribute a WHERE a.attrelid = 'tpch.lineitem'::regclass AND a.attnum > 0
         ORDER BY a.attnum`,
      ]);
      const columns = catalog.stdout.trim().split('\n');
      expect(columns).toHaveLength(16);
      // Name, type, collation, nullability, default.
      expect(described.stdout.trim().split('\n')).toEqual(
        columns.map((line) => {
          const [name, type, notNull] = line.split('|');
          return `${name}|${type}||${notNull}|`;
        }),
      );
      expect(columns[0]).toBe('l_orderkey|bigint|');
      expect(columns).toContain('l_quantity|numeric(15,2)|');
      expect(columns).toContain('l_shipdate|date|');
      const verbose = psql(['-A', '-t', '-c', '\\d+ tpch.lineitem']);
      expect(verbose.stderr).toBe('');
      expect(verbose.stdout).toMatch(/^l_orderkey\|bigint\|\|\|\|plain\|/m);
      expect(verbose.stdout).toMatch(/^l_comment\|character varying\|\|\|\|extended\|/m);
    });

    it('connects over TLS (sslmode=require) and refuses a connection without it', () => {
      const secure = psql(['-c', '\\conninfo']);
      expect(secure.stdout).toMatch(/SSL connection \(protocol: TLSv1\.[23]/);
      const plain = psql(['-c', 'SELECT 1'], ADMIN.password, 'disable');
      expect(plain.status).not.toBe(0);
      expect(plain.stderr).toContain('SSL connection is required');
    });

    it('describes relations, views and functions (\\d, \\dv, \\dt+, \\df, \\dfS)', () => {
      const created = psql([
        '-c',
        'CREATE SPACE pgspace',
        '-c',
        'CREATE VIEW pgspace.asia AS SELECT n_name FROM tpch.nation WHERE n_regionkey = 2',
      ]);
      expect(created.stderr).toBe('');
      const all = psql(['-A', '-t', '-c', '\\d']);
      expect(all.stderr).toBe('');
      expect(all.stdout).toContain('tpch|lineitem|table|tributary');
      expect(all.stdout).toContain('pgspace|asia|view|tributary');
      const views = psql(['-A', '-t', '-c', '\\dv']);
      expect(views.stdout.trim().split('\n')).toEqual(['pgspace|asia|view|tributary']);
      const view = psql(['-A', '-t', '-c', '\\d pgspace.asia']);
      expect([view.stderr, view.stdout.trim()]).toEqual(['', 'n_name|character varying|||']);
      const viewVerbose = psql(['-c', '\\d+ pgspace.asia']);
      expect(viewVerbose.stderr).toBe('');
      expect(viewVerbose.stdout).toContain(
        'View definition:\nSELECT n_name FROM tpch.nation WHERE n_regionkey = 2',
      );
      const verbose = psql(['-A', '-t', '-c', '\\dt+ tpch.*']);
      expect(verbose.stderr).toBe('');
      expect(verbose.stdout).toMatch(/^tpch\|nation\|table\|tributary\|permanent\|/m);
      const functions = psql(['-A', '-t', '-c', '\\df']);
      expect([functions.status, functions.stderr]).toEqual([0, '']);
      const builtIn = psql(['-A', '-t', '-c', '\\dfS']);
      expect(builtIn.stdout).toMatch(/^pg_catalog\|upper\|\|\|func$/m);
      expect(builtIn.stdout).toMatch(/^pg_catalog\|sum\|\|\|agg$/m);
      // \df+ joins pg_language and reads volatility; \du reads role membership; \dx extensions.
      const detailed = psql(['-A', '-t', '-c', '\\df+ upper']);
      expect(detailed.stderr).toBe('');
      expect(detailed.stdout).toMatch(
        /^pg_catalog\|upper\|\|\|func\|immutable\|safe\|tributary\|invoker\|\|internal\|upper\|$/m,
      );
      const roles = psql(['-A', '-t', '-c', '\\du']);
      expect(roles.stderr).toBe('');
      expect(roles.stdout).toMatch(/^tributary\|Superuser/m);
      const extensions = psql(['-A', '-t', '-c', '\\dx']);
      expect([extensions.status, extensions.stderr, extensions.stdout.trim()]).toEqual([0, '', '']);
      // Catalogs of objects Tributary has none of: psql lists nothing (at most "Did not find any …"), without an error.
      for (const command of [
        '\\dD',
        '\\dC',
        '\\do',
        '\\db',
        '\\dy',
        '\\dc',
        '\\des',
        '\\dL',
        '\\drds',
        '\\dRp',
      ]) {
        const listed = psql(['-A', '-t', '-c', command]);
        expect([command, listed.status, listed.stderr.replace(/^Did not find any [a-z ]+\.\n$/, '')]).toEqual(
          [command, 0, ''],
        );
      }
      const sizes = psql([
        '-A',
        '-t',
        '-c',
        'SELECT pg_size_pretty(10240::bigint), pg_size_pretty(123456789::bigint)',
      ]);
      expect(sizes.stdout.trim()).toBe('10 kB|118 MB');
    });

    it('shows a syntax error with its line and caret', () => {
      const out = psql(['-c', 'SELECT n_name\nFROM tpch.nation\nWHER n_nationkey = 1']);
      expect(out.status).not.toBe(0);
      expect(out.stderr).toContain('ERROR:  syntax error at or near "n_nationkey"');
      expect(out.stderr).toContain('LINE 3: WHER n_nationkey = 1');
    });

    it('cancels the running statement on Ctrl-C', async () => {
      const child = spawn(
        'psql',
        ['-X', '-h', '127.0.0.1', '-p', String(service.pgPort), '-U', ADMIN.user, '-c', HEAVY],
        { env: { ...process.env, PGPASSWORD: ADMIN.password } },
      );
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      await new Promise((r) => setTimeout(r, 2_000));
      child.kill('SIGINT');
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).not.toBe(0);
      expect(stderr).toContain('the query was cancelled');
    }, 60_000);
  });
});
