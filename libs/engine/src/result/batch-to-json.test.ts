import { describe, expect, it } from 'vitest';
import {
  ColumnBuilder,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  HUGEINT,
  TIMESTAMP,
  VARCHAR,
  decimal,
  makeRecordBatch,
  type ColumnBuffers,
} from '@tributary/common';
import type { Field } from '@tributary/plan';
import { batchToJsonRows } from './batch-to-json.ts';

function decimalWords(values: bigint[]): Uint32Array {
  const out = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    let x = BigInt.asUintN(128, v);
    for (let w = 0; w < 4; w++) {
      out[4 * i + w] = Number(x & 0xffffffffn);
      x >>= 32n;
    }
  });
  return out;
}

describe('batchToJsonRows', () => {
  it('formats every type as the JSON API promises, one encoding per type', () => {
    const fields: Field[] = [
      { name: 'big', type: BIGINT, nullable: true },
      { name: 'dec', type: decimal(38, 2), nullable: true },
      { name: 'dbl', type: DOUBLE, nullable: true },
      { name: 'dt', type: DATE, nullable: true },
      { name: 'ts', type: TIMESTAMP, nullable: true },
      { name: 'b', type: BOOLEAN, nullable: true },
      { name: 's', type: VARCHAR, nullable: true },
    ];
    const big: ColumnBuffers = {
      type: BIGINT,
      length: 4,
      values: new BigInt64Array([42n, 9007199254740993n, -9223372036854775808n, 0n]),
      validity: new Uint8Array([0b0111]),
    };
    const dec: ColumnBuffers = {
      type: decimal(38, 2),
      length: 4,
      values: decimalWords([12345n, -1234567890123456n, 123456789012345678901234567890n, -5n]),
    };
    const dbl = new ColumnBuilder(DOUBLE);
    [0.1, NaN, -Infinity, Infinity].forEach((v) => dbl.appendNumber(v));
    const dt = new ColumnBuilder(DATE);
    [0, -719528, 20000].forEach((v) => dt.appendNumber(v));
    dt.appendNull();
    const ts = new ColumnBuilder(TIMESTAMP);
    [1704164645000000, 1704164645123400, -1].forEach((v) => ts.appendNumber(v));
    ts.appendNull();
    const b = new ColumnBuilder(BOOLEAN);
    b.appendBoolean(true);
    b.appendNull();
    b.appendBoolean(false);
    b.appendBoolean(true);
    const s = new ColumnBuilder(VARCHAR);
    ['a"b', '', 'ü'].forEach((v) => s.appendString(v));
    s.appendNull();
    const batch = makeRecordBatch(
      fields,
      [big, dec, dbl.finish(), dt.finish(), ts.finish(), b.finish(), s.finish()],
      4,
    );
    expect(batchToJsonRows(batch, fields)).toEqual([
      ['42', '123.45', 0.1, '1970-01-01', '2024-01-02T03:04:05', true, 'a"b'],
      ['9007199254740993', '-12345678901234.56', 'NaN', '0000-01-01', '2024-01-02T03:04:05.1234', null, ''],
      [
        '-9223372036854775808',
        '1234567890123456789012345678.90',
        '-Infinity',
        '2024-10-04',
        '1969-12-31T23:59:59.999999',
        false,
        'ü',
      ],
      [null, '-0.05', 'Infinity', null, null, true, null],
    ]);
  });

  it('writes HUGEINT and small DECIMALs as exact strings too, keeping the scale digits', () => {
    const fields: Field[] = [
      { name: 'h', type: HUGEINT, nullable: false },
      { name: 'd', type: decimal(4, 2), nullable: false },
    ];
    const h: ColumnBuffers = { type: HUGEINT, length: 2, values: decimalWords([3n, -(10n ** 30n)]) };
    const d: ColumnBuffers = { type: decimal(4, 2), length: 2, values: decimalWords([150n, -7n]) };
    expect(batchToJsonRows(makeRecordBatch(fields, [h, d], 2), fields)).toEqual([
      ['3', '1.50'],
      ['-1000000000000000000000000000000', '-0.07'],
    ]);
  });
});
