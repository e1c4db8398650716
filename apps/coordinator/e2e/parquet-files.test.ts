import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle, compareResults, type TypeAllowance } from '@tributary/common/testing';
import { dataRoot, startTributary, type TributaryProcess } from './harness.ts';
import { expectErrorBody } from './expect-error-body.ts';
import { TributaryClient, type SourceInfo } from './tributary-client.ts';

/**
 * Parquet as users leave it on disk, through a real service on 1 and 2 executors (the second
 * shuffling every join): every scalar type, a Hive-partitioned folder, a folder whose files
 * drift in schema, many row groups. Each query is compared with DuckDB's read_parquet over
 * the same files (hive_partitioning, union_by_name): values, names and types.
 */

/** Unsigned types have no Tributary counterpart: they widen (parquet-column-type.ts). */
const WIDENED: TypeAllowance[] = [
  { column: 'u8', actual: 'SMALLINT', expected: 'UTINYINT' },
  { column: 'u16', actual: 'INTEGER', expected: 'USMALLINT' },
  { column: 'u32', actual: 'BIGINT', expected: 'UINTEGER' },
  { column: 'u64', actual: 'HUGEINT', expected: 'UBIGINT' },
];

const CASES: { name: string; sql: string; ordered?: boolean; typeAllowances?: TypeAllowance[] }[] = [
  {
    name: 'every scalar type',
    sql: 'SELECT * FROM pf.types ORDER BY id',
    ordered: true,
    typeAllowances: WIDENED,
  },
  {
    name: 'filters and arithmetic over widened types',
    sql: `SELECT id, u64::DOUBLE AS u, d38 * 2 AS d, tsns, dict, tm, hour(tm) AS h FROM pf.types
          WHERE i64 > 0 AND dict IN ('tag-1', 'tag-3') AND tsms >= TIMESTAMP '2024-01-02 03:04:06'
            AND (tm IS NULL OR tm < TIME '20:00:00') ORDER BY id`,
    ordered: true,
  },
  {
    name: 'TINYINT, SMALLINT and FLOAT keep their types through arithmetic, casts and text',
    sql: `SELECT id, i8 + i8 AS a, i16 * 2 AS b, i8 + 1 AS c, i8 + 1000 AS c2, f32 * 2 AS d, f32 + 0.5 AS e,
            f32 / 3 AS g, -i8 AS h, i16 % 7 AS m, abs(i8) AS n, round(f32, 1) AS r, i8::VARCHAR AS s,
            f32::VARCHAR AS t, i16::FLOAT AS u, f32::INTEGER AS v, sign(i16) AS w, [i8, i16] AS l
          FROM pf.types WHERE i8 > 10 AND f32 < 90.5 ORDER BY id`,
    ordered: true,
  },
  {
    name: 'grouped by a TINYINT, with aggregates of SMALLINT and FLOAT',
    sql: `SELECT i8, count(*) AS n, sum(i16) AS s, min(f32) AS lo, max(f32) AS hi, avg(f32) AS a,
            median(f32) AS med, count(DISTINCT f32) AS df, sum(f32) AS sf FROM pf.types GROUP BY i8 ORDER BY i8`,
    ordered: true,
  },
  {
    name: 'joins on keys of different widths',
    sql: `SELECT a.id, b.id AS bid, a.i8, b.i16, a.f32, b.f64 FROM pf.types a JOIN pf.types b
            ON a.i8 = b.i16 + 2950 AND a.f32 >= b.f64 WHERE a.id < 300
          UNION ALL
          SELECT a.id, b.id, a.i8, b.i16, a.f32, b.f64 FROM pf.types a JOIN pf.types b ON a.f32 = b.f64`,
  },
  {
    name: 'windows and set operations over narrow types',
    sql: `SELECT id, row_number() OVER (PARTITION BY i8 ORDER BY f32 DESC NULLS LAST, id) AS rn,
            sum(i16) OVER (PARTITION BY i8) AS s, lag(f32) OVER (ORDER BY id) AS lg,
            id IN (SELECT i8 FROM pf.types INTERSECT SELECT i16 + 3000 FROM pf.types) AS both_sides
          FROM pf.types ORDER BY id`,
    ordered: true,
  },
  {
    name: 'partition columns typed and filtered',
    sql: `SELECT year, month, region, count(*) AS n, sum(amount) AS total FROM pf.sales
          WHERE year >= 2023 AND month IN (1, 3) GROUP BY year, month, region ORDER BY year, month, region`,
    ordered: true,
  },
  {
    name: 'partition NULLs and dates',
    sql: `SELECT day, count(*) AS n FROM pf.sales WHERE region IS NULL AND day = DATE '2024-01-02' GROUP BY day`,
  },
  { name: 'schema drift by name', sql: 'SELECT * FROM pf.drift ORDER BY k', ordered: true },
  {
    name: 'row groups pruned by a range',
    sql: 'SELECT count(*) AS n, sum(k) AS s, min(s) AS lo FROM pf.sorted WHERE k BETWEEN 3000 AND 9000',
  },
  {
    name: 'the columns after nested ones and types Tributary lacks',
    sql: `SELECT id, v, w, w * 2 AS w2 FROM pf.nested WHERE w > 100 AND v LIKE 'v1%' ORDER BY id`,
    ordered: true,
  },
  {
    name: 'a join of a partitioned folder and a many-row-group file',
    sql: `SELECT s.year, count(*) AS n, sum(t.k) AS ks FROM pf.sales s JOIN pf.sorted t ON s.id = t.k
          WHERE t.n IS NOT NULL GROUP BY s.year ORDER BY s.year`,
    ordered: true,
  },
];

let folder = '';
/** Folders of broken tables, apart from `folder` (registered whole). */
let badFolder = '';
let oracle: DuckDbOracle | undefined;

beforeAll(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'tributary-parquet-files-'));
  badFolder = await mkdtemp(path.join(tmpdir(), 'tributary-parquet-bad-'));
  oracle = await DuckDbOracle.open();
  const run = (sql: string) => oracle!.run(sql);
  await run("SET TimeZone = 'UTC'");
  await run(
    `COPY (SELECT i AS id, (i % 100 - 50)::TINYINT AS i8, (i * 3 - 3000)::SMALLINT AS i16,
        CASE WHEN i % 7 = 2 THEN NULL ELSE (i * 100003 - 2000000)::INTEGER END AS i32,
        (i * 1000000007 - 400000000000)::BIGINT AS i64,
        (i % 256)::UTINYINT AS u8, (i * 20 % 65536)::USMALLINT AS u16, (i * 1000003)::UINTEGER AS u32,
        (18446744073709551615 - i * 1000000000000007)::UBIGINT AS u64,
        CASE WHEN i % 5 = 0 THEN NULL ELSE (i / 8)::FLOAT END AS f32, (i / 3)::DOUBLE AS f64,
        ((i % 9999) / 100 - 4)::DECIMAL(4,2) AS d4, ((i * 123456789) / 1000)::DECIMAL(18,3) AS d18,
        (i::HUGEINT * 98765432109876543 / 7)::DECIMAL(38,10) AS d38,
        DATE '1960-01-01' + (i * 13)::INTEGER AS dt,
        TIMESTAMP '1969-06-01 00:00:00' + INTERVAL (i * 7919) SECOND AS ts,
        TIMESTAMPTZ '2024-03-10 01:59:59+00' + INTERVAL (i) MINUTE AS tstz,
        (TIMESTAMP '2024-01-02 03:04:05' + INTERVAL (i * 3) MILLISECOND)::TIMESTAMP_MS AS tsms,
        '2001-02-03 04:05:06.123456'::TIMESTAMP_NS + to_microseconds(i) AS tsns,
        CASE WHEN i % 9 = 0 THEN NULL ELSE TIME '06:00:00' + INTERVAL (i * 97.125) SECOND END AS tm,
        CASE WHEN i % 3 = 0 THEN NULL ELSE 'tag-' || (i % 5) END AS dict, 'row ' || i || ' ü' AS txt,
        i % 2 = 0 AS flag
      FROM range(800) t(i)) TO '${folder}/types.parquet' (FORMAT parquet, ROW_GROUP_SIZE 300)`,
  );
  await run(
    `COPY (SELECT i AS id, ((i * 7 % 1000) / 10)::DECIMAL(9,2) AS amount, 2022 + i % 3 AS year, 1 + i % 4 AS month,
        DATE '2024-01-01' + (i % 2)::INTEGER AS day, CASE WHEN i % 5 = 0 THEN NULL ELSE 'r' || (i % 2) END AS region
      FROM range(3000) t(i)) TO '${folder}/sales' (FORMAT parquet, PARTITION_BY (year, month, day, region))`,
  );
  await mkdir(path.join(folder, 'drift', '2024', 'q1'), { recursive: true });
  await run(
    `COPY (SELECT i::INTEGER AS k, 'v' || i AS v FROM range(5) t(i)) TO '${folder}/drift/a.parquet' (FORMAT parquet)`,
  );
  await run(
    `COPY (SELECT (i + 100)::BIGINT AS k, (i * 1.5)::DOUBLE AS w FROM range(3) t(i)) TO '${folder}/drift/2024/b.parquet' (FORMAT parquet)`,
  );
  await run(
    `COPY (SELECT 'z' AS v, (i + 200)::BIGINT AS k FROM range(2) t(i)) TO '${folder}/drift/2024/q1/c.parquet' (FORMAT parquet)`,
  );
  await run(
    `COPY (SELECT i AS k, CASE WHEN i < 2048 THEN NULL ELSE i END AS n, 'pad' || i AS s FROM range(12288) t(i))
      TO '${folder}/sorted.parquet' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
  );
  await run(
    `COPY (SELECT i AS id, {'x': i, 'y': [i]} AS s, TIMETZ '12:30:00+00' AS t, 'v' || i AS v, [i, i] AS l,
        'b'::BLOB AS b, i * 3 AS w FROM range(3000) t(i))
      TO '${folder}/nested.parquet' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
  );
  await run('CREATE SCHEMA pf');
  await run(`CREATE VIEW pf.types AS SELECT * FROM read_parquet('${folder}/types.parquet')`);
  await run(
    `CREATE VIEW pf.sales AS SELECT * FROM read_parquet('${folder}/sales/**/*.parquet', hive_partitioning = true)`,
  );
  await run(
    `CREATE VIEW pf.drift AS SELECT * FROM read_parquet('${folder}/drift/**/*.parquet', union_by_name = true)`,
  );
  await run(`CREATE VIEW pf.sorted AS SELECT * FROM read_parquet('${folder}/sorted.parquet')`);
  await run(`CREATE VIEW pf.nested AS SELECT * FROM read_parquet('${folder}/nested.parquet')`);
}, 60_000);

afterAll(async () => {
  oracle?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
  if (badFolder) await rm(badFolder, { recursive: true, force: true });
});

for (const cluster of [
  { executors: 1, broadcastRowLimit: undefined },
  { executors: 2, broadcastRowLimit: 0 },
])
  describe(`Parquet files like DuckDB's read_parquet on ${cluster.executors} executor(s)${cluster.broadcastRowLimit === 0 ? ', every join shuffled' : ''}`, () => {
    let service: TributaryProcess | undefined;
    let registered: SourceInfo | undefined;
    const client = new TributaryClient(() => service?.url ?? 'http://127.0.0.1:1');

    beforeAll(async () => {
      service = await startTributary({
        executors: cluster.executors,
        sourceRoots: [dataRoot, folder, badFolder],
        env:
          cluster.broadcastRowLimit === undefined
            ? {}
            : { TRIBUTARY_BROADCAST_ROW_LIMIT: String(cluster.broadcastRowLimit) },
      });
      const info = (registered = await client.addSource({ name: 'pf', type: 'parquet', path: folder }));
      expect(info.tables.map((t) => t.name).sort()).toEqual(['drift', 'nested', 'sales', 'sorted', 'types']);
    }, 120_000);

    afterAll(async () => {
      await service?.dispose();
    });

    for (const c of CASES) {
      it(c.name, async () => {
        const actual = await client.sql(c.sql);
        const expected = await oracle!.query(c.sql);
        const problems = compareResults(actual, expected, {
          ordered: c.ordered ?? false,
          typeAllowances: c.typeAllowances,
        });
        expect(problems, c.sql).toEqual([]);
        expect(actual.rows.length).toBeGreaterThan(0);
      });
    }

    it('prunes partition files and row groups, as EXPLAIN ANALYZE counts them', async () => {
      const explain = async (sql: string) => String((await client.sql(`EXPLAIN ANALYZE ${sql}`)).rows[0][0]);
      // sorted.parquet: 6 row groups of 2048 sorted keys; k = 5 lies in the first alone.
      const groups = await explain('SELECT count(*) AS n FROM pf.sorted WHERE k = 5');
      expect(groups).toContain('2048 rows, 1 file, 1 row group; skipped 5 row groups');
      const [[files, kept]] = (
        await oracle!.query(
          `SELECT count(*), count(*) FILTER (WHERE file LIKE '%year=2023%') FROM glob('${folder}/sales/**/*.parquet')`,
        )
      ).rows as [string, string][];
      expect(Number(kept)).toBeGreaterThan(0);
      const partitions = await explain('SELECT count(*) AS n FROM pf.sales WHERE year = 2023');
      expect(partitions).toContain(`skipped ${Number(files) - Number(kept)} files`);
    });

    it('lists the columns it cannot read, and names one a query asks for', async () => {
      const nested = registered!.tables.find((t) => t.name === 'nested')!;
      expect(nested.columns.map((c) => c.name)).toEqual(['id', 'v', 'w']);
      expect(nested.unsupportedColumns?.map((c) => `${c.name} ${c.type}`)).toEqual([
        's STRUCT',
        't TIME WITH TIME ZONE',
        'l LIST',
        'b BLOB',
      ]);
      const answer = await client.sqlAnswer('SELECT id,\n  t FROM pf.nested');
      const body = expectErrorBody(answer, 400, 'UNSUPPORTED_TYPE');
      expect(body).toMatchObject({
        message:
          'column "t" of table "pf.nested" has type TIME WITH TIME ZONE, which Tributary does not support',
        line: 2,
        column: 3,
      });
    });

    it('refuses a folder whose files disagree on a column type, naming the file', async () => {
      const bad = path.join(badFolder, `bad-${cluster.executors}`);
      await mkdir(path.join(bad, 'x=1'), { recursive: true });
      await mkdir(path.join(bad, 'x=2'), { recursive: true });
      await oracle!.run(`COPY (SELECT 1 AS k) TO '${bad}/x=1/a.parquet' (FORMAT parquet)`);
      await oracle!.run(`COPY (SELECT 'one' AS k) TO '${bad}/x=2/b.parquet' (FORMAT parquet)`);
      const answer = await client.addSourceAnswer({ name: 'bad', type: 'parquet', path: bad });
      const body = expectErrorBody(answer, 400, 'SOURCE_SCHEMA_MISMATCH');
      expect(body.message).toContain('x=2/b.parquet');
      const misspelt = await client.addSourceAnswer({
        name: 'opt',
        type: 'parquet',
        path: folder,
        options: { unionByNam: true },
      });
      expect(expectErrorBody(misspelt, 400, 'SOURCE_OPTION_UNKNOWN').message).toContain('unionByName');
    });
  });
