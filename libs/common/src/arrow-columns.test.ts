import { RecordBatchStreamWriter, tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { makeRecordBatch, type ColumnBuffers } from './arrow-columns.ts';
import { BIGINT, VARCHAR, decimal } from './sql-type.ts';

function roundTrip(batch: ReturnType<typeof makeRecordBatch>): unknown[][] {
  const writer = new RecordBatchStreamWriter();
  writer.write(batch);
  writer.finish();
  const table = tableFromIPC(writer.toUint8Array(true));
  return table.toArray().map((row) => Object.values(row.toJSON()).map((v) => String(v)));
}

describe('makeRecordBatch', () => {
  it('makes batches Arrow IPC can write when columns share buffers (a column selected twice)', () => {
    const big: ColumnBuffers = { type: BIGINT, length: 3, values: new BigInt64Array([1n, -2n, 3n]) };
    const words = new Uint32Array([5, 0, 0, 0, 7, 0, 0, 0, 9, 0, 0, 0]);
    const dec: ColumnBuffers = { type: decimal(15, 2), length: 3, values: words };
    const text: ColumnBuffers = {
      type: VARCHAR,
      length: 3,
      values: new TextEncoder().encode('abc'),
      offsets: new Int32Array([0, 1, 2, 3]),
      validity: new Uint8Array([0b101]),
    };
    const fields = ['a', 'b', 'c', 'd', 'e', 'f'].map((name, i) => ({
      name,
      type: [BIGINT, decimal(15, 2), VARCHAR][i >> 1],
    }));
    const batch = makeRecordBatch(fields, [big, big, dec, dec, text, text], 3);
    const rows = roundTrip(batch);
    expect(rows.map((r) => [r[0], r[1], r[4], r[5]])).toEqual([
      ['1', '1', 'a', 'a'],
      ['-2', '-2', 'null', 'null'],
      ['3', '3', 'c', 'c'],
    ]);
    expect(rows[0][2]).toBe(rows[0][3]);
    // The caller's buffers are left as they were.
    expect(Array.from(big.values as BigInt64Array)).toEqual([1n, -2n, 3n]);
  });
});
