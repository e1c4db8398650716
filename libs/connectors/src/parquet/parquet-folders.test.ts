import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIGINT, BOOLEAN, DATE, VARCHAR, typeToString, type SqlType } from '@tributary/common';
import { call, column, literal, type Expr, type TableRef } from '@tributary/plan';
import { emptyScanCounters, type ScanContext, type ScanCounters } from '../connector.ts';
import { duckdb } from '../test-support.ts';
import { decodedColumnCache } from './decoded-column-cache.ts';
import { ParquetConnector } from './parquet-connector.ts';
import { readParquetFooter } from './read-parquet-footer.ts';
import { canonicalRows, duckdbRows, scanAll, tableRef } from './parquet-test-support.ts';

const connector = new ParquetConnector();
const roots = [tmpdir()];
let tmp: string;

function counted(): { context: ScanContext; counters: ScanCounters } {
  const counters = emptyScanCounters();
  return { context: { roots, counters }, counters };
}

const col = (t: TableRef, name: string): Expr => {
  const index = t.columns.findIndex((c) => c.name === name);
  return column(index, name, t.columns[index].type);
};
const cmp = (
  fn: 'eq' | 'lt' | 'lte' | 'gt' | 'gte' | 'neq',
  left: Expr,
  value: number | string,
  type: SqlType,
) => call(fn, [left, literal(value, type)], BOOLEAN);
const inList = (left: Expr, values: number[], type: SqlType): Expr => ({
  kind: 'in-list',
  expr: left,
  list: values.map((v) => literal(v, type)),
  negated: false,
  type: BOOLEAN,
});
const isNull = (left: Expr, negated: boolean): Expr => ({
  kind: 'is-null',
  expr: left,
  negated,
  type: BOOLEAN,
});

async function discoverOne(
  path: string,
  options: Record<string, unknown> = {},
  name?: string,
): Promise<TableRef> {
  const tables = await connector.discover(path, options, { roots });
  const found = name === undefined ? tables[0] : tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name} among ${tables.map((t) => t.name).join(', ')}`);
  return tableRef(found);
}

/** Every row of the table, all columns, in canonical form sorted by the first column then all. */
async function allRows(t: TableRef): Promise<unknown[][]> {
  const { context } = counted();
  const batches = await scanAll(
    connector,
    t,
    { columns: t.columns.map((_, i) => i), filters: [], limit: null },
    context,
  );
  return canonicalRows(batches, t.columns).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

async function duckdbTypes(from: string): Promise<string[]> {
  const described = await duckdb<string>(`DESCRIBE SELECT * FROM ${from}`);
  return described.map(([name, type]) => `${name} ${type}`);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'parquet-folders-'));
});

describe('Parquet folders', () => {
  it('reads a folder with subfolders as one table per file and per subfolder, unified by name like union_by_name', async () => {
    const root = join(tmp, 'mixed');
    await mkdir(join(root, 'events', '2024', 'q1'), { recursive: true });
    await duckdb(`COPY (SELECT 1 AS a) TO '${root}/single.parquet' (FORMAT parquet)`);
    await duckdb(
      `COPY (SELECT i::INTEGER AS k, 'v' || i AS v FROM range(5) t(i)) TO '${root}/events/part-0.parquet' (FORMAT parquet)`,
    );
    // Later files: k widened to BIGINT, a new column w, v missing in the deepest one.
    await duckdb(
      `COPY (SELECT (i + 100)::BIGINT AS k, i * 1.5 AS w, 'x' || i AS v FROM range(3) t(i)) TO '${root}/events/2024/part-1.parquet' (FORMAT parquet)`,
    );
    await duckdb(
      `COPY (SELECT DATE '2024-01-01' + i::INTEGER AS d, (i + 200)::BIGINT AS k FROM range(4) t(i)) TO '${root}/events/2024/q1/part-2.parquet' (FORMAT parquet)`,
    );
    const tables = await connector.discover(root, {}, { roots });
    expect(tables.map((t) => t.name)).toEqual(['events', 'single']);
    const events = tableRef(tables[0]);
    const from = `read_parquet('${root}/events/**/*.parquet', union_by_name = true)`;
    const theirs = await duckdbTypes(from);
    expect(events.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual(theirs);
    expect(events.rowCount).toBe(12);
    expect(await allRows(events)).toEqual(
      (await duckdbRows(from, 'k')).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    );
    expect(connector.tableSettings(events.location)).toEqual({
      files: 3,
      partitionColumns: [],
      unionByName: true,
      binaryAsString: false,
    });
  });

  it('names the file whose column type is incompatible, and the odd file when unionByName is off', async () => {
    const root = join(tmp, 'drift');
    await mkdir(join(root, 'sub'), { recursive: true });
    await duckdb(`COPY (SELECT 1 AS k, 'a' AS v) TO '${root}/a.parquet' (FORMAT parquet)`);
    await duckdb(`COPY (SELECT 2 AS k, DATE '2024-01-01' AS v) TO '${root}/sub/b.parquet' (FORMAT parquet)`);
    await expect(connector.discover(root, { folderLayout: 'oneTable' }, { roots })).rejects.toMatchObject({
      code: 'SOURCE_SCHEMA_MISMATCH',
      message: expect.stringMatching(
        /column "v" of Parquet file ".*sub\/b\.parquet" is DATE, incompatible with VARCHAR/,
      ),
    });
    await duckdb(`COPY (SELECT 2 AS k) TO '${root}/sub/b.parquet' (FORMAT parquet)`);
    const t = await discoverOne(root, { folderLayout: 'oneTable' });
    expect(t.table).toBe('drift');
    expect(await allRows(t)).toEqual([
      ['1', 'a'],
      ['2', null],
    ]);
    await expect(
      connector.discover(root, { folderLayout: 'oneTable', unionByName: false }, { roots }),
    ).rejects.toMatchObject({
      code: 'SOURCE_SCHEMA_MISMATCH',
      message: expect.stringContaining('sub/b.parquet'),
    });
  });

  it('refuses unknown and invalid options with a did-you-mean', async () => {
    const file = join(tmp, 'opt.parquet');
    await duckdb(`COPY (SELECT 1 AS k) TO '${file}' (FORMAT parquet)`);
    await expect(connector.discover(file, { hivePartitoning: true }, { roots })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_UNKNOWN',
      message: expect.stringContaining('did you mean "hivePartitioning"'),
    });
    await expect(connector.discover(file, { unionByName: 'yes' }, { roots })).rejects.toMatchObject({
      code: 'SOURCE_OPTION_INVALID',
    });
  });
});

describe('Parquet tables over time', () => {
  it('still reads a location registered before folders (one `file`, no settings)', async () => {
    const file = join(tmp, 'legacy.parquet');
    await duckdb(`COPY (SELECT range AS k FROM range(10)) TO '${file}' (FORMAT parquet)`);
    const t = await discoverOne(file);
    const legacy: TableRef = { ...t, location: { file } };
    expect(await allRows(legacy)).toEqual(await allRows(t));
  });

  it('fails with SOURCE_CHANGED naming the file when a column changed type since registration', async () => {
    const root = join(tmp, 'changing');
    await mkdir(join(root, 'part'), { recursive: true });
    await duckdb(`COPY (SELECT 1 AS k, 'a' AS v) TO '${root}/part/a.parquet' (FORMAT parquet)`);
    const t = await discoverOne(root, { folderLayout: 'oneTable' });
    await duckdb(`COPY (SELECT 1 AS k, DATE '2024-01-01' AS v) TO '${root}/part/a.parquet' (FORMAT parquet)`);
    await expect(allRows(t)).rejects.toMatchObject({
      code: 'SOURCE_CHANGED',
      message: expect.stringContaining(`${root}/part/a.parquet`),
    });
  });

  it('reads TIMESTAMP and NULL partition values like DuckDB', async () => {
    const root = join(tmp, 'stamped');
    await duckdb(
      `COPY (SELECT i AS k, TIMESTAMP '2024-05-01 10:30:00' + INTERVAL (i % 2) HOUR AS stamp,
          CASE WHEN i % 3 = 0 THEN NULL ELSE i % 3 END AS bucket FROM range(12) t(i))
        TO '${root}' (FORMAT parquet, PARTITION_BY (stamp, bucket))`,
    );
    // DuckDB escapes ':' in the folders it writes, so reads them back as VARCHAR; folders
    // named by hand with plain text are TIMESTAMP.
    const plain = join(tmp, 'stamped-plain');
    for (const [i, folder] of ['t=2024-05-01 10:30:00/b=1', 't=2024-05-01 11:30:00.25/b=NULL'].entries()) {
      await mkdir(join(plain, folder), { recursive: true });
      await duckdb(`COPY (SELECT ${i} AS k) TO '${plain}/${folder}/part.parquet' (FORMAT parquet)`);
    }
    for (const folder of [root, plain]) {
      const t = await discoverOne(folder);
      const from = `read_parquet('${folder}/**/*.parquet', hive_partitioning = true)`;
      expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual(await duckdbTypes(from));
      expect(await allRows(t)).toEqual(
        (await duckdbRows(from, 'k')).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
      );
    }
    const t = await discoverOne(plain);
    expect(t.columns.map((c) => typeToString(c.type))).toEqual(['INTEGER', 'BIGINT', 'TIMESTAMP']);
  });
});

describe('Hive-partitioned Parquet folders', () => {
  let sales: string;
  beforeAll(async () => {
    sales = join(tmp, 'sales');
    await duckdb(
      `COPY (SELECT i AS id, (i * 7 % 1000) / 10 AS amount, 2022 + i % 3 AS year, 1 + i % 4 AS month,
          DATE '2024-01-01' + (i % 2)::INTEGER AS day, CASE WHEN i % 5 = 0 THEN NULL ELSE 'r' || (i % 2) END AS region
        FROM range(240) t(i)) TO '${sales}' (FORMAT parquet, PARTITION_BY (year, month, day, region))`,
    );
  });

  it('types partition columns as hive_types_autocast does and reads the same rows as DuckDB', async () => {
    const t = await discoverOne(sales);
    expect(t.table).toBe('sales');
    const from = `read_parquet('${sales}/**/*.parquet', hive_partitioning = true)`;
    expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual(await duckdbTypes(from));
    expect(await allRows(t)).toEqual(
      (await duckdbRows(from, 'id')).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    );
    expect(connector.tableSettings(t.location)).toMatchObject({
      partitionColumns: ['day', 'month', 'region', 'year'],
    });
    const [found] = await connector.discover(sales, {}, { roots });
    const stats = found.statistics!.columns!;
    expect(found.rowCount).toBe(240);
    expect(['year', 'month', 'day', 'region'].map((c) => stats[c].distinctCount)).toEqual([3, 4, 2, 2]);
    expect(stats.year).toMatchObject({ min: 2022, max: 2024, nullCount: 0 });
    expect(stats.region.nullCount).toBe(48);
    const off = await discoverOne(sales, { hivePartitioning: false });
    expect(off.columns.map((c) => c.name)).toEqual(['id', 'amount']);
  });

  it('prunes files by partition values without opening them', async () => {
    const t = await discoverOne(sales);
    const files = (t.location.files as unknown[]).length;
    const year = col(t, 'year');
    const cases: [Expr, (values: Record<string, unknown>) => boolean][] = [
      [cmp('eq', year, 2023, BIGINT), (v) => v.year === 2023],
      [cmp('gt', year, 2022, BIGINT), (v) => (v.year as number) > 2022],
      [inList(col(t, 'month'), [1, 4], BIGINT), (v) => v.month === 1 || v.month === 4],
      [isNull(col(t, 'region'), false), (v) => v.region === null],
      [cmp('neq', col(t, 'region'), 'r1', VARCHAR), (v) => v.region !== null && v.region !== 'r1'],
      [cmp('lt', col(t, 'day'), 19724, DATE), (v) => (v.day as number) < 19724],
    ];
    const names = ['day', 'month', 'region', 'year'];
    for (const [filter, keep] of cases) {
      const { context, counters } = counted();
      const request = { columns: [0], filters: [filter], limit: null };
      const splits = await connector.planSplits(t, request, 8, context);
      const kept = (t.location.files as { partition: unknown[] }[]).filter((f) =>
        keep(Object.fromEntries(names.map((n, i) => [n, f.partition[i]]))),
      ).length;
      expect(kept, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(counters.filesSkipped, JSON.stringify(filter)).toBe(files - kept);
      expect(counters.filesRead).toBe(kept);
      expect(new Set(splits.map((s) => s.info.file)).size).toBe(kept);
    }
  });
});

describe('Parquet row-group pruning', () => {
  let file: string;
  let t: TableRef;
  let groups: number;
  const ROWS = 20_480;

  beforeAll(async () => {
    file = join(tmp, 'sorted.parquet');
    // k sorted; n NULL in the first row group only; z NULL everywhere but the last row group.
    await duckdb(
      `COPY (SELECT i AS k, CASE WHEN i < 2048 THEN NULL ELSE i END AS n,
          CASE WHEN i >= ${ROWS - 2048} THEN i END AS z, 'pad' || i AS s
        FROM range(${ROWS}) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    );
    t = await discoverOne(file);
    groups = Number(
      (await duckdb(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${file}')`))[0][0],
    );
  });

  it('reads only the row groups whose statistics may match, counting what it read and skipped', async () => {
    expect(groups).toBe(10);
    const k = col(t, 'k');
    const cases: [string, Expr, number][] = [
      ['k = 5', cmp('eq', k, 5, BIGINT), 1],
      ['k < 3000', cmp('lt', k, 3000, BIGINT), 2],
      ['k >= 18432', cmp('gte', k, 18432, BIGINT), 1],
      ['k > 18431', cmp('gt', k, 18431, BIGINT), 1],
      ['k <= 2047', cmp('lte', k, 2047, BIGINT), 1],
      [
        'k BETWEEN 4096 AND 8191',
        call('and', [cmp('gte', k, 4096, BIGINT), cmp('lte', k, 8191, BIGINT)], BOOLEAN),
        2,
      ],
      ['k IN (5, 15000)', inList(k, [5, 15000], BIGINT), 2],
      ['n IS NULL', isNull(col(t, 'n'), false), 1],
      ['z IS NOT NULL', isNull(col(t, 'z'), true), 1],
      ['k = -1', cmp('eq', k, -1, BIGINT), 0],
    ];
    for (const [label, filter, expected] of cases) {
      const { context, counters } = counted();
      const request = { columns: [0, 3], filters: [filter], limit: null };
      decodedColumnCache.clear();
      const batches = await scanAll(connector, t, request, context);
      const readGroups = (await connector.planSplits(t, request, 8, { roots })).map(
        (split) => (split.info.rowGroups as number[])[0],
      );
      const footer = await readParquetFooter(file);
      const chunkBytes = readGroups.reduce(
        (sum, g) =>
          sum +
          [0, 3].reduce(
            (s, c) => s + Number(footer.metadata.row_groups[g].columns[c].meta_data!.total_compressed_size),
            0,
          ),
        0,
      );
      expect(counters.rowGroupsSkipped, label).toBe(groups - expected);
      expect(counters.rowGroupsRead, label).toBe(expected);
      expect(counters.rowsRead, label).toBe(expected * 2048);
      expect(counters.filesRead, label).toBe(1);
      expect(
        batches.reduce((n, b) => n + b.numRows, 0),
        label,
      ).toBe(expected * 2048);
      expect(readGroups.length, label).toBe(expected);
      expect(counters.bytesRead, label).toBe(chunkBytes);
    }
  });

  it('counts the column chunk bytes it fetched: a second column adds its chunk, a cached one nothing', async () => {
    const k = col(t, 'k');
    const filter = cmp('eq', k, 10_000, BIGINT);
    // k = 10000 lies in row group 4 (rows 8192..10239) alone.
    const footer = await readParquetFooter(file);
    const chunkBytes = async (name: string) => {
      const chunk = t.columns.findIndex((c) => c.name === name);
      return Number(footer.metadata.row_groups[4].columns[chunk].meta_data!.total_compressed_size);
    };
    decodedColumnCache.clear();
    const first = counted();
    await scanAll(connector, t, { columns: [1], filters: [filter], limit: null }, first.context);
    expect(first.counters.bytesRead).toBe(await chunkBytes('n'));
    const second = counted();
    await scanAll(connector, t, { columns: [1, 2], filters: [filter], limit: null }, second.context);
    expect(second.counters.bytesRead).toBe(await chunkBytes('z'));
  });
});
