import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults } from '@tributary/common/testing';
import { startTributary, type TributaryProcess } from './harness.ts';
import { TributaryClient, type ErrorResponseBody } from './tributary-client.ts';

interface TableView {
  name: string;
  columns: { name: string; type: string }[];
  settings?: Record<string, unknown>;
  snapshot?: { fingerprint: string; files: number; bytes: number };
}
interface SourceView {
  name: string;
  path: string;
  options: Record<string, unknown>;
  refreshedAt: string;
  tables: TableView[];
}
interface RefreshAnswer {
  source: SourceView;
  changes: {
    added: string[];
    removed: string[];
    changed: { name: string; schemaChanged: boolean; dataChanged: boolean }[];
    unchanged: string[];
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Source metadata through a real service: refresh (manual and in the background), PUT of
 * options, SOURCE_CHANGED for a query between a change and a refresh (never a misleading parse
 * error), a file swapped for a symlink that leads outside the roots, a restart, and a refresh of
 * a folder that vanished (typed error, old metadata kept).
 */
describe('source refresh and change detection', () => {
  let base = '';
  let csv = '';
  let pq = '';
  let outside = '';
  let oracle: DuckDbOracle;
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  const csvFile = (name: string) => path.join(csv, `${name}.csv`);
  const get = async (name: string) =>
    (await client.request<SourceView>('GET', `/api/v1/sources/${name}`)).body;
  const refresh = (name: string) =>
    client.request<RefreshAnswer & ErrorResponseBody>('POST', `/api/v1/sources/${name}/refresh`);

  /** The query's answer on Tributary must equal DuckDB's over the same files (names, types, values). */
  async function matchesDuckDb(sql: string, duckSql: string, ordered = true): Promise<void> {
    const actual = await client.sql(sql);
    const expected = await oracle.query(duckSql);
    expect(compareResults(actual, expected, { ordered }), sql).toEqual([]);
  }

  async function count(table: string): Promise<number> {
    return Number((await client.sql(`SELECT count(*) AS n FROM ${table}`)).rows[0][0]);
  }

  async function writeParquet(file: string, select: string): Promise<void> {
    await oracle.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  }

  beforeAll(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'tributary-refresh-'));
    outside = await mkdtemp(path.join(tmpdir(), 'tributary-refresh-outside-'));
    csv = path.join(base, 'csv');
    pq = path.join(base, 'pq');
    await mkdir(csv);
    await mkdir(pq);
    await writeFile(csvFile('a'), 'k,name\n1,one\n2,two\n3,three\n');
    await writeFile(csvFile('b'), 'k,qty\n1,10\n2,20\n3,30\n3,31\n');
    await writeFile(path.join(outside, 'secret.csv'), 'k,name\n7,secret\n');
    oracle = await DuckDbOracle.open();
    await writeParquet(path.join(pq, 'p1.parquet'), 'SELECT range AS id, range * 2 AS v FROM range(100)');
    await writeParquet(path.join(pq, 'p2.parquet'), "SELECT range AS id, 'x' || range AS s FROM range(50)");
    service = await startTributary({
      executors: 2,
      sourceRoots: [base],
      env: {
        TRIBUTARY_BROADCAST_ROW_LIMIT: '0',
        TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS: '0',
        // Here a changed file fails the query; the second service re-reads it instead.
        TRIBUTARY_SOURCE_AUTO_REFRESH: 'false',
      },
    });
    await client.addSource({ name: 'f', type: 'csv', path: csv });
    // One source a file: a folder of Parquet files may be one table or one a file, and these
    // tests are about change, not about how a folder is laid out.
    await client.addSource({ name: 'p', type: 'parquet', path: path.join(pq, 'p2.parquet') });
    await client.addSource({ name: 'q', type: 'parquet', path: path.join(pq, 'p1.parquet') });
  }, 120_000);

  afterAll(async () => {
    await service?.dispose();
    oracle?.close();
    await rm(base, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('shows each table with a snapshot fingerprint, and its settings when the connector has any', async () => {
    const source = await get('f');
    expect(source.tables.map((t) => t.name)).toEqual(['a', 'b']);
    for (const table of source.tables) {
      expect(table.snapshot).toMatchObject({
        fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
        files: 1,
      });
      if (table.settings !== undefined) expect(typeof table.settings).toBe('object');
    }
    const listed = (await client.request<{ sources: SourceView[] }>('GET', '/api/v1/sources')).body;
    expect(listed.sources.find((s) => s.name === 'f')?.tables).toEqual(source.tables);
    await matchesDuckDb(
      'SELECT a.name, sum(b.qty) AS q FROM f.a JOIN f.b ON a.k = b.k GROUP BY a.name ORDER BY a.name',
      `SELECT a.name, sum(b.qty) AS q FROM read_csv('${csvFile('a')}') a JOIN read_csv('${csvFile('b')}') b ON a.k = b.k GROUP BY a.name ORDER BY a.name`,
    );
  });

  it('fails a query on a file changed since the last refresh with SOURCE_CHANGED, then reads it after a refresh', async () => {
    const before = await get('f');
    // Twice, so that the plan cache holds the plan when the file changes under it.
    for (let i = 0; i < 2; i++) expect((await client.sqlAnswer('SELECT sum(qty) FROM f.b')).status).toBe(200);
    // b gains a column and rows: read with the old schema, this was CSV_RAGGED_ROW.
    await writeFile(csvFile('b'), 'k,qty,note\n1,10,x\n2,20,y\n3,30,z\n4,40,w\n');
    await rm(csvFile('a'));
    await writeFile(csvFile('c'), 'k,city\n1,Oslo\n2,Lima\n');
    const stale = await client.sqlAnswer('SELECT sum(qty) FROM f.b');
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'SOURCE_CHANGED', phase: 'source' });
    expect(stale.body.message).toContain('f.b');
    expect(stale.body.message).toContain('POST /api/v1/sources/f/refresh');
    expect((await client.sqlAnswer('SELECT count(*) FROM f.a')).body).toMatchObject({
      code: 'SOURCE_CHANGED',
    });
    // A column the file gained is not "not found": the catalog is what is out of date.
    expect((await client.sqlAnswer('SELECT note FROM f.b')).body).toMatchObject({ code: 'SOURCE_CHANGED' });

    const answer = await refresh('f');
    expect(answer.status).toBe(200);
    expect(answer.body.changes).toEqual({
      added: ['c'],
      removed: ['a'],
      changed: [{ name: 'b', schemaChanged: true, dataChanged: true }],
      unchanged: [],
    });
    expect(answer.body.source.tables.map((t) => t.name)).toEqual(['b', 'c']);
    const b = answer.body.source.tables[0];
    expect(b.columns.map((c) => c.name)).toEqual(['k', 'qty', 'note']);
    expect(b.snapshot?.fingerprint).not.toBe(before.tables[1].snapshot?.fingerprint);
    await matchesDuckDb(
      'SELECT b.k, b.qty, b.note, c.city FROM f.b LEFT JOIN f.c ON b.k = c.k ORDER BY b.k',
      `SELECT b.k, b.qty, b.note, c.city FROM read_csv('${csvFile('b')}') b LEFT JOIN read_csv('${csvFile('c')}') c ON b.k = c.k ORDER BY b.k`,
    );
    const gone = await client.sqlAnswer('SELECT * FROM f.a');
    expect(gone.body).toMatchObject({ code: 'TABLE_NOT_FOUND' });
  });

  it('sees a Parquet file rewritten with another schema', async () => {
    await writeParquet(path.join(pq, 'p2.parquet'), 'SELECT range AS id, range / 4 AS ratio FROM range(80)');
    expect((await client.sqlAnswer('SELECT count(*) FROM p.p2')).body).toMatchObject({
      code: 'SOURCE_CHANGED',
    });
    // Its neighbour did not change and is read as before.
    expect(await count('q.p1')).toBe(100);
    const answer = await refresh('p');
    expect(answer.body.changes).toEqual({
      added: [],
      removed: [],
      changed: [{ name: 'p2', schemaChanged: true, dataChanged: true }],
      unchanged: [],
    });
    await matchesDuckDb(
      'SELECT id, ratio FROM p.p2 ORDER BY id',
      `SELECT id, ratio FROM read_parquet('${path.join(pq, 'p2.parquet')}') ORDER BY id`,
    );
  });

  it('reads a SQLite table live as rows change, and asks for a refresh when its definition changed', async () => {
    const file = path.join(base, 'live.db');
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      // Writes stay in the -wal file (no checkpoint): a live database is read as it is.
      const write = (sql: string) => db.exec(sql);
      write("CREATE TABLE t (k INTEGER, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b')");
      await client.addSource({ name: 'lite', type: 'sqlite', path: file });
      const before = (await get('lite')).tables[0].snapshot?.fingerprint;
      // The second plan is the cached one; the row added after it must still be read.
      for (let i = 0; i < 2; i++) expect(await count('lite.t')).toBe(2);
      write("INSERT INTO t VALUES (3, 'c')");
      expect(await count('lite.t')).toBe(3);
      write('DELETE FROM t WHERE k = 3');
      expect(await count('lite.t')).toBe(2);
      write("INSERT INTO t VALUES (3, 'c')");
      expect(await count('lite.t')).toBe(3);
      write('ALTER TABLE t ADD COLUMN w INTEGER');
      expect((await client.sqlAnswer('SELECT k FROM lite.t')).body).toMatchObject({ code: 'SOURCE_CHANGED' });
      const answer = await refresh('lite');
      expect(answer.body.changes.changed).toEqual([{ name: 't', schemaChanged: true, dataChanged: true }]);
      expect(answer.body.source.tables[0].snapshot?.fingerprint).not.toBe(before);
      expect(answer.body.source.tables[0].columns.map((c) => c.name)).toEqual(['k', 'v', 'w']);
      expect(await count('lite.t')).toBe(3);
    } finally {
      db.close();
    }
  });

  it('refuses a file swapped for a symlink that leads outside the roots, at query and at refresh', async () => {
    const kept = await get('f');
    await rm(csvFile('c'));
    await symlink(path.join(outside, 'secret.csv'), csvFile('c'));
    const query = await client.sqlAnswer('SELECT * FROM f.c');
    expect(query.status).toBe(400);
    expect(query.body).toMatchObject({ code: 'PATH_NOT_ALLOWED' });
    expect(query.text).not.toContain('secret');
    const answer = await refresh('f');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'PATH_NOT_ALLOWED', details: { metadataKept: true } });
    expect(await get('f')).toEqual(kept);
    await rm(csvFile('c'));
    await writeFile(csvFile('c'), 'k,city\n1,Oslo\n2,Lima\n');
    expect((await refresh('f')).status).toBe(200);
  });

  it('changes options with PUT through discovery, and keeps the old metadata on a bad one', async () => {
    const put = (name: string, body: unknown) =>
      client.request<RefreshAnswer & ErrorResponseBody>('PUT', `/api/v1/sources/${name}`, body);
    const changed = await put('f', { options: { header: false } });
    expect(changed.status).toBe(200);
    expect(changed.body.source.options).toEqual({ header: false });
    const c = changed.body.source.tables.find((t) => t.name === 'c');
    expect(c?.columns.map((col) => col.type)).toEqual(['VARCHAR', 'VARCHAR']);
    expect(changed.body.changes.changed.map((t) => t.name)).toEqual(['b', 'c']);
    expect(await count('f.c')).toBe(3);

    const restored = await put('f', { options: {} });
    expect(restored.status).toBe(200);
    const kept = await get('f');
    const bad = await put('f', { options: { delimiter: 'too long' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toMatch(/^SOURCE_OPTION_/);
    expect((await put('f', { options: 'x' })).body).toMatchObject({ code: 'INVALID_SOURCE_OPTIONS' });
    expect(await get('f')).toEqual(kept);
    const unknown = await put('ff', { options: {} });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    expect(unknown.body.suggestions?.[0]).toBe('f');
    const misspelt = await refresh('pp');
    expect(misspelt.status).toBe(404);
    expect(misspelt.body.suggestions?.[0]).toBe('p');
  });

  it('keeps the refreshed metadata across a restart', async () => {
    const before = await get('f');
    const stopped = await service!.restart();
    expect(stopped.forced).toBe(false);
    expect(await get('f')).toEqual(before);
    await matchesDuckDb(
      'SELECT k, qty, note FROM f.b ORDER BY k',
      `SELECT k, qty, note FROM read_csv('${csvFile('b')}') ORDER BY k`,
    );
  }, 60_000);

  it('answers a typed error and keeps the metadata when the folder vanished', async () => {
    const before = await get('f');
    await rename(csv, `${csv}-moved`);
    try {
      const answer = await refresh('f');
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({
        code: 'PATH_NOT_FOUND',
        details: { source: 'f', metadataKept: true },
      });
      expect(await get('f')).toEqual(before);
      expect((await client.sqlAnswer('SELECT * FROM f.b')).body).toMatchObject({ code: 'SOURCE_CHANGED' });
    } finally {
      await rename(`${csv}-moved`, csv);
    }
    expect(await count('f.b')).toBe(4);
  });
});

/** The defaults' side: a changed table is re-read by the query itself, and sources are refreshed on an interval. */
describe('automatic and background source refresh', () => {
  let folder = '';
  let service: TributaryProcess | undefined;
  const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'tributary-refresh-bg-'));
    await mkdir(path.join(folder, 'data'));
    await writeFile(path.join(folder, 'data', 'a.csv'), 'k\n1\n2\n');
    service = await startTributary({
      executors: 1,
      sourceRoots: [folder],
      env: { TRIBUTARY_SOURCE_REFRESH_INTERVAL_MS: '1000' },
    });
    await client.addSource({ name: 'bg', type: 'csv', path: path.join(folder, 'data') });
  }, 60_000);

  afterAll(async () => {
    await service?.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  async function tablesOf(): Promise<string[]> {
    const view = (await client.request<SourceView>('GET', '/api/v1/sources/bg')).body;
    return view.tables.map((t) => t.name);
  }

  async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      if (await check()) return;
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('re-reads a table whose file changed schema when a query reads it', async () => {
    await writeFile(path.join(folder, 'data', 'a.csv'), 'k,label\n1,one\n2,two\n3,three\n');
    const answer = await client.sql(
      "SELECT CAST(k AS VARCHAR) AS k, label FROM bg.a WHERE label <> 'two' ORDER BY k",
    );
    expect(answer.columns).toEqual([
      { name: 'k', type: 'VARCHAR' },
      { name: 'label', type: 'VARCHAR' },
    ]);
    expect(answer.rows).toEqual([
      ['1', 'one'],
      ['3', 'three'],
    ]);
  });

  it('picks up new and changed files on its own, and keeps the metadata when a refresh fails', async () => {
    await writeFile(path.join(folder, 'data', 'b.csv'), 'k,v\n1,x\n');
    await writeFile(path.join(folder, 'data', 'a.csv'), 'k\n1\n2\n3\n4\n');
    await waitFor(async () => (await tablesOf()).includes('b'), 'table b to appear');
    await waitFor(
      async () =>
        Number((await client.sqlAnswer('SELECT count(*) AS n FROM bg.a')).body?.rows?.[0]?.[0]) === 4,
      'a.csv to be read again',
    );
    expect((await client.sql('SELECT CAST(k AS VARCHAR) AS k, v FROM bg.b')).rows).toEqual([['1', 'x']]);

    await rename(path.join(folder, 'data'), path.join(folder, 'gone'));
    await waitFor(
      async () => service!.output().includes('background refresh of source "bg" failed (PATH_NOT_FOUND)'),
      'a failed background refresh to be logged',
    );
    expect(await tablesOf()).toEqual(['a', 'b']);
    const health = await client.request('GET', '/api/v1/health');
    expect(health.status).toBe(200);
  }, 40_000);
});
