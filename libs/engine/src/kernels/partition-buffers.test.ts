import { describe, expect, it } from 'vitest';
import {
  BIGINT,
  BOOLEAN,
  ColumnBuilder,
  DATE,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  decimal,
  listOf,
  makeRecordBatch,
  type ColumnBuffers,
  type SqlType,
} from '@tributary/common';
import type { Field } from '@tributary/plan';
import { batchToJsonRows } from '../result/batch-to-json.ts';
import { PartitionBuffers } from './partition-buffers.ts';

type Value = number | string | boolean | null | Value[];

/** Columns of every canonical type, `n` rows, NULLs only where `nulls` says, text of varied lengths. */
function table(n: number, nulls: boolean): { fields: Field[]; columns: ColumnBuffers[] } {
  const types: [string, SqlType, (i: number) => Value][] = [
    ['b', BOOLEAN, (i) => i % 3 === 0],
    ['i', INTEGER, (i) => i * 7 - 1000],
    ['l', BIGINT, (i) => i * 5_000_000_001 - 3],
    ['d', DOUBLE, (i) => (i % 5 === 0 ? -0 : i / 3)],
    ['m', decimal(15, 2), (i) => i * 1234567 - 99],
    ['dt', DATE, (i) => i - 500],
    ['ts', TIMESTAMP, (i) => i * 86_400_000_123],
    ['s', VARCHAR, (i) => 'é'.repeat(i % 23)],
    ['li', listOf(INTEGER), (i) => (i % 4 === 0 ? [] : [i, null, i + 1])],
  ];
  const fields = types.map(([name, type]) => ({ name, type, nullable: true }));
  const columns = types.map(([, type, value]) => {
    const b = new ColumnBuilder(type, 1);
    for (let i = 0; i < n; i++) {
      const v = nulls && i % 11 === 4 ? null : value(i);
      if (v === null) b.appendNull();
      else if (Array.isArray(v)) b.appendList(v as never);
      else if (typeof v === 'boolean') b.appendBoolean(v);
      else if (typeof v === 'string') b.appendString(v);
      else b.appendNumber(v);
    }
    return b.finish();
  });
  return { fields, columns };
}

describe('PartitionBuffers', () => {
  it('gathers the rows routed to each partition, of every type, in the order they came', () => {
    const { fields, columns } = table(3000, true);
    const expected = batchToJsonRows(makeRecordBatch(fields, columns, 3000), fields);
    const buffers = new PartitionBuffers(fields, 3);
    // Two "batches": rows 0..1500 and 1500..3000, routed by row % 3 (as a partitioner would: grouped, in order).
    const wanted: number[][] = [[], [], []];
    for (const [from, to] of [
      [0, 1500],
      [1500, 3000],
    ]) {
      for (let p = 0; p < 3; p++) {
        const rows = Uint32Array.from({ length: to - from }, (_, k) => from + k).filter((r) => r % 3 === p);
        buffers.append(p, columns, rows, 0, rows.length);
        wanted[p].push(...rows);
      }
    }
    for (let p = 0; p < 3; p++) {
      expect(buffers.rows(p)).toBe(1000);
      expect(batchToJsonRows(buffers.batch(p), fields)).toEqual(wanted[p].map((r) => expected[r]));
    }
  });

  it('appends ranges, and reuses its buffers after a clear without leaking old rows or NULLs', () => {
    const withNulls = table(2000, true);
    const without = table(2000, false);
    const { fields } = withNulls;
    const rowsOf = (t: typeof withNulls) => batchToJsonRows(makeRecordBatch(fields, t.columns, 2000), fields);
    const buffers = new PartitionBuffers(fields, 1);
    buffers.append(0, withNulls.columns, undefined, 100, 1900);
    expect(batchToJsonRows(buffers.batch(0), fields)).toEqual(rowsOf(withNulls).slice(100, 1900));
    buffers.clear(0);
    // Fewer rows, none NULL: no NULL nor value of the rows before survives.
    buffers.append(0, without.columns, undefined, 0, 700);
    buffers.append(0, without.columns, Uint32Array.of(1999, 5, 5), 0, 3);
    const after = batchToJsonRows(buffers.batch(0), fields);
    const all = rowsOf(without);
    expect(after).toEqual([...all.slice(0, 700), all[1999], all[5], all[5]]);
    expect(buffers.batch(0).getChildAt(1)!.nullCount).toBe(0);
  });

  it('counts rows of batches without columns, and reports the bytes its buffers hold', () => {
    const empty = new PartitionBuffers([], 2);
    empty.append(1, [], undefined, 0, 42);
    expect([empty.rows(0), empty.rows(1)]).toEqual([0, 42]);
    expect(empty.batch(1).numRows).toBe(42);
    const { fields, columns } = table(10, false);
    const buffers = new PartitionBuffers(fields, 1);
    expect(buffers.allocatedBytes()).toBeLessThan(100);
    buffers.append(0, columns, undefined, 0, 10);
    expect(buffers.allocatedBytes()).toBeGreaterThan(1024 * 4);
  });
});
