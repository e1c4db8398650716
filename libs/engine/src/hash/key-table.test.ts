import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  DATE,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  decimal,
  type ColumnBuffers,
} from '@tributary/common';
import { KeyTable } from './key-table.ts';

function ints(values: (number | null)[]): ColumnBuffers {
  const validity = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v !== null) validity[i >> 3] |= 1 << (i & 7);
  });
  return {
    type: INTEGER,
    length: values.length,
    values: Int32Array.from(values.map((v) => v ?? 0)),
    validity,
  };
}

function strings(values: (string | null)[]): ColumnBuffers {
  const encoder = new TextEncoder();
  const parts = values.map((v) => encoder.encode(v ?? 'garbage'));
  const offsets = new Int32Array(values.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i] + p.length));
  const bytes = new Uint8Array(offsets[values.length]);
  parts.forEach((p, i) => bytes.set(p, offsets[i]));
  const validity = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => {
    if (v !== null) validity[i >> 3] |= 1 << (i & 7);
  });
  return { type: VARCHAR, length: values.length, values: bytes, offsets, validity };
}

describe('KeyTable', () => {
  it('assigns dense ids in first-seen order, NULL being one key of its own', () => {
    const table = new KeyTable([INTEGER, VARCHAR]);
    const a = ints([1, 2, 1, null, null, 1, 0]);
    const b = strings(['x', 'x', 'x', 'y', 'y', 'xy', null]);
    const ids = new Int32Array(7);
    expect(table.findOrInsert(table.encode([a, b], 7), ids)).toBe(0);
    expect([...ids]).toEqual([0, 1, 0, 2, 2, 3, 4]);
    expect(table.size).toBe(5);
    const [ka, kb] = table.keyColumns(0, 5);
    expect([...(ka.values as Int32Array)]).toEqual([1, 2, 0, 1, 0]);
    expect(ka.validity![0]).toBe(0b11011);
    expect(new TextDecoder().decode((kb.values as Uint8Array).subarray(kb.offsets![3], kb.offsets![4]))).toBe(
      'xy',
    );
    expect(kb.validity![0]).toBe(0b01111);
  });

  it('skips and never finds NULL keys when asked to', () => {
    const table = new KeyTable([INTEGER]);
    const ids = new Int32Array(3);
    table.findOrInsert(table.encode([ints([5, null, 7])], 3), ids, true);
    expect([...ids]).toEqual([0, -1, 1]);
    table.find(table.encode([ints([7, null, 6])], 3), ids);
    expect([...ids]).toEqual([1, -1, -1]);
  });

  it('keeps a million distinct BIGINT keys, growing as it goes', () => {
    const n = 1_000_000;
    const values = new BigInt64Array(n);
    const halves = new Int32Array(values.buffer);
    for (let i = 0; i < n; i++) {
      halves[2 * i] = i * 7;
      halves[2 * i + 1] = i & 3;
    }
    const table = new KeyTable([BIGINT]);
    const ids = new Int32Array(n);
    table.findOrInsert(table.encode([{ type: BIGINT, length: n, values }], n), ids);
    expect(table.size).toBe(n);
    table.find(table.encode([{ type: BIGINT, length: n, values }], n), ids);
    expect(ids[123456]).toBe(123456);
    const [keys] = table.keyColumns(999_999, n);
    expect((keys.values as BigInt64Array)[0]).toBe(values[999_999]);
  });

  it('treats -0 and 0, and all NaNs, as one DOUBLE key; compares DECIMAL words', () => {
    const table = new KeyTable([DOUBLE, decimal(38, 2)]);
    const d = Float64Array.from([0, -0, NaN, -NaN, 0]);
    const dec = new Uint32Array(20);
    dec[0] = 5;
    dec[4] = 5;
    dec[8] = 5;
    dec[12] = 5;
    dec[19] = 1; // a value differing only in the top word
    const ids = new Int32Array(5);
    table.findOrInsert(
      table.encode(
        [
          { type: DOUBLE, length: 5, values: d },
          { type: decimal(38, 2), length: 5, values: dec },
        ],
        5,
      ),
      ids,
    );
    expect([...ids]).toEqual([0, 0, 1, 1, 2]);
  });

  it('encodes one INTEGER, DATE, BIGINT or TIMESTAMP column without NULLs as the general path does', () => {
    const n = 1000;
    const allValid = new Uint8Array((n + 7) >> 3).fill(0xff);
    const int32 = Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0);
    const int64 = BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * -9_000_000_007n + 3n);
    for (const [type, values] of [
      [INTEGER, int32],
      [DATE, int32],
      [BIGINT, int64],
      [TIMESTAMP, int64],
    ] as const) {
      const table = new KeyTable([type]);
      // A validity bitmap, even with every row valid, takes the general path.
      const general = table.encode([{ type, length: n, values, validity: allValid }], n);
      const generalHashes = [...general.hashes.subarray(0, n)];
      const generalWords = [...general.words.subarray(0, n * (type === INTEGER || type === DATE ? 2 : 3))];
      const fast = table.encode([{ type, length: n, values }], n);
      expect([...fast.hashes.subarray(0, n)]).toEqual(generalHashes);
      expect([...fast.words.subarray(0, generalWords.length)]).toEqual(generalWords);
      expect([...fast.anyNull.subarray(0, n)].every((b) => b === 0)).toBe(true);
    }
  });

  it.each([false, true])(
    'finds exactly the stored keys among many absent ones, through every growth (dense: %s)',
    (dense) => {
      const table = new KeyTable([BIGINT], 8, dense);
      const stored = new Map<bigint, number>();
      const ids = new Int32Array(4096);
      let seed = 7;
      const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) | 0);
      for (let round = 0; round < 40; round++) {
        const keys = BigInt64Array.from({ length: 4096 }, () => BigInt(next() >>> 4));
        table.findOrInsert(table.encode([{ type: BIGINT, length: 4096, values: keys }], 4096), ids);
        keys.forEach((k, i) => stored.set(k, ids[i]));
        const probes = BigInt64Array.from({ length: 4096 }, () => BigInt(next() >>> 4));
        table.find(table.encode([{ type: BIGINT, length: 4096, values: probes }], 4096), ids);
        probes.forEach((k, i) => expect(ids[i]).toBe(stored.get(k) ?? -1));
      }
      expect(table.size).toBe(stored.size);
    },
  );

  it('keeps a build side made dense for its keys in half the slots, finding exactly what a growing table finds', () => {
    const n = 146_777;
    const keys = BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 4));
    const probes = BigInt64Array.from({ length: 4 * n }, (_, i) => BigInt(i));
    const dense = new KeyTable([BIGINT], n, true);
    const growing = new KeyTable([BIGINT], n);
    const found = [dense, growing].map((table) => {
      const ids = new Int32Array(4 * n);
      table.findOrInsert(table.encode([{ type: BIGINT, length: n, values: keys }], n), ids);
      table.find(table.encode([{ type: BIGINT, length: 4 * n, values: probes }], 4 * n), ids);
      return ids;
    });
    expect(found[0]).toEqual(found[1]);
    expect(found[0].filter((id) => id >= 0)).toHaveLength(n);
    // 262,144 slots of 8 bytes and their filter instead of 524,288.
    expect(growing.memoryBytes() - dense.memoryBytes()).toBeGreaterThanOrEqual(262_144 * 8.5);
    expect(KeyTable.memoryFor([BIGINT], n) - KeyTable.memoryFor([BIGINT], n, true)).toBe(262_144 * 8.5);
  });
});
