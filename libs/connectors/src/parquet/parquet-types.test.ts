import { mkdtemp, truncate, writeFile, copyFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Compression,
  EnabledStatistics,
  Table as WasmTable,
  WriterPropertiesBuilder,
  WriterVersion,
  readParquet,
  writeParquet,
} from 'parquet-wasm/node';
import { parquetReadObjects } from 'hyparquet';
import { tributaryTypeName } from '@tributary/common/testing';
import { BIGINT, BOOLEAN, typeToString } from '@tributary/common';
import { call, column, literal } from '@tributary/plan';
import { emptyScanCounters, type ScanContext } from '../connector.ts';
import { duckdb } from '../test-support.ts';
import { ParquetConnector } from './parquet-connector.ts';
import { canonicalRows, duckdbRows, scanAll, tableRef } from './parquet-test-support.ts';

const connector = new ParquetConnector();
const roots = [tmpdir()];
const context: ScanContext = { roots };
let tmp: string;

/** Every scalar type DuckDB writes, NULLs in every column, low-cardinality text (dictionary pages). */
const TYPES_SELECT = `SELECT i AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 100 - 50)::TINYINT END AS i8,
    CASE WHEN i % 7 = 1 THEN NULL ELSE (i * 3 - 30000)::SMALLINT END AS i16,
    CASE WHEN i % 7 = 2 THEN NULL ELSE (i * 100003 - 2000000000)::INTEGER END AS i32,
    CASE WHEN i % 7 = 3 THEN NULL ELSE (i * 1000000007 - 9000000000000000000)::BIGINT END AS i64,
    (i % 256)::UTINYINT AS u8,
    (i * 20 % 65536)::USMALLINT AS u16,
    (i * 1000003 % 4294967296)::UINTEGER AS u32,
    (18446744073709551615 - i * 1000000000000007)::UBIGINT AS u64,
    CASE WHEN i % 5 = 0 THEN NULL ELSE (i / 8)::FLOAT END AS f32,
    (i / 3)::DOUBLE AS f64,
    CASE WHEN i % 6 = 0 THEN NULL ELSE ((i % 9999) / 100 - 49)::DECIMAL(4,2) END AS d4,
    ((i * 123456789) / 1000)::DECIMAL(18,3) AS d18,
    (CASE WHEN i % 2 = 1 THEN '-' ELSE '' END || (i::HUGEINT * 98765432109876543)::VARCHAR || '.' ||
      lpad((i * 7919 % 10000000000)::VARCHAR, 10, '0'))::DECIMAL(38,10) AS d38,
    CASE WHEN i % 4 = 0 THEN NULL ELSE DATE '1960-01-01' + (i * 13)::INTEGER END AS dt,
    TIMESTAMP '1969-06-01 00:00:00' + INTERVAL (i * 7919) SECOND + INTERVAL (i) MICROSECOND AS ts,
    (TIMESTAMPTZ '2024-03-10 01:59:59+00' + INTERVAL (i) MINUTE) AS tstz,
    (TIMESTAMP '2024-01-02 03:04:05' + INTERVAL (i * 3) MILLISECOND)::TIMESTAMP_MS AS tsms,
    ('2001-02-03 04:05:06.123456789'::TIMESTAMP_NS + to_microseconds(i)) AS tsns,
    ('1999-12-31 23:59:59'::TIMESTAMP + INTERVAL (i) SECOND)::TIMESTAMP_S AS tss,
    CASE WHEN i % 8 = 0 THEN NULL ELSE TIME '00:00:00' + INTERVAL (i * 28.7654321) SECOND END AS tm,
    CASE WHEN i % 3 = 0 THEN NULL ELSE 'tag-' || (i % 5) END AS dict,
    'row ' || i || ' ünïcødé' AS txt,
    CASE WHEN i % 11 = 0 THEN NULL ELSE i % 2 = 0 END AS flag
  FROM range(3000) t(i)`;

async function expectSameAsDuckdb(file: string): Promise<void> {
  const [found] = await connector.discover(file, {}, { roots });
  const t = tableRef(found);
  const described = await duckdb<string>(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  // Unsigned integers have no Tributary type: they widen (UINT64 to HUGEINT), as tested below.
  const widened: Record<string, string> = {
    UTINYINT: 'SMALLINT',
    USMALLINT: 'INTEGER',
    UINTEGER: 'BIGINT',
    UBIGINT: 'HUGEINT',
  };
  expect(t.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual(
    described.map(([name, type]) => `${name} ${widened[type] ?? tributaryTypeName(type)}`),
  );
  const batches = await scanAll(
    connector,
    t,
    { columns: t.columns.map((_, i) => i), filters: [], limit: null },
    context,
  );
  const ours = canonicalRows(batches, t.columns).sort((a, b) => Number(a[0]) - Number(b[0]));
  const theirs = await duckdbRows(`read_parquet('${file}')`, 'id');
  expect(ours.length).toBe(theirs.length);
  expect(ours).toEqual(theirs);
}

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'parquet-types-'));
});

describe('Parquet types against DuckDB', () => {
  it('reads every scalar type DuckDB writes (v1 pages, dictionaries, several row groups) value for value', async () => {
    const file = join(tmp, 'types-v1.parquet');
    await duckdb(`COPY (${TYPES_SELECT}) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`);
    await expectSameAsDuckdb(file);
  });

  it('reads the same with v2 data pages and zstd', async () => {
    const file = join(tmp, 'types-v2.parquet');
    await duckdb(
      `COPY (${TYPES_SELECT}) TO '${file}' (FORMAT parquet, PARQUET_VERSION V2, COMPRESSION zstd)`,
    );
    await expectSameAsDuckdb(file);
  });

  it('reads files of a second writer (parquet-wasm: arrow-rs) with dictionary or plain, v1 or v2 pages', async () => {
    const source = join(tmp, 'source.parquet');
    // Types both writers share (no unsigned ones: the Arrow round trip keeps them, though).
    await duckdb(
      `COPY (SELECT id, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, d4, d18, d38, dt, ts, tsms, tsns, dict, txt, flag FROM (${TYPES_SELECT})) TO '${source}' (FORMAT parquet)`,
    );
    const sourceBytes = new Uint8Array(await readFile(source));
    for (const [name, dictionary, version] of [
      ['arrow-dict-v1', true, WriterVersion.V1],
      ['arrow-plain-v2', false, WriterVersion.V2],
    ] as const) {
      const file = join(tmp, `${name}.parquet`);
      const properties = new WriterPropertiesBuilder()
        .setDictionaryEnabled(dictionary)
        .setWriterVersion(version)
        .setCompression(Compression.SNAPPY)
        .setStatisticsEnabled(EnabledStatistics.Page)
        .setMaxRowGroupSize(1024)
        .build();
      // intoIPCStream consumes the wasm table: one fresh read per file written.
      const copy = WasmTable.fromIPCStream(readParquet(sourceBytes).intoIPCStream());
      await writeFile(file, writeParquet(copy, properties));
      await expectSameAsDuckdb(file);
    }
  });

  it('reads DECIMAL beyond 38 digits as DOUBLE, as DuckDB types it', async () => {
    // DuckDB writes no such DECIMAL; arrow-rs writes Decimal256 as FIXED_LEN_BYTE_ARRAY(17).
    // DuckDB 1.x misreads these values, so hyparquet (a third reader) is the oracle here.
    const file = join(tmp, 'wide-decimal.parquet');
    const { Table, vectorFromArray, Decimal, tableToIPC } = await import('apache-arrow');
    const words = new Uint32Array([
      12345, 0, 0, 0, 0, 0, 0, 0, 0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff,
      0xffffffff, 0xffffffff,
    ]);
    const vector = vectorFromArray([words.subarray(0, 8), words.subarray(8, 16)], new Decimal(2, 40, 256));
    await writeFile(
      file,
      writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table({ w: vector }), 'stream'))),
    );
    const [found] = await connector.discover(file, {}, { roots });
    expect(found.columns.map((c) => typeToString(c.type))).toEqual(['DOUBLE']);
    const batches = await scanAll(
      connector,
      tableRef(found),
      { columns: [0], filters: [], limit: null },
      context,
    );
    expect(canonicalRows(batches, found.columns)).toEqual([['123.45'], ['-0.02']]);
    const described = await duckdb(`DESCRIBE SELECT w FROM read_parquet('${file}')`);
    expect(described.map((row) => row.slice(0, 2))).toEqual([['w', 'DOUBLE']]);
    const bytes = await readFile(file);
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    expect(await parquetReadObjects({ file: copy })).toEqual([{ w: 123.45 }, { w: -0.02 }]);
  });

  it('leaves out BLOB columns naming them, and reads BLOB as text with binaryAsString', async () => {
    const blob = join(tmp, 'blob.parquet');
    await duckdb(`COPY (SELECT 1 AS k, 'abc'::BLOB AS payload) TO '${blob}' (FORMAT parquet)`);
    const [found] = await connector.discover(blob, {}, { roots });
    expect(found.columns.map((c) => c.name)).toEqual(['k']);
    expect(found.unsupportedColumns).toEqual([
      { name: 'payload', type: 'BLOB', hint: 'the source option binaryAsString: true reads it as VARCHAR' },
    ]);
    const [asText] = await connector.discover(blob, { binaryAsString: true }, { roots });
    expect(asText.unsupportedColumns).toBeUndefined();
    const batches = await scanAll(
      connector,
      tableRef(asText),
      { columns: [0, 1], filters: [], limit: null },
      context,
    );
    expect(canonicalRows(batches, asText.columns)).toEqual([['1', 'abc']]);
  });

  it('leaves out nested columns and types it lacks, and reads the columns after them as DuckDB does', async () => {
    const file = join(tmp, 'mixed.parquet');
    // Nested columns take several column chunks each: the flat ones after them lie further on.
    await duckdb(
      `COPY (SELECT i AS id, {'x': i, 'y': 'a'} AS s, [i, i + 1] AS l, MAP {'a': i} AS m,
          TIMETZ '12:30:00+00' AS t, INTERVAL 3 DAY AS iv, gen_random_uuid() AS u, 'b'::BLOB AS b,
          'v' || i AS v, {'z': [1, 2]} AS deep, i * 2 AS w
        FROM range(5000) r(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 1000)`,
    );
    const [found] = await connector.discover(file, {}, { roots });
    expect(found.columns.map((c) => `${c.name} ${typeToString(c.type)}`)).toEqual([
      'id BIGINT',
      'v VARCHAR',
      'w BIGINT',
    ]);
    expect(found.unsupportedColumns?.map((c) => `${c.name} ${c.type}`)).toEqual([
      's STRUCT',
      'l LIST',
      'm MAP',
      't TIME WITH TIME ZONE',
      'iv INTERVAL',
      'u UUID',
      'b BLOB',
      'deep STRUCT',
    ]);
    // Statistics come from the right column chunks: w's bounds are w's, not a nested leaf's.
    expect(found.statistics?.columns?.w).toMatchObject({ min: 0, max: 9998, nullCount: 0 });
    expect(found.statistics?.columns?.v).toMatchObject({ min: 'v0', max: 'v999', nullCount: 0 });
    const t = tableRef(found);
    const all = await scanAll(connector, t, { columns: [0, 1, 2], filters: [], limit: null }, context);
    const ours = canonicalRows(all, t.columns).sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(ours).toEqual(await duckdbRows(`(SELECT id, v, w FROM read_parquet('${file}'))`, 'id'));
    // Row groups are pruned by w's own statistics: one of five is read.
    const counters = emptyScanCounters();
    const w = column(2, 'w', BIGINT);
    const filter = call('gte', [w, literal(8200, BIGINT)], BOOLEAN);
    const kept = await scanAll(
      connector,
      t,
      { columns: [1, 2], filters: [filter], limit: null },
      { roots, counters },
    );
    expect(counters.rowGroupsRead).toBe(1);
    expect(canonicalRows(kept, [t.columns[1], t.columns[2]]).filter((r) => Number(r[1]) >= 8200).length).toBe(
      900,
    );
  });

  it('fails a scan with SOURCE_CHANGED when a registered column is rewritten to a type it lacks', async () => {
    const file = join(tmp, 'rewritten.parquet');
    await duckdb(`COPY (SELECT 1 AS k, INTERVAL 1 DAY::VARCHAR AS t) TO '${file}' (FORMAT parquet)`);
    const [found] = await connector.discover(file, {}, { roots });
    await duckdb(`COPY (SELECT 1 AS k, INTERVAL 1 DAY AS t) TO '${file}' (FORMAT parquet)`);
    await expect(
      scanAll(connector, tableRef(found), { columns: [0, 1], filters: [], limit: null }, context),
    ).rejects.toMatchObject({
      code: 'SOURCE_CHANGED',
      message: expect.stringContaining(`column "t" of Parquet file "${file}" is now INTERVAL, not VARCHAR`),
    });
  });
});

describe('Parquet files that are broken or empty', () => {
  it('reads a zero-row file as an empty table', async () => {
    const file = join(tmp, 'zero-rows.parquet');
    await duckdb(`COPY (SELECT 1::INTEGER AS k, 'x' AS s WHERE false) TO '${file}' (FORMAT parquet)`);
    const [found] = await connector.discover(file, {}, { roots });
    expect(found.rowCount).toBe(0);
    const t = tableRef(found);
    expect(await scanAll(connector, t, { columns: [0, 1], filters: [], limit: null }, context)).toEqual([]);
  });

  it('reads a file with zero row groups (arrow-rs writes one for an empty table) as an empty table', async () => {
    const file = join(tmp, 'zero-groups.parquet');
    const { Table, vectorFromArray, Int32, tableToIPC } = await import('apache-arrow');
    const empty = new Table({ k: vectorFromArray([], new Int32()) });
    await writeFile(file, writeParquet(WasmTable.fromIPCStream(tableToIPC(empty, 'stream'))));
    const [found] = await connector.discover(file, {}, { roots });
    expect(found.rowCount).toBe(0);
    const t = tableRef(found);
    expect(await connector.planSplits(t, { columns: [0], filters: [], limit: null }, 4, context)).toEqual([]);
  });

  it('refuses a truncated file, a corrupt footer and a file that is not Parquet, naming the file', async () => {
    const good = join(tmp, 'good.parquet');
    await duckdb(`COPY (SELECT range AS k FROM range(1000)) TO '${good}' (FORMAT parquet)`);
    const truncated = join(tmp, 'truncated.parquet');
    await copyFile(good, truncated);
    await truncate(truncated, 600);
    const footer = join(tmp, 'corrupt-footer.parquet');
    const bytes = await readFile(good);
    const footerLength = bytes.readUInt32LE(bytes.length - 8);
    // Scribble over the footer's Thrift fields, keeping its length and the magic intact.
    for (let i = bytes.length - 8 - footerLength; i < bytes.length - 8; i += 3) bytes[i] = 0xff;
    await writeFile(footer, bytes);
    const text = join(tmp, 'not-parquet.parquet');
    await writeFile(text, 'id,name\n1,a\n'.repeat(10));
    const tiny = join(tmp, 'tiny.parquet');
    await writeFile(tiny, 'PAR1');
    for (const file of [truncated, footer, text, tiny]) {
      await expect(connector.discover(file, {}, { roots }), file).rejects.toMatchObject({
        code: 'SOURCE_FILE_INVALID',
        message: expect.stringContaining(file),
      });
    }
  });
});
