import { describe, expect, it } from 'vitest';
import {
  Dictionary,
  Int32,
  RecordBatchStreamWriter,
  Table,
  Utf8,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type RecordBatch,
} from 'apache-arrow';
import {
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  ExecutionError,
  INTEGER,
  VARCHAR,
  decimal,
  makeRecordBatch,
} from '@tributary/common';
import { decodeFrames, encodeBatchFrame, encodeEndFrame, encodeErrorFrame } from './frames.ts';
import { decodeIpcBatches } from './ipc-batch-codec.ts';

const batch = makeRecordBatch(
  [
    { name: 'k', type: BIGINT },
    { name: 's', type: VARCHAR },
  ],
  [
    { type: BIGINT, length: 2, values: new BigInt64Array([7n, -3n]) },
    {
      type: VARCHAR,
      length: 2,
      values: new TextEncoder().encode('abcd'),
      offsets: new Int32Array([0, 1, 4]),
    },
  ],
  2,
);

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

async function collect(bytes: Uint8Array, size: number) {
  const rows: unknown[] = [];
  for await (const b of decodeFrames(chunked(bytes, size), 'executor e1'))
    rows.push(...b.toArray().map((r) => r.toJSON()));
  return rows;
}

describe('frames', () => {
  it('round-trips batches across arbitrary chunk boundaries', async () => {
    const bytes = joined([encodeBatchFrame(batch), encodeBatchFrame(batch), encodeEndFrame()]);
    for (const size of [1, 3, 7, 1000]) {
      expect(await collect(bytes, size)).toEqual([
        { k: 7n, s: 'a' },
        { k: -3n, s: 'bcd' },
        { k: 7n, s: 'a' },
        { k: -3n, s: 'bcd' },
      ]);
    }
  });

  it('rethrows the executor error with its code', async () => {
    const bytes = joined([
      encodeBatchFrame(batch),
      encodeErrorFrame(new ExecutionError('CAST_INVALID', 'bad value "x"')),
    ]);
    await expect(collect(bytes, 64)).rejects.toMatchObject({
      code: 'CAST_INVALID',
      message: 'bad value "x"',
    });
  });

  it('reports a stream cut off before its end frame', async () => {
    const bytes = encodeBatchFrame(batch);
    await expect(collect(bytes.slice(0, bytes.length - 3), 64)).rejects.toMatchObject({
      code: 'EXECUTOR_STREAM_CUT',
    });
    await expect(collect(bytes, 64)).rejects.toMatchObject({ code: 'EXECUTOR_STREAM_CUT' });
  });
});

describe('batch frames of a schema seen before', () => {
  it('are byte for byte what Arrow writes, for flat and nested schemas', () => {
    const plain = (b: RecordBatch) => {
      const writer = new RecordBatchStreamWriter();
      writer.write(b);
      writer.finish();
      return writer.toUint8Array(true);
    };
    const dec = decimal(15, 2);
    const list = { kind: 'LIST', element: BIGINT } as const;
    const wide = makeRecordBatch(
      [
        { name: 'd', type: dec },
        { name: 'day', type: DATE },
        { name: 'ok', type: BOOLEAN },
        { name: 'n', type: INTEGER },
        { name: 'x', type: DOUBLE },
        { name: 'l', type: list },
      ],
      [
        { type: dec, length: 2, values: new BigInt64Array([1n, 0n, -250n, -1n]) },
        { type: DATE, length: 2, values: new Int32Array([19000, 0]), validity: new Uint8Array([0b01]) },
        { type: BOOLEAN, length: 2, values: new Uint8Array([0b10]) },
        { type: INTEGER, length: 2, values: new Int32Array([5, -5]) },
        { type: DOUBLE, length: 2, values: new Float64Array([0.5, 2]) },
        {
          type: list,
          length: 2,
          values: new Uint8Array(0),
          offsets: new Int32Array([0, 1, 3]),
          child: { type: BIGINT, length: 3, values: new BigInt64Array([1n, 2n, 3n]) },
        },
      ],
      2,
    );
    const empty = makeRecordBatch(
      [{ name: 's', type: VARCHAR }],
      [{ type: VARCHAR, length: 0, values: new Uint8Array(0), offsets: new Int32Array([0]) }],
      0,
    );
    // Twice each: the second frame of a schema uses the kept schema message, and is read with the kept schema.
    for (const b of [batch, batch, wide, wide, empty]) {
      const frame = encodeBatchFrame(b);
      expect(frame.subarray(5)).toEqual(plain(b));
      const read = decodeIpcBatches(frame.subarray(5));
      const arrow = tableFromIPC(plain(b)).batches;
      expect(read.map((r) => r.numRows)).toEqual(arrow.map((r) => r.numRows));
      expect(read.map((r) => String(r.schema.fields))).toEqual(arrow.map((r) => String(r.schema.fields)));
      expect(read.flatMap((r) => r.toArray().map((row) => JSON.stringify(row.toJSON(), big)))).toEqual(
        arrow.flatMap((r) => r.toArray().map((row) => JSON.stringify(row.toJSON(), big))),
      );
    }
  });

  it('are read from Node Buffers at any alignment, as sockets hand them over', async () => {
    const frame = encodeBatchFrame(batch);
    const end = encodeEndFrame();
    for (let shift = 0; shift < 8; shift++) {
      // A Buffer at an odd offset of a larger allocation, as a socket's pooled chunks are.
      const pool = Buffer.alloc(shift + frame.length + end.length);
      pool.set(frame, shift);
      pool.set(end, shift + frame.length);
      const chunk = pool.subarray(shift);
      const rows: unknown[] = [];
      for await (const b of decodeFrames(
        (async function* () {
          yield chunk;
        })(),
        'executor e1',
      ))
        rows.push(...b.toArray().map((r) => JSON.stringify(r.toJSON(), big)));
      expect(rows).toEqual(['{"k":"7n","s":"a"}', '{"k":"-3n","s":"bcd"}']);
    }
  });

  it("are read by Arrow's own reader when they hold what the quick reader does not", () => {
    // Two batches in one stream, and a dictionary-encoded column.
    const two = tableFromArrays({ n: Int32Array.from([1, 2, 3]) });
    const doubled = new Table([two.batches[0], two.batches[0]]);
    const dict = new Table({
      s: vectorFromArray(['a', 'b', 'a'], new Dictionary(new Utf8(), new Int32())),
    });
    for (const table of [doubled, dict]) {
      const bytes = tableToIPC(table, 'stream');
      const read = decodeIpcBatches(bytes);
      expect(read.flatMap((r) => r.toArray().map((row) => JSON.stringify(row.toJSON())))).toEqual(
        table.toArray().map((row) => JSON.stringify(row.toJSON())),
      );
    }
  });
});

const big = (_key: string, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value);
