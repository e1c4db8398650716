import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIGINT, makeRecordBatch } from '@tributary/common';
import { LimitedMemoryPool, MemoryReservation } from '@tributary/engine';
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
});
