import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteConnector } from './sqlite-connector.ts';

describe('SQLite statistics beyond a sample', () => {
  let folder = '';
  let file = '';

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'tributary-sqlite-stats-'));
    file = join(folder, 'db.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, g INTEGER, k INTEGER, s TEXT)');
    db.exec('CREATE INDEX t_g ON t(g)');
    const insert = db.prepare('INSERT INTO t (id, g, k, s) VALUES (?, ?, ?, ?)');
    db.transaction(() => {
      // id 10..100009; g has 20011 values spread over the rows; k a sorted key repeated 4 times.
      for (let i = 0; i < 100_000; i++)
        insert.run(i + 10, (i * 7919) % 20_011, i >> 2, i % 3 === 0 ? null : `v${i % 11}`);
    })();
    db.exec('ANALYZE');
    db.close();
  });

  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('takes exact min/max of indexed columns by seeks, distinct counts from sqlite_stat1, the rest from rowid pieces', async () => {
    const [table] = await new SqliteConnector().discover(file, {}, { roots: [folder] });
    const db = new Database(file, { readonly: true });
    const exact = (sql: string) => Object.values(db.prepare(sql).get() as object)[0] as number;
    const stats = table.statistics!;
    expect(stats.rowCount).toBe(100_000);
    // INTEGER PRIMARY KEY and an indexed column: exact bounds, not marked sampled.
    expect(stats.columns!.id).toMatchObject({
      min: exact('SELECT min(id) FROM t'),
      max: exact('SELECT max(id) FROM t'),
    });
    expect(stats.columns!.id.sampled).toBeUndefined();
    expect(stats.columns!.g).toMatchObject({ min: 0, max: 20_010 });
    // sqlite_stat1 says 5 rows a key: 20000 of the 20011.
    const groups = exact('SELECT count(DISTINCT g) FROM t');
    expect(Math.abs(stats.columns!.g.distinctCount! - groups)).toBeLessThanOrEqual(groups * 0.01);
    expect(stats.columns!.g.sampled).toBeUndefined();
    // A clustered key from 8 pieces of consecutive rowids: within a factor of 1.5.
    const keys = exact('SELECT count(DISTINCT k) FROM t');
    expect(stats.columns!.k.sampled).toBe(true);
    expect(stats.columns!.k.distinctCount!).toBeGreaterThan(keys / 1.5);
    expect(stats.columns!.k.distinctCount!).toBeLessThan(keys * 1.5);
    // NULLs scaled from the sample: a third, within 2 points.
    expect(Math.abs(stats.columns!.s.nullCount! - exact('SELECT count(*) - count(s) FROM t'))).toBeLessThan(
      2_000,
    );
    expect(stats.columns!.s.distinctCount).toBe(11);
    db.close();
  });
});
