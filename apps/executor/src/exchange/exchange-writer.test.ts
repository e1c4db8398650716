import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
  const out: bigint[] = [];
  const bytes = await readFile(file);
  async function* chunks() {
    yield new Uint8Array(bytes);
  }
  for await (const batch of decodeFrames(chunks(), file))
    for (const v of batch.getChildAt(0)!.toArray() as BigInt64Array) out.push(v);
  return out;
}

describe('ExchangeWriter', () => {
  it('writes every row in order when the query budget has no room left at all', async () => {
    const files = new ExchangeFiles(dir);
    const pool = new LimitedMemoryPool(4096);
    // Another operator of the query holds the whole budget.
    const sort = new MemoryReservation(pool, 'Sort');
    sort.grow(4096);
    const reservation = new MemoryReservation(pool, 'Exchange output');
    const writer = await ExchangeWriter.open(
      { kind: 'hash', keys: [column(0, 'k', BIGINT)], partitions: 2 },
      schema,
      files,
      'q1',
      't1',
      reservation,
    );
    for (let b = 0; b < 5; b++) await writer.write(batchOf(b * 1000, 1000));
    const counts = await writer.finish();
    await writer.close();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(5000);
    const all: bigint[] = [];
    for (let p = 0; p < 2; p++) {
      const rows = await rowsOf(files.partitionFile('q1', 't1', p));
      expect(rows).toHaveLength(counts[p]);
      // Each partition keeps the order rows came in.
      expect([...rows].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(rows);
      all.push(...rows);
    }
    expect(all.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(
      Array.from({ length: 5000 }, (_, i) => BigInt(i)),
    );
    expect(pool.used()).toBe(4096);
  });

  it('routes every row to the partition of its key, in order, across flushes and batches big enough to go as they are', async () => {
    const files = new ExchangeFiles(dir);
    const pool = new LimitedMemoryPool(64 * 1024 * 1024);
    const open = (output: Parameters<typeof ExchangeWriter.open>[0], task: string) =>
      ExchangeWriter.open(output, schema, files, 'q2', task, new MemoryReservation(pool, 'Exchange output'));
    const hash = await open({ kind: 'hash', keys: [column(0, 'k', BIGINT)], partitions: 3 }, 'h');
    const single = await open({ kind: 'single' }, 's');
    // 150,000 rows in small batches (flushed at 64K rows a partition), then one of 70,000.
    const batches = [
      ...Array.from({ length: 150 }, (_, b) => batchOf(b * 1000, 1000)),
      batchOf(150_000, 70_000),
    ];
    for (const b of batches) {
      await hash.write(b);
      await single.write(b);
    }
    const counts = await hash.finish();
    expect(await single.finish()).toEqual([220_000]);
    await Promise.all([hash.close(), single.close()]);
    expect(pool.used()).toBe(0);
    const all = Array.from({ length: 220_000 }, (_, i) => BigInt(i));
    expect(await rowsOf(files.partitionFile('q2', 's', 0))).toEqual(all);
    const seen: bigint[] = [];
    const partitionOf = new HashPartitioner([column(0, 'k', BIGINT)], schema, 3).partitionOf(
      batchOf(0, 220_000),
    );
    for (let p = 0; p < 3; p++) {
      const rows = await rowsOf(files.partitionFile('q2', 'h', p));
      expect(rows).toHaveLength(counts[p]);
      expect(rows.length).toBeGreaterThan(50_000);
      expect(rows.every((k) => partitionOf[Number(k)] === p)).toBe(true);
      expect([...rows].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(rows);
      seen.push(...rows);
    }
    expect(seen.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(all);
  });
});
