import { ColumnBuilder, INTEGER, listOf, makeRecordBatch, VARCHAR, type SqlType } from '@tributary/common';
import { describe, expect, it } from 'vitest';
import { decodeIpcBatches, encodeIpcBatch } from './ipc-batch-codec.ts';

function column(type: SqlType, values: (number | string | null)[]) {
  const b = new ColumnBuilder(type, values.length);
  for (const v of values) {
    if (v === null) b.appendNull();
    else if (typeof v === 'string') b.appendString(v);
    else b.appendNumber(v);
  }
  return b.finish();
}

describe('one record batch as an Arrow IPC stream', () => {
  it('comes back with its rows and each field of its own type, two fields named alike included', () => {
    const lists = new ColumnBuilder(listOf(VARCHAR), 2);
    lists.appendList(['x', null]);
    lists.appendNull();
    const batch = makeRecordBatch(
      [
        { name: 'a', type: INTEGER },
        { name: 'a', type: VARCHAR },
        { name: 'a', type: listOf(VARCHAR) },
      ],
      [column(INTEGER, [1, null]), column(VARCHAR, ['x', 'yz']), lists.finish()],
      2,
    );
    expect(batch.schema.fields.map((f) => String(f.type))).toEqual(['Int32', 'Utf8', 'List<Utf8>']);
    const [back] = decodeIpcBatches(encodeIpcBatch(batch));
    expect(back.schema.fields.map((f) => `${f.name} ${String(f.type)}`)).toEqual([
      'a Int32',
      'a Utf8',
      'a List<Utf8>',
    ]);
    const values = [0, 1, 2].map((i) =>
      [...back.getChildAt(i)!].map((v: unknown) =>
        v && typeof v === 'object' ? [...(v as Iterable<unknown>)] : v,
      ),
    );
    expect(values).toEqual([
      [1, null],
      ['x', 'yz'],
      [['x', null], null],
    ]);
  });
});
