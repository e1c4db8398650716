import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordBatch } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { batchToJsonRows } from '@tributary/engine';
import {
  ResultSpoolWriter,
  SPOOL_WRITE_FAILED,
  readSpoolIndex,
  readSpoolPage,
  spoolDir,
  sweepSpools,
} from './result-spool.ts';
import { TEST_FIELDS, TEST_ROW_COUNT, testBatch } from './test-batch.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'spool-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function rowsOf(batches: AsyncIterable<RecordBatch>): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const batch of batches) rows.push(...batchToJsonRows(batch, TEST_FIELDS));
  return rows;
}

/** A spool of the test rows, 4 times over, in batches of 1, 2 and 2 rows. */
async function writeSpool(dir: string) {
  const writer = await ResultSpoolWriter.create(dir, TEST_FIELDS);
  for (let k = 0; k < 4; k++) {
    await writer.write(testBatch(0, 1));
    await writer.write(testBatch(1, 3));
    await writer.write(testBatch(3, 5));
  }
  await writer.write(testBatch(0, 0));
  return writer.finish();
}

describe('result spool', () => {
  it('pages any range, reading only the batches that hold it, across batch boundaries', async () => {
    const dir = join(tempDir(), 'job');
    const index = await writeSpool(dir);
    expect(index.rowCount).toBe(4 * TEST_ROW_COUNT);
    expect(index.batches.map((b) => b.rows)).toEqual([1, 2, 2, 1, 2, 2, 1, 2, 2, 1, 2, 2]);
    expect(await readSpoolIndex(dir)).toEqual(index);
    const all = await rowsOf(readSpoolPage(dir, index, 0, Number.MAX_SAFE_INTEGER));
    const once = batchToJsonRows(testBatch(), TEST_FIELDS);
    expect(all).toEqual([...once, ...once, ...once, ...once]);
    for (const [offset, limit] of [
      [0, 1],
      [1, 3],
      [4, 7],
      [7, 100],
      [19, 1],
      [20, 5],
      [3, 0],
    ]) {
      expect(await rowsOf(readSpoolPage(dir, index, offset, limit))).toEqual(
        all.slice(offset, offset + limit),
      );
    }
    let batches = 0;
    for await (const batch of readSpoolPage(dir, index, 13, 2)) batches += batch.numRows > 0 ? 1 : 0;
    expect(batches).toBe(1);
  });

  it('has no index until it is finished, and leaves nothing when discarded', async () => {
    const root = tempDir();
    const writer = await ResultSpoolWriter.create(spoolDir(root, 'j1'), TEST_FIELDS);
    await writer.write(testBatch());
    expect(await readSpoolIndex(spoolDir(root, 'j1'))).toBeUndefined();
    await writer.discard();
    expect(readdirSync(root)).toEqual([]);
  });

  it('fails with SPOOL_WRITE_FAILED when it cannot write', async () => {
    const root = tempDir();
    writeFileSync(join(root, 'file'), 'x');
    await expect(ResultSpoolWriter.create(join(root, 'file', 'job'), TEST_FIELDS)).rejects.toMatchObject({
      code: SPOOL_WRITE_FAILED,
    });
  });

  it('sweeps spools of jobs that did not complete and expired ones, never a busy one', async () => {
    const root = tempDir();
    for (const id of ['kept', 'old', 'failed', 'busy']) await writeSpool(spoolDir(root, id));
    const hourAgo = new Date(Date.now() - 3600_000);
    utimesSync(join(spoolDir(root, 'old'), 'index.json'), hourAgo, hourAgo);
    const deleted = await sweepSpools(root, {
      ttlMs: 60_000,
      keep: (id) => id !== 'failed' && id !== 'busy',
      busy: (id) => id === 'busy',
    });
    expect(deleted.sort()).toEqual(['failed', 'old']);
    expect(readdirSync(root).sort()).toEqual(['busy', 'kept']);
  });
});
