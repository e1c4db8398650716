import { toArrowSchema, decimal, DATE, INTEGER, VARCHAR, BIGINT, TIMESTAMP } from '@tributary/common';
import { RecordBatch, Table, makeData, tableFromIPC, tableToIPC, Struct } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { arrowToResult } from './arrow-to-result.ts';

describe('arrowToResult', () => {
  it('reads decimals, dates, timestamps, bigints and nulls as the JSON answer writes them', () => {
    const schema = toArrowSchema([
      { name: 'd', type: decimal(15, 2) },
      { name: 'day', type: DATE },
      { name: 'ts', type: TIMESTAMP },
      { name: 'b', type: BIGINT },
      { name: 'i', type: INTEGER },
      { name: 's', type: VARCHAR },
    ]);
    const f = schema.fields;
    // -1.50 as two's complement 128-bit words, and 12345.67.
    const dec = new Uint32Array([0xffffff6a, 0xffffffff, 0xffffffff, 0xffffffff, 1234567, 0, 0, 0]);
    const utf8 = new TextEncoder().encode('ab');
    const children = [
      makeData({ type: f[0].type, length: 2, data: dec }),
      makeData({
        type: f[1].type,
        length: 2,
        data: new Int32Array([9568, 0]),
        nullBitmap: new Uint8Array([1]),
      }),
      makeData({ type: f[2].type, length: 2, data: new BigInt64Array([826_675_200_000_000n, 1_500_000n]) }),
      makeData({ type: f[3].type, length: 2, data: new BigInt64Array([-5n, 9007199254740993n]) }),
      makeData({ type: f[4].type, length: 2, data: new Int32Array([7, -7]) }),
      makeData({ type: f[5].type, length: 2, data: utf8, valueOffsets: new Int32Array([0, 1, 2]) }),
    ];
    const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 2, children }));
    const table = tableFromIPC(tableToIPC(new Table([batch])));
    const result = arrowToResult(table);
    expect(result.columns.map((c) => c.type)).toEqual([
      'DECIMAL(15,2)',
      'DATE',
      'TIMESTAMP',
      'BIGINT',
      'INTEGER',
      'VARCHAR',
    ]);
    expect(result.rows).toEqual([
      ['-1.50', '1996-03-13', '1996-03-13T00:00:00', '-5', 7, 'a'],
      ['12345.67', null, '1970-01-01T00:00:01.5', '9007199254740993', -7, 'b'],
    ]);
  });
});
