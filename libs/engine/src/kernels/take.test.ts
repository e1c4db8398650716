import { describe, expect, it } from 'vitest';
import {
  ColumnBuilder,
  BIGINT,
  BOOLEAN,
  DATE,
  DOUBLE,
  INTEGER,
  TIMESTAMP,
  VARCHAR,
  decimal,
  makeRecordBatch,
  type SqlType,
} from '@tributary/common';
import type { Field } from '@tributary/plan';
import { batchToJsonRows } from '../result/batch-to-json.ts';
import { concatColumns } from './concat.ts';
import { take, takeBatch } from './take.ts';

const types: [string, SqlType, (number | string | boolean | null)[]][] = [
  ['b', BOOLEAN, [true, null, false, true, false]],
  ['i', INTEGER, [1, -2, null, 2147483647, 0]],
  ['l', BIGINT, [5000000000, -5000000000, null, -1, 9007199254740991]],
  ['d', DOUBLE, [1.5, null, -0, NaN, Infinity]],
  ['m', decimal(15, 2), [-12345, 1, null, 99999999999, -1]],
  ['dt', DATE, [0, -1, 19000, null, -25567]],
  ['ts', TIMESTAMP, [0, -1, 1700000000123456, null, -86400000000]],
  ['s', VARCHAR, ['', 'héllo', null, 'a longer string of more than sixteen bytes', 'x']],
];
const fields: Field[] = types.map(([name, type]) => ({ name, type, nullable: true }));

function build(type: SqlType, values: (number | string | boolean | null)[]) {
  const b = new ColumnBuilder(type, 1);
  for (const v of values) {
    if (v === null) b.appendNull();
    else if (typeof v === 'boolean') b.appendBoolean(v);
    else if (typeof v === 'string') b.appendString(v);
    else b.appendNumber(v);
  }
  return b.finish();
}

const columns = types.map(([, type, values]) => build(type, values));
const batch = makeRecordBatch(fields, columns, 5);
const rows = batchToJsonRows(batch, fields);

describe('take / takeBatch', () => {
  it('gathers rows of every canonical type, NULLs included', () => {
    const indices = new Uint32Array([4, 2, 0, 0, 1, 3]);
    const out = takeBatch(batch, fields, indices);
    expect(out.numRows).toBe(6);
    expect(batchToJsonRows(out, fields)).toEqual([4, 2, 0, 0, 1, 3].map((i) => rows[i]));
  });

  it('honours count and drops the validity bitmap when no gathered row is NULL', () => {
    const out = take(columns[1], new Uint32Array([0, 1, 2]), 2);
    expect(out.length).toBe(2);
    expect(out.validity).toBeUndefined();
    expect(Array.from(out.values as Int32Array)).toEqual([1, -2]);
  });
});

describe('ColumnBuilder', () => {
  it('round-trips values of every type through a batch', () => {
    expect(rows[0]).toEqual([true, 1, '5000000000', 1.5, '-123.45', '1970-01-01', '1970-01-01T00:00:00', '']);
    expect(rows[2]).toEqual([false, null, null, -0, null, '2022-01-08', '2023-11-14T22:13:20.123456', null]);
    expect(rows[3][3]).toBe('NaN');
    expect(rows[4]).toEqual([
      false,
      0,
      '9007199254740991',
      'Infinity',
      '-0.01',
      '1900-01-01',
      '1969-12-31T00:00:00',
      'x',
    ]);
  });

  it('appendFrom copies a row of another column', () => {
    for (let c = 0; c < columns.length; c++) {
      const b = new ColumnBuilder(types[c][1]);
      for (const r of [3, 1, 0]) b.appendFrom(columns[c], r);
      const out = makeRecordBatch([fields[c]], [b.finish()], 3);
      expect(batchToJsonRows(out, [fields[c]]).map((r) => r[0])).toEqual([3, 1, 0].map((r) => rows[r][c]));
    }
  });

  it('appendBytes takes a UTF-8 range', () => {
    const b = new ColumnBuilder(VARCHAR);
    const bytes = new TextEncoder().encode('xxhéllo');
    b.appendBytes(bytes, 2, bytes.length);
    const out = makeRecordBatch([fields[7]], [b.finish()], 1);
    expect(batchToJsonRows(out, [fields[7]])).toEqual([['héllo']]);
  });
});

describe('concatColumns', () => {
  it('concatenates columns of one type keeping NULLs', () => {
    for (let c = 0; c < columns.length; c++) {
      const first = take(columns[c], new Uint32Array([0, 1]));
      const second = take(columns[c], new Uint32Array([2, 3, 4]));
      const joined = concatColumns([first, second]);
      const out = makeRecordBatch([fields[c]], [joined], 5);
      expect(batchToJsonRows(out, [fields[c]]).map((r) => r[0])).toEqual(rows.map((r) => r[c]));
    }
  });
});
