import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbOracle } from './duckdb-oracle.ts';

describe('DuckDbOracle over a SQLite file', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'oracle-sqlite-'));
  const file = path.join(folder, 'db.sqlite');
  let oracle: DuckDbOracle | undefined;

  beforeAll(async () => {
    const db = new Database(file);
    db.exec(`CREATE TABLE t (k INTEGER, x REAL, s TEXT, d TEXT, mixed TEXT, n NUMERIC, v VARCHAR(5));
      INSERT INTO t VALUES (9007199254740993, 1.25, 'a', '1995-03-15', '1995-03-15', 2.5, 'x'),
                           (NULL, NULL, NULL, NULL, 'soon', NULL, NULL),
                           (-1, -0.5, 'b''c', '2024-02-29', '2024-02-29', 7, 'y');`);
    db.close();
    oracle = await DuckDbOracle.open([{ schema: 's', format: 'sqlite', file }]);
  });
  afterAll(() => {
    oracle?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("types columns as DuckDB's sqlite scanner does, ISO-date text as DATE", async () => {
    const result = await oracle!.query('SELECT * FROM s.t ORDER BY k NULLS LAST');
    expect(result.columns.map((c) => `${c.name} ${c.duckdbType}`)).toEqual([
      'k BIGINT',
      'x DOUBLE',
      's VARCHAR',
      'd DATE',
      'mixed VARCHAR',
      'n DOUBLE',
      'v VARCHAR',
    ]);
    expect(result.rows).toEqual([
      ['-1', -0.5, "b'c", '2024-02-29', '2024-02-29', 7, 'y'],
      ['9007199254740993', 1.25, 'a', '1995-03-15', '1995-03-15', 2.5, 'x'],
      [null, null, null, null, 'soon', null, null],
    ]);
  });
});
