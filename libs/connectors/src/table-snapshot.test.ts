import { appendFile, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BIGINT } from '@tributary/common';
import type { SourceType, TableRef } from '@tributary/plan';
import { checkScanFilesUnchanged, checkTableUnchanged, filesOfSplitInfo } from './check-table-unchanged.ts';
import {
  SNAPSHOT_LOCATION_KEY,
  compareTableSnapshots,
  compareWithCurrentSnapshot,
  tableFiles,
  tableFolders,
  takeTableSnapshot,
  type TableSnapshot,
} from './table-snapshot.ts';
import { confinedFolders, expectNotAllowed, swapForSymlink } from './test-support.ts';

function tableRef(
  sourceType: SourceType,
  location: Record<string, unknown>,
  snapshot: TableSnapshot,
): TableRef {
  return {
    source: 'src',
    table: 't',
    sourceType,
    columns: [{ name: 'a', type: BIGINT }],
    location: { ...location, [SNAPSHOT_LOCATION_KEY]: snapshot },
  };
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('table snapshots', () => {
  it('names the files of file, files and database locations', () => {
    expect(tableFiles('csv', { file: '/a.csv' })).toEqual(['/a.csv']);
    expect(
      tableFiles('parquet', { files: ['/a.parquet', { file: '/b.parquet' }, { path: '/c.parquet' }] }),
    ).toEqual(['/a.parquet', '/b.parquet', '/c.parquet']);
    expect(tableFiles('sqlite', { database: '/x.db', table: 't' })).toEqual(['/x.db']);
    expect(filesOfSplitInfo({ file: '/a', files: ['/b'], start: 0 })).toEqual(['/a', '/b']);
  });

  it('sees a file resized, touched, removed or added, with a stable fingerprint otherwise', async () => {
    const { root } = await confinedFolders();
    const a = join(root, 'a.csv');
    const b = join(root, 'b.csv');
    await writeFile(a, 'x\n1\n');
    await writeFile(b, 'x\n2\n');
    const location = { files: [a] };
    const first = await takeTableSnapshot('csv', location, [root]);
    expect(first.files).toEqual([expect.objectContaining({ path: a, size: 4 })]);
    expect((await takeTableSnapshot('csv', location, [root])).fingerprint).toBe(first.fingerprint);

    expect(await compareWithCurrentSnapshot('csv', location, first, [root])).toEqual({
      dataChanged: false,
      schemaMayHaveChanged: false,
      changes: [],
    });
    await appendFile(a, '3\n');
    expect(await compareWithCurrentSnapshot('csv', location, first, [root])).toMatchObject({
      dataChanged: true,
    });
    const resized = compareTableSnapshots(first, await takeTableSnapshot('csv', location, [root]));
    expect(resized).toEqual({ dataChanged: true, schemaMayHaveChanged: true, changes: [`${a}: size 4 → 6`] });

    const before = await takeTableSnapshot('csv', location, [root]);
    await utimes(a, new Date(), new Date(Date.now() + 5_000));
    const touched = compareTableSnapshots(before, await takeTableSnapshot('csv', location, [root]));
    expect(touched.changes).toEqual([`${a}: modified`]);

    const grown = await takeTableSnapshot('csv', { files: [a, b] }, [root]);
    expect(compareTableSnapshots(before, grown).changes).toContain(`${b}: added`);
    await rm(b);
    const shrunk = await takeTableSnapshot('csv', { files: [a, b] }, [root]);
    // Its folder lost a file too (seen when the clock ticked between the two: mtimes are coarse).
    expect(compareTableSnapshots(grown, shrunk).changes).toContain(`${b}: removed`);
  });

  it('stamps the folders of a table of many files, so a file added to them is a change', async () => {
    const { root } = await confinedFolders();
    const files = [join(root, 'y=1', 'a.parquet'), join(root, 'y=2', 'b.parquet')];
    await mkdir(join(root, 'y=1'));
    await mkdir(join(root, 'y=2'));
    for (const f of files) await writeFile(f, 'x');
    expect(tableFolders({ files: files.map((path) => ({ path })) })).toEqual([
      root,
      join(root, 'y=1'),
      join(root, 'y=2'),
    ]);
    expect(tableFolders({ files: [files[0]] })).toEqual([join(root, 'y=1')]);
    expect(tableFolders({ files: [files[0]] }, root)).toEqual([root, join(root, 'y=1')]);
    expect(tableFolders({ file: files[0] })).toEqual([]);

    const location = { files: [{ path: files[0] }] };
    const stored = await takeTableSnapshot('parquet', location, [root], { top: root });
    expect(stored.folders?.map((f) => f.path)).toEqual([root, join(root, 'y=1')]);
    expect((await compareWithCurrentSnapshot('parquet', location, stored, [root])).dataChanged).toBe(false);
    // A new partition folder: no file the table lists changed, but the source's folder did.
    await mkdir(join(root, 'y=3'));
    await writeFile(join(root, 'y=3', 'c.parquet'), 'x');
    await utimes(root, new Date(), new Date(Date.now() + 5_000));
    const comparison = await compareWithCurrentSnapshot('parquet', location, stored, [root]);
    expect(comparison).toMatchObject({ dataChanged: true, schemaMayHaveChanged: true });
    expect(comparison.changes).toEqual([`${root}: files added or removed`]);
  });

  it('refuses a file swapped for a symlink that leads outside the roots', async () => {
    const { root, outside } = await confinedFolders();
    const a = join(root, 'a.csv');
    await writeFile(a, 'x\n1\n');
    const snapshot = await takeTableSnapshot('csv', { file: a }, [root]);
    await writeFile(join(outside, 'secret'), 'secret');
    await swapForSymlink(a, join(outside, 'secret'));
    await expectNotAllowed(takeTableSnapshot('csv', { file: a }, [root]), a, join(outside, 'secret'));
    const table = tableRef('csv', { file: a }, snapshot);
    await expectNotAllowed(checkTableUnchanged(table, [root]), a);
    await expectNotAllowed(checkScanFilesUnchanged(table, [root], []), a);
  });

  it('fails planning and scans of a changed file table with SOURCE_CHANGED naming the table and the refresh', async () => {
    const { root } = await confinedFolders();
    const a = join(root, 'a.csv');
    const b = join(root, 'b.csv');
    await writeFile(a, 'x\n1\n');
    await writeFile(b, 'x\n1\n');
    const location = { files: [a, b] };
    const table = tableRef('csv', location, await takeTableSnapshot('csv', location, [root]));
    await checkTableUnchanged(table, [root]);
    await checkScanFilesUnchanged(table, [root], []);
    await writeFile(b, 'x,y\n1,2\n');
    const error = await failure(checkTableUnchanged(table, [root]));
    expect(error).toMatchObject({
      code: 'SOURCE_CHANGED',
      status: 409,
      details: { source: 'src', table: 't', changes: [`${b}: size 4 → 8`] },
    });
    expect((error as Error).message).toContain('POST /api/v1/sources/src/refresh');
    // A scan that reads only the unchanged file goes on; one that reads the changed one stops.
    await checkScanFilesUnchanged(table, [root], [a]);
    expect(await failure(checkScanFilesUnchanged(table, [root], [b]))).toMatchObject({
      code: 'SOURCE_CHANGED',
    });
    await rm(a);
    expect(await failure(checkScanFilesUnchanged(table, [root], [a]))).toMatchObject({
      code: 'SOURCE_CHANGED',
      details: { changes: [`${a}: removed`] },
    });
  });

  it('tells a SQLite table whose rows changed from one whose definition changed', async () => {
    const { root } = await confinedFolders();
    const file = join(root, 'db.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (a INTEGER); CREATE TABLE other (b TEXT); INSERT INTO t VALUES (1)');
    const location = { database: file, table: 't' };
    const first = await takeTableSnapshot('sqlite', location, [root]);
    expect(first.files.map((f) => f.path)).toEqual([file, `${file}-wal`]);
    expect(first.schemaHash).toMatch(/^[0-9a-f]{16}$/);
    const table = tableRef('sqlite', location, first);

    db.exec('INSERT INTO t VALUES (2); ALTER TABLE other ADD COLUMN c TEXT');
    const rows = compareTableSnapshots(first, await takeTableSnapshot('sqlite', location, [root]));
    expect(rows).toMatchObject({ dataChanged: true, schemaMayHaveChanged: false });
    await checkTableUnchanged(table, [root]);

    db.exec('ALTER TABLE t ADD COLUMN z TEXT');
    const altered = compareTableSnapshots(first, await takeTableSnapshot('sqlite', location, [root]));
    expect(altered).toMatchObject({ dataChanged: true, schemaMayHaveChanged: true });
    expect(await failure(checkTableUnchanged(table, [root]))).toMatchObject({ code: 'SOURCE_CHANGED' });

    db.exec('DROP TABLE t');
    expect((await takeTableSnapshot('sqlite', location, [root])).schemaHash).toBeNull();
    db.close();
  });
});
