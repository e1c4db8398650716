import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIGINT, makeRecordBatch } from '@tributary/common';
import { HashPartitioner, LimitedMemoryPool, MemoryReservation } from '@tributary/engine';
import { column, type Field } from '@tributary/plan';
import { decodeFrames } from '@tributary/protocol';
import { ExchangeFiles } from './exchange-files.ts';
import { ExchangeWriter } from './exchange-writer.ts';

const schema: Field[] = [{ name: 'k', type: BIGINT, nullable: false }];
const batchOf = (from: number, rows: number) =>
  makeRecordBatch(
    [{ name: 'k', type: BIGINT }],
    [
      {
        type: BIGINT,
        length: rows,
        values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(from + i)),
      },
    ],
    rows,
  );

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'exchange-writer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function rowsOf(file: string): Promise<bigint[]> {
  return rowsIn(await readFile(file), file);
}

async function rowsIn(bytes: Uint8Array, origin: string): Promise<bigint[]> {
  const out: bigint[] = [];
  async function* chunks() {
    yield new Uint8Array(bytes);
  }
  for await (const batch of decodeFrames(chunks(), origin))
    for (const v of batch.getChildAt(0)!.toArray() as BigInt64Array) out.push(v);
  return out;
}

const ascending = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const keysBelow = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i));

/** Each partition holds as many rows as counted, and all of them together are the keys 0 to total - 1. */
function expectPartitions(partitions: readonly bigint[][], counts: readonly number[], total: number): void {
  partitions.forEach((rows, p) => expect(rows).toHaveLength(counts[p]));
  expect(partitions.flat().sort(ascending)).toEqual(keysBelow(total));
}

describe('ExchangeWriter', () => {
  it('writes every row in order when the query budget has no room left at all', async () => {
    const files = new ExchangeFiles(dir);
    const pool = new LimitedMemoryPool(4096);
    // Another operator of the query holds the whole budget.
    const sort = new MemoryReservation(pool, 'Sort');
    sort.grow(4096);
    const reservation = new MemoryReservation(pool, 'Exchange output');
    const writer = new ExchangeWriter(
      { kind: 'hash', keys: [column(0, 'k', BIGINT)], partitions: 2 },
      schema,
      files,
      'q1',
      't1',
      reservation,
    );
    for (let b = 0; b < 5; b++) await writer.write(batchOf(b * 1000, 1000));
    const counts = (await writer.finish()).partitionRows;
    await writer.close();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5000);
    const partitions = await Promise.all([0, 1].map((p) => rowsOf(files.partitionFile('q1', 't1', p))));
    // Each partition keeps the order rows came in.
    for (const rows of partitions) expect([...rows].sort(ascending)).toEqual(rows);
    expectPartitions(partitions, counts, 5000);
    expect(pool.used()).toBe(4096);
  });

  it('routes every row to the partition of its key, in order, across flushes and batches big enough to go as they are', async () => {
    const files = new ExchangeFiles(dir);
    const pool = new LimitedMemoryPool(64 * 1024 * 1024);
    const open = (output: ConstructorParameters<typeof ExchangeWriter>[0], task: string) =>
      new ExchangeWriter(output, schema, files, 'q2', task, new MemoryReservation(pool, 'Exchange output'));
    const hash = open({ kind: 'hash', keys: [column(0, 'k', BIGINT)], partitions: 3 }, 'h');
    const single = open({ kind: 'single' }, 's');
    // 150,000 rows in small batches (flushed at 64K rows a partition), then one of 70,000.
    const batches = [
      ...Array.from({ length: 150 }, (_, b) => batchOf(b * 1000, 1000)),
      batchOf(150_000, 70_000),
    ];
    for (const b of batches) {
      await hash.write(b);
      await single.write(b);
    }
    const counts = (await hash.finish()).partitionRows;
    expect(await single.finish()).toEqual({ partitionRows: [220_000] });
    await Promise.all([hash.close(), single.close()]);
    expect(pool.used()).toBe(0);
    expect(await rowsOf(files.partitionFile('q2', 's', 0))).toEqual(keysBelow(220_000));
    const partitionOf = new HashPartitioner([column(0, 'k', BIGINT)], schema, 3).partitionOf(
      batchOf(0, 220_000),
    );
    const partitions = await Promise.all([0, 1, 2].map((p) => rowsOf(files.partitionFile('q2', 'h', p))));
    partitions.forEach((rows, p) => {
      expect(rows.length).toBeGreaterThan(50_000);
      expect(rows.every((k) => partitionOf[Number(k)] === p)).toBe(true);
      expect([...rows].sort(ascending)).toEqual(rows);
    });
    expectPartitions(partitions, counts, 220_000);
  });

  it('hands a small output back whole, each partition a frame stream, and writes no file', async () => {
    const files = new ExchangeFiles(dir);
    const pool = new LimitedMemoryPool(64 * 1024 * 1024);
    const keys = [column(0, 'k', BIGINT)];
    const writer = new ExchangeWriter(
      { kind: 'hash', keys, partitions: 3 },
      schema,
      files,
      'q3',
      't',
      new MemoryReservation(pool, 'Exchange output'),
      64 * 1024,
    );
    for (let b = 0; b < 3; b++) await writer.write(batchOf(b * 100, 100));
    const { partitionRows, inline } = await writer.finish();
    await writer.close();
    expect(inline).toHaveLength(3);
    await expect(readdir(files.exchangeDir('q3'))).rejects.toThrow(/ENOENT/);
    const partitionOf = new HashPartitioner(keys, schema, 3).partitionOf(batchOf(0, 300));
    const partitions = await Promise.all(
      inline!.map((base64, p) => rowsIn(Buffer.from(base64, 'base64'), `partition ${p}`)),
    );
    partitions.forEach((rows, p) => expect(rows.every((k) => partitionOf[Number(k)] === p)).toBe(true));
    expectPartitions(partitions, partitionRows, 300);
    expect(pool.used()).toBe(0);
  });

  it('writes files when the output is over its inline bytes, however large, and for an empty output with none', async () => {
    const files = new ExchangeFiles(dir);
    const pool = new LimitedMemoryPool(64 * 1024 * 1024);
    const writer = (task: string, inlineBytes?: number) =>
      new ExchangeWriter(
        { kind: 'single' },
        schema,
        files,
        'q4',
        task,
        new MemoryReservation(pool, 'Exchange output'),
        inlineBytes,
      );
    // 1,000 BIGINTs are 8,000 bytes of values: over a 4 KB budget.
    const big = writer('big', 4096);
    await big.write(batchOf(0, 1000));
    expect(await big.finish()).toEqual({ partitionRows: [1000] });
    await big.close();
    expect(await rowsOf(files.partitionFile('q4', 'big', 0))).toEqual(keysBelow(1000));
    // 3 partitions of about 50,000 rows: none flushed before the end, 1.2 MB in all, over what is written at once.
    const wide = new ExchangeWriter(
      { kind: 'hash', keys: [column(0, 'k', BIGINT)], partitions: 3 },
      schema,
      files,
      'q4',
      'wide',
      new MemoryReservation(pool, 'Exchange output'),
    );
    for (let b = 0; b < 150; b++) await wide.write(batchOf(b * 1000, 1000));
    const counts = (await wide.finish()).partitionRows;
    await wide.close();
    expect(Math.max(...counts)).toBeLessThan(65_536);
    const partitions = await Promise.all([0, 1, 2].map((p) => rowsOf(files.partitionFile('q4', 'wide', p))));
    expectPartitions(partitions, counts, 150_000);
    const empty = writer('empty');
    expect(await empty.finish()).toEqual({ partitionRows: [0] });
    await empty.close();
    expect(await rowsOf(files.partitionFile('q4', 'empty', 0))).toEqual([]);
  });
});
