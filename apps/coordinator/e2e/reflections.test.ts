import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults, type TypeAllowance } from '@tributary/common/testing';
import { definingSql, type ReflectionDefinition } from '@tributary/reflections';
import { startTributary, tpchRoot, type TributaryProcess } from './harness.ts';
import { TributaryClient } from './tributary-client.ts';
import { SORTED_ROW_GROUP_ROWS } from '../src/reflections/build-materialization.ts';

/**
 * Reflections end to end, on one cluster: created by SQL and REST, built into Parquet
 * (checked by DuckDB reading the folder against DuckDB running the defining query on the same
 * files), refreshed when the data changes, failing into FAILED after retries, dropped, kept
 * across a restart, and left serving by a crash in the middle of a build.
 */

interface ReflectionBody extends ReflectionDefinition {
  dataset: string[];
  status: string;
  tag: string;
  failureCount: number;
  lastError: string | null;
  materialization: { id: string; rows: number; bytes: number; builtAt: string; incremental: boolean } | null;
}

const sf001 = path.join(tpchRoot, 'sf0.01', 'parquet');
const root = mkdtempSync(path.join(tmpdir(), 'reflections-e2e-'));
const lake = path.join(root, 'lake');
const dataDir = path.join(root, 'data');
const reflectionsDir = path.join(dataDir, 'reflections');
const gate = path.join(root, 'build-gate');
/** Parquet has no 128-bit integer: a HUGEINT sum is kept as DECIMAL(38,0) (the matcher casts back). */
const HUGEINT_AS_DECIMAL = (column: string): TypeAllowance => ({
  column,
  actual: 'DECIMAL(38,0)',
  expected: 'HUGEINT',
});

let oracle: DuckDbOracle;
let service: TributaryProcess | undefined;
const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

/**
 * Writes a query's rows to a file of the lake the way a careful producer does: whole, then renamed in.
 * (A copy written in place can be seen half-written, which rightly costs a second, full rebuild.)
 */
async function writeParquet(select: string, file: string): Promise<void> {
  const staging = path.join(root, 'staging.parquet');
  await oracle.run(`COPY (${select}) TO '${staging}' (FORMAT parquet)`);
  renameSync(staging, path.join(lake, file));
}

async function reflection(id: string): Promise<ReflectionBody> {
  const answer = await client.request<ReflectionBody>('GET', `/api/v1/reflections/${id}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.body;
}

/** Polls until the reflection is in `status` (and, if given, built after `after`). */
async function until(
  id: string,
  status: string,
  after?: string,
  timeoutMs = 60_000,
): Promise<ReflectionBody> {
  const deadline = Date.now() + timeoutMs;
  let last: ReflectionBody | undefined;
  while (Date.now() < deadline) {
    last = await reflection(id);
    if (last.status === status && (after === undefined || last.materialization?.id !== after)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(
    `reflection ${id} not ${status}: ${JSON.stringify(last)}\n${service?.output().slice(-3000)}`,
  );
}

const files = (folder: string): string[] =>
  readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.parquet'))
    .sort();

/**
 * DuckDB reading the materialization's files equals DuckDB running the defining query on the
 * base files: the same column names and types, and the same rows; for an aggregation
 * reflection built incrementally (several rows a group), the same rows once re-aggregated.
 */
async function sameAsDefiningQuery(body: ReflectionBody, allowances: TypeAllowance[] = []): Promise<void> {
  const folder = path.join(reflectionsDir, body.id, body.materialization!.id);
  const files = `read_parquet('${folder}/**/*.parquet', hive_partitioning = false)`;
  const actual = await oracle.query(`SELECT * FROM ${files}`);
  const expected = await oracle.query(definingSql({ ...body, datasetPath: body.dataset }));
  expect(actual.rows.length).toBe(body.materialization!.rows);
  const asActual = { columns: actual.columns, rows: actual.rows };
  if (body.type === 'RAW' || !body.materialization!.incremental) {
    expect(compareResults(asActual, expected, { typeAllowances: allowances })).toEqual([]);
    return;
  }
  expect(
    compareResults({ ...asActual, rows: [] }, { ...expected, rows: [] }, { typeAllowances: allowances }),
  ).toEqual([]);
  const dimensions = body.dimensions.length;
  const items = actual.columns.map((c, i) => {
    const quoted = `"${c.name}"`;
    if (i < dimensions) return quoted;
    const fn = c.name.startsWith('__min__') ? 'min' : c.name.startsWith('__max__') ? 'max' : 'sum';
    return `${fn}(${quoted}) AS ${quoted}`;
  });
  const groups = body.dimensions.map((_, i) => i + 1).join(', ');
  const rolled = await oracle.query(
    `SELECT ${items.join(', ')} FROM ${files}${groups ? ` GROUP BY ${groups}` : ''}`,
  );
  expect(compareResults(rolled, expected, { compareTypes: false })).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(path.join(lake, 'orders'), { recursive: true });
  copyFileSync(path.join(sf001, 'lineitem.parquet'), path.join(lake, 'lineitem.parquet'));
  oracle = await DuckDbOracle.open();
  // orders as a folder table of two files (more are appended later).
  await oracle.run(
    `COPY (SELECT * FROM read_parquet('${sf001}/orders.parquet') WHERE o_orderkey % 3 = 0) TO '${lake}/orders/a.parquet' (FORMAT parquet)`,
  );
  await oracle.run(
    `COPY (SELECT * FROM read_parquet('${sf001}/orders.parquet') WHERE o_orderkey % 3 = 1) TO '${lake}/orders/b.parquet' (FORMAT parquet)`,
  );
  await oracle.run('CREATE SCHEMA lake');
  await oracle.run(`CREATE VIEW lake.lineitem AS SELECT * FROM read_parquet('${lake}/lineitem.parquet')`);
  await oracle.run(`CREATE VIEW lake.orders AS SELECT * FROM read_parquet('${lake}/orders/*.parquet')`);
  service = await startTributary({
    executors: 2,
    dataDir,
    sourceRoots: [root],
    env: {
      TRIBUTARY_REFLECTION_CHECK_INTERVAL_MS: '300',
      TRIBUTARY_REFLECTION_RETRIES: '1',
      TRIBUTARY_REFLECTION_BUILD_GATE: gate,
      // Replaced and dropped copies are deleted half a second after (no query here outlives that).
      TRIBUTARY_REFLECTION_GRACE_MS: '500',
    },
  });
  await client.addSource({ name: 'lake', type: 'parquet', path: lake });
}, 120_000);

afterAll(async () => {
  await service?.dispose();
  oracle?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('reflections', { timeout: 120_000 }, () => {
  let raw: ReflectionBody;
  let agg: ReflectionBody;

  it('builds a raw reflection created in SQL: partition folders, sorted row groups with statistics', async () => {
    const created = await client.sql(
      'ALTER TABLE lake.lineitem CREATE RAW REFLECTION by_flag USING DISPLAY (l_orderkey, l_returnflag, l_shipdate, l_extendedprice, l_comment) ' +
        'PARTITION BY (l_returnflag) LOCALSORT BY (l_shipdate)',
    );
    expect(created.rows[0][0]).toBe(true);
    const listed = await client.request<{ reflections: ReflectionBody[] }>(
      'GET',
      '/api/v1/reflections?dataset=lake.lineitem',
    );
    expect(listed.body.reflections.map((r) => r.name)).toEqual(['by_flag']);
    raw = await until(listed.body.reflections[0].id, 'CAN_ACCELERATE');
    await sameAsDefiningQuery(raw);
    const folder = path.join(reflectionsDir, raw.id, raw.materialization!.id);
    expect(readdirSync(folder).sort()).toEqual(['l_returnflag=A', 'l_returnflag=N', 'l_returnflag=R']);
    for (const file of files(folder)) {
      const groups = await oracle.query(
        `SELECT row_group_id, stats_min, stats_max, row_group_num_rows FROM parquet_metadata('${path.join(folder, file)}') ` +
          `WHERE path_in_schema = 'l_shipdate' ORDER BY row_group_id`,
      );
      expect(groups.rows.length).toBeGreaterThan(0);
      // Small row groups, so a filter on the sort column decodes little.
      for (const [, , , rows] of groups.rows) expect(Number(rows)).toBeLessThanOrEqual(SORTED_ROW_GROUP_ROWS);
      const bounds = groups.rows.map(([, min, max]) => [String(min), String(max)]);
      for (const [min, max] of bounds) expect(min <= max && min !== 'null').toBe(true);
      // Sorted: each row group starts where the previous ended.
      for (let i = 1; i < bounds.length; i++) expect(bounds[i][0] >= bounds[i - 1][1]).toBe(true);
    }
    const rows = await client.sql(
      `SELECT name, status, record_count, dataset FROM sys.reflections WHERE name = 'by_flag'`,
    );
    expect(rows.rows).toEqual([
      ['by_flag', 'CAN_ACCELERATE', String(raw.materialization!.rows), 'lake.lineitem'],
    ]);
  });

  it('creates an aggregation reflection over REST and waits for its build', async () => {
    const answer = await client.request<ReflectionBody>('POST', '/api/v1/reflections?wait=true', {
      name: 'by_month',
      dataset: ['lake', 'orders'],
      type: 'AGGREGATION',
      dimensions: [{ column: 'o_orderstatus' }, { column: 'o_orderdate', granularity: 'month' }],
      measures: [
        { column: 'o_totalprice', functions: ['SUM', 'COUNT', 'MIN', 'MAX'] },
        { column: 'o_custkey', functions: ['SUM'] },
      ],
      localSortBy: ['o_orderdate'],
    });
    expect(answer.status, answer.text).toBe(201);
    agg = answer.body;
    expect(agg.status).toBe('CAN_ACCELERATE');
    await sameAsDefiningQuery(agg, [HUGEINT_AS_DECIMAL('__sum__o_custkey')]);
  });

  it("answers Dremio's v3 reflection API, and changes are guarded by tags and checked like SQL", async () => {
    const v3 = await client.request<Record<string, unknown> & { status: { combinedStatus: string } }>(
      'GET',
      `/api/v3/reflection/${agg.id}`,
    );
    expect(v3.status, v3.text).toBe(200);
    expect(v3.body).toMatchObject({
      type: 'AGGREGATION',
      name: 'by_month',
      enabled: true,
      entityType: 'reflection',
      dimensionFields: [
        { name: 'o_orderstatus', granularity: 'NORMAL' },
        { name: 'o_orderdate', granularity: 'MONTH' },
      ],
      measureFields: [
        { name: 'o_totalprice', measureTypeList: ['SUM', 'COUNT', 'MIN', 'MAX'] },
        { name: 'o_custkey', measureTypeList: ['SUM'] },
      ],
      sortFields: [{ name: 'o_orderdate' }],
      currentSizeBytes: agg.materialization!.bytes,
      status: { config: 'OK', availability: 'AVAILABLE', combinedStatus: 'CAN_ACCELERATE', failureCount: 0 },
    });
    const table = await client.request<{ id: string }>('GET', '/api/v3/catalog/by-path/lake/orders');
    const listed = await client.request<{ data: { id: string }[] }>(
      'GET',
      `/api/v3/dataset/${table.body.id}/reflection`,
    );
    expect(listed.body.data.map((r) => r.id)).toEqual([agg.id]);

    const created = await client.request<{ id: string; tag: string; status: { combinedStatus: string } }>(
      'POST',
      '/api/v3/reflection',
      {
        type: 'RAW',
        name: 'keys',
        datasetId: table.body.id,
        enabled: false,
        displayFields: [{ name: 'O_ORDERKEY' }, { name: 'o_orderdate' }],
        sortFields: [{ name: 'o_orderdate' }],
      },
    );
    expect(created.status, created.text).toBe(200);
    expect(created.body.status.combinedStatus).toBe('DISABLED');
    const change = {
      type: 'RAW',
      name: 'keys',
      datasetId: table.body.id,
      enabled: false,
      displayFields: [{ name: 'o_orderkey' }, { name: 'o_orderdate' }],
      partitionFields: [{ name: 'o_orderdate' }],
    };
    const stale = await client.request('PUT', `/api/v3/reflection/${created.body.id}`, {
      ...change,
      tag: 'old',
    });
    expect(stale.status).toBe(409);
    const badColumn = await client.request<{ code: string; suggestions: string[] }>(
      'PUT',
      `/api/v3/reflection/${created.body.id}`,
      { ...change, tag: created.body.tag, displayFields: [{ name: 'o_orderdat' }] },
    );
    expect(badColumn.body.code).toBe('COLUMN_NOT_FOUND');
    expect(badColumn.body.suggestions).toContain('o_orderdate');
    const changed = await client.request<{ partitionFields: { name: string }[] }>(
      'PUT',
      `/api/v3/reflection/${created.body.id}`,
      { ...change, tag: created.body.tag },
    );
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.partitionFields).toEqual([{ name: 'o_orderdate' }]);
    const badLayout = await client.request<{ code: string }>(
      'PUT',
      `/api/v1/reflections/${created.body.id}`,
      {
        tag: (await reflection(created.body.id)).tag,
        localSortBy: ['o_totalprice'],
      },
    );
    expect(badLayout.body.code).toBe('INVALID_REFLECTION');
    expect((await client.request('DELETE', `/api/v3/reflection/${created.body.id}`)).status).toBe(204);
  });

  it('rebuilds when a file is appended and when one is rewritten', async () => {
    const before = agg.materialization!;
    await writeParquet(
      `SELECT * FROM read_parquet('${sf001}/orders.parquet') WHERE o_orderkey % 3 = 2`,
      'orders/c.parquet',
    );
    agg = await until(agg.id, 'CAN_ACCELERATE', before.id);
    await sameAsDefiningQuery(agg, [HUGEINT_AS_DECIMAL('__sum__o_custkey')]);
    const appended = agg.materialization!;
    // Incremental: the previous copy's files kept (linked), the new file's groups added beside them.
    expect(appended.incremental).toBe(true);
    const kept = files(path.join(reflectionsDir, agg.id, before.id));
    const now = files(path.join(reflectionsDir, agg.id, appended.id));
    expect(now.length).toBeGreaterThan(kept.length);
    for (const file of kept) expect(now).toContain(file);
    await writeParquet(
      `SELECT * FROM read_parquet('${sf001}/orders.parquet') WHERE o_orderkey % 3 = 0 AND o_orderkey > 100`,
      'orders/a.parquet',
    );
    agg = await until(agg.id, 'CAN_ACCELERATE', appended.id);
    // A rewritten file: built again in full.
    expect(agg.materialization!.incremental).toBe(false);
    await sameAsDefiningQuery(agg, [HUGEINT_AS_DECIMAL('__sum__o_custkey')]);
    // The replaced copies stay for queries that may still read them (a grace period), never served again.
    expect(existsSync(path.join(reflectionsDir, agg.id, agg.materialization!.id))).toBe(true);
  });

  it('a build that fails is retried, then FAILED with the reason', async () => {
    await client.sql('CREATE SPACE s');
    await client.sql(
      'CREATE VIEW s.bad AS SELECT o_orderkey, CAST(o_comment AS INTEGER) AS n FROM lake.orders',
    );
    await client.sql('ALTER VIEW s.bad CREATE RAW REFLECTION bad_one USING DISPLAY (o_orderkey, n)');
    const [bad] = (
      await client.request<{ reflections: ReflectionBody[] }>('GET', '/api/v1/reflections?dataset=s.bad')
    ).body.reflections;
    const failed = await until(bad.id, 'FAILED');
    expect(failed.failureCount).toBe(2);
    expect(failed.lastError).toMatch(/CAST|convert|INTEGER/i);
    expect(failed.materialization).toBeNull();
    const jobs = await client.sql(
      `SELECT count(*) FROM sys.jobs WHERE state = 'FAILED' AND query LIKE '%"s"."bad"%'`,
    );
    expect(Number(jobs.rows[0][0])).toBeGreaterThanOrEqual(2);
  });

  it('a crash between writing and switching leaves the old copy serving and nothing stray after restart', async () => {
    const serving = (await reflection(raw.id)).materialization!;
    writeFileSync(gate, '');
    await client.sql('ALTER TABLE lake.lineitem REFRESH REFLECTIONS');
    const deadline = Date.now() + 60_000;
    while (!existsSync(`${gate}.reached`) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(`${gate}.reached`)).toBe(true);
    const written = readdirSync(path.join(reflectionsDir, raw.id));
    expect(written.some((f) => f.endsWith('.tmp'))).toBe(true);
    service!.killNow();
    unlinkSync(gate);
    unlinkSync(`${gate}.reached`);
    await service!.restart();
    const after = await reflection(raw.id);
    expect(after.materialization?.id).toBe(serving.id);
    // Start-up swept the half-written folder; the stopped build runs again.
    expect(readdirSync(path.join(reflectionsDir, raw.id)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const rebuilt = await until(raw.id, 'CAN_ACCELERATE', serving.id);
    await sameAsDefiningQuery(rebuilt);
    expect(readdirSync(path.join(reflectionsDir, raw.id))).toContain(rebuilt.materialization!.id);
    expect((await reflection(agg.id)).materialization?.id).toBe(agg.materialization!.id);
  });

  it('drop removes the reflection and its folder', async () => {
    const answer = await client.request('DELETE', `/api/v1/reflections/${agg.id}`);
    expect(answer.status, answer.text).toBe(204);
    expect((await client.request('GET', `/api/v1/reflections/${agg.id}`)).status).toBe(404);
    await client.sql('ALTER TABLE lake.lineitem DROP REFLECTION by_flag');
    const deadline = Date.now() + 10_000;
    while (existsSync(path.join(reflectionsDir, raw.id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(path.join(reflectionsDir, raw.id))).toBe(false);
    expect(existsSync(path.join(reflectionsDir, agg.id))).toBe(false);
    const error = await client.sqlAnswer('ALTER TABLE lake.lineitem DROP REFLECTION by_flag');
    expect(error.body.code).toBe('REFLECTION_NOT_FOUND');
  });
});

describe('reflections on a failing disk', { timeout: 120_000 }, () => {
  const disk = mkdtempSync(path.join(tmpdir(), 'reflections-disk-'));
  const orders = path.join(disk, 'lake', 'orders');
  let limited: TributaryProcess | undefined;
  const on = new TributaryClient(() => limited?.url ?? 'http://127.0.0.1:1');

  beforeAll(async () => {
    mkdirSync(orders, { recursive: true });
    await oracle.run(
      `COPY (SELECT * FROM read_parquet('${sf001}/orders.parquet') WHERE o_orderkey % 4 = 0) TO '${orders}/a.parquet' (FORMAT parquet)`,
    );
    // Every file the coordinator and its executor write is cut at 1 MB: a write past it fails with EFBIG.
    limited = await startTributary({
      executors: 1,
      sourceRoots: [disk],
      fileSizeLimitBytes: 1024 * 1024,
      env: { TRIBUTARY_REFLECTION_RETRIES: '1', TRIBUTARY_REFLECTION_CHECK_INTERVAL_MS: '0' },
    });
    await on.addSource({ name: 'lake', type: 'parquet', path: path.join(disk, 'lake') });
  }, 120_000);

  afterAll(async () => {
    await limited?.dispose();
    rmSync(disk, { recursive: true, force: true });
  });

  it('a write that fails (EFBIG) leaves the old copy serving, FAILED with the reason, no stray files', async () => {
    const created = await on.request<ReflectionBody & { id: string }>(
      'POST',
      '/api/v1/reflections?wait=true',
      {
        name: 'all',
        dataset: ['lake', 'orders'],
        type: 'RAW',
        displayColumns: ['o_orderkey', 'o_custkey', 'o_totalprice', 'o_orderdate', 'o_comment'],
      },
    );
    expect(created.status, created.text).toBe(201);
    const serving = created.body.materialization!;
    // Eight copies of orders, keys and comments made unique: the reflection's one file grows past the limit.
    await oracle.run(
      `COPY (SELECT o.* REPLACE (o.o_orderkey * 8 + r.range AS o_orderkey, o.o_comment || ' #' || r.range AS o_comment) ` +
        `FROM read_parquet('${sf001}/orders.parquet') o, range(8) r) TO '${orders}/big.parquet' (FORMAT parquet)`,
    );
    const refreshed = await on.request<{ code: string; message: string }>(
      'POST',
      `/api/v1/reflections/${created.body.id}/refresh?wait=true`,
    );
    expect(refreshed.body.code, refreshed.text).toBe('REFLECTION_WRITE_FAILED');
    const after = (await on.request<ReflectionBody>('GET', `/api/v1/reflections/${created.body.id}`)).body;
    expect(after.status).toBe('FAILED');
    expect(after.failureCount).toBe(2);
    expect(after.lastError).toMatch(/EFBIG|file size limit/);
    expect(after.materialization?.id).toBe(serving.id);
    const folder = path.join(limited!.dataDir, 'reflections', created.body.id);
    expect(readdirSync(folder)).toEqual([serving.id]);
    expect(files(path.join(folder, serving.id)).length).toBeGreaterThan(0);
  });
});
