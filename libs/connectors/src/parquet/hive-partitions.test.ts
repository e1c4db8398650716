import { copyFile, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIGINT, DATE, TIMESTAMP, VARCHAR, typeToString } from '@tributary/common';
import { duckdb } from '../test-support.ts';
import { hiveLiteral, hivePairs, hivePartitioning } from './hive-partitions.ts';

describe('hive partitions', () => {
  it('reads key=value folders of a relative path, ignoring other folders; text values URL-decoded', () => {
    expect(hivePairs('year=2024/misc/city=S%C3%A3o%20Paulo/part-0.parquet')).toEqual([
      ['year', '2024'],
      ['city', 'S%C3%A3o%20Paulo'],
    ]);
    expect(hiveLiteral('S%C3%A3o%20Paulo', VARCHAR)).toBe('São Paulo');
    expect(hivePairs('a=1.parquet')).toEqual([]);
  });

  it('keeps a type only when the text reads back as itself', () => {
    expect(hiveLiteral('01', BIGINT)).toBeUndefined();
    expect(hiveLiteral('-3', BIGINT)).toBe(-3);
    expect(hiveLiteral('9223372036854775807', BIGINT)).toBe('9223372036854775807');
    expect(hiveLiteral('9223372036854775808', BIGINT)).toBeUndefined();
    expect(hiveLiteral('2024-02-29', DATE)).toBe(19782);
    expect(hiveLiteral('2023-02-29', DATE)).toBeUndefined();
    expect(hiveLiteral('2024-01-01 10:00:00', TIMESTAMP)).toBe(Date.UTC(2024, 0, 1, 10) * 1000);
    expect(hiveLiteral('2024-01-01 10:00:00.5', TIMESTAMP)).toBe(Date.UTC(2024, 0, 1, 10) * 1000 + 500_000);
    expect(hiveLiteral('2024-01-01 10:00:00.50', TIMESTAMP)).toBeUndefined();
    expect(hiveLiteral('NULL', VARCHAR)).toBeNull();
    expect(hiveLiteral('__HIVE_DEFAULT_PARTITION__', BIGINT)).toBeNull();
  });

  it('names the file whose partition keys differ from the others', () => {
    expect(() => hivePartitioning(['a=1/x.parquet', 'b=1/y.parquet'], (i) => `file${i}`)).toThrow(
      expect.objectContaining({ code: 'SOURCE_SCHEMA_MISMATCH', message: expect.stringContaining('file1') }),
    );
  });

  it("types partition columns as DuckDB's hive_types_autocast does", async () => {
    const root = await mkdtemp(join(tmpdir(), 'hive-types-'));
    const data = join(root, 'data.parquet');
    await duckdb(`COPY (SELECT 1 AS k) TO '${data}' (FORMAT parquet)`);
    const folders = [
      'i=-3/z=01/d=2024-01-31/t=2024-01-01 10%3A00%3A00/f=1.5/n=NULL/m=2024-13-01/u=7',
      'i=12/z=02/d=1999-12-31/t=2023-12-31 23%3A59%3A59/f=2/n=NULL/m=x/u=__HIVE_DEFAULT_PARTITION__',
    ];
    const relatives: string[] = [];
    for (const folder of folders) {
      await mkdir(join(root, 'hive', folder), { recursive: true });
      await copyFile(data, join(root, 'hive', folder, 'part.parquet'));
      relatives.push(`${folder}/part.parquet`);
    }
    const ours = hivePartitioning(relatives, (i) => relatives[i]);
    const described = await duckdb<string>(
      `DESCRIBE SELECT * EXCLUDE (k) FROM read_parquet('${root}/hive/**/*.parquet', hive_partitioning = true)`,
    );
    const byName = new Map(ours.columns.map((c) => [c.name, typeToString(c.type)]));
    expect(described.map(([name]) => `${name} ${byName.get(name)}`)).toEqual(
      described.map(([name, type]) => `${name} ${type}`),
    );
    // Typed from the text as written, valued decoded: DuckDB's order of things.
    const t = ours.columns.findIndex((c) => c.name === 't');
    const [[first], [second]] = await duckdb<string>(
      `SELECT t FROM read_parquet('${root}/hive/**/*.parquet', hive_partitioning = true) ORDER BY i`,
    );
    expect(ours.values.map((v) => v[t])).toEqual([first, second]);
  });
});
