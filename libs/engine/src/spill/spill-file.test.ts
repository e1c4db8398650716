import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NULL_TYPE } from '@tributary/common';
import type { Field } from '@tributary/plan';
import {
  BatchSource,
  allTypeFields,
  collectRows,
  testBatch,
  type TestValue,
} from '../operators/operator-test-support.ts';
import { SpillDirectory, LazySpillDirectory } from './spill-directory.ts';
import { SpillFileWriter, readSpillFile } from './spill-file.ts';

const fields: Field[] = [...allTypeFields, { name: 'n', type: NULL_TYPE, nullable: true }];

function rows(count: number, seed: number): TestValue[][] {
  const next = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed;
  };
  const maybe = <T extends TestValue>(v: T): T | null => (next() % 5 === 0 ? null : v);
  return Array.from({ length: count }, () => [
    maybe(next() % 2 === 0),
    maybe((next() % 2001) - 1000),
    maybe((next() % 1000) * 2 ** 40 - 2 ** 49),
    maybe(next() % 17 === 0 ? NaN : (next() % 9999) / 7 - 700),
    maybe((next() % 2000000) - 1000000),
    maybe((next() % 2000000) * 1e6 - 1e12),
    maybe(next() % 30000),
    maybe((next() % 100000) * 1e9),
    maybe(['', 'a', 'héllo', 'a longer string of more than sixteen bytes'][next() % 4]),
    null,
  ]);
}

describe('spill files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tributary-spill-test-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('round-trip batches of every type, NULLs included, as one Arrow IPC stream', async () => {
    const dir = await SpillDirectory.create(join(root, 'spill'), 'Sort');
    const parts = [rows(500, 1), rows(1, 2), rows(3000, 3)];
    const writer = new SpillFileWriter(dir.newFilePath('run'), fields, 'Sort');
    for (const part of parts) await writer.write(testBatch(fields, part));
    const file = await writer.close();
    expect([file.rows, file.batches]).toEqual([3501, 3]);
    expect(file.maxBatchBytes).toBeGreaterThan(3000 * (1 + 4 + 8 + 8 + 16 + 16 + 4 + 8));

    const back = new BatchSource(fields, []);
    const batches = [];
    for await (const b of readSpillFile(file, new AbortController().signal)) batches.push(b);
    expect(batches.map((b) => b.numRows)).toEqual([500, 1, 3000]);
    const original = await collectRows(BatchSource.fromRows(fields, parts.flat(), 1000));
    expect(await collectRows(new BatchSource(back.schema, batches))).toEqual(original);
    // Any Arrow reader sees one stream of three batches.
    expect(tableFromIPC(await readFile(file.path)).batches.length).toBe(3);

    await dir.remove();
    expect(await readdir(join(root, 'spill'))).toEqual([]);
  });

  it('creates no file for a writer without batches and no folder until asked', async () => {
    const lazy = new LazySpillDirectory(join(root, 'spill'), 'HashAggregate');
    await lazy.remove();
    expect(await readdir(root)).toEqual([]);
    const dir = await lazy.get();
    expect(dir.path.startsWith(join(root, 'spill', 'hashaggregate-'))).toBe(true);
    const file = await new SpillFileWriter(dir.newFilePath('empty'), fields, 'HashAggregate').close();
    expect(file.rows).toBe(0);
    expect(await readdir(dir.path)).toEqual([]);
    await lazy.remove();
    expect(await readdir(join(root, 'spill'))).toEqual([]);
  });

  it('fails with SPILL_FAILED when the file cannot be written', async () => {
    const writer = new SpillFileWriter(join(root, 'missing', 'x.arrows'), fields, 'Sort');
    await expect(writer.write(testBatch(fields, rows(3, 4)))).rejects.toMatchObject({
      code: 'SPILL_FAILED',
      phase: 'resource',
    });
  });
});
