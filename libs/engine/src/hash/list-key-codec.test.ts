import { describe, expect, it } from 'vitest';
import {
  ColumnBuilder,
  DOUBLE,
  INTEGER,
  VARCHAR,
  decimal,
  listOf,
  readItem,
  type SqlType,
} from '@tributary/common';
import { KeyTable } from './key-table.ts';
import { decodeListKeys, encodeListKeys } from './list-key-codec.ts';

function column(type: SqlType, rows: unknown[]) {
  const builder = new ColumnBuilder(type);
  for (const row of rows) builder.appendItem(row as never);
  return builder.finish();
}

describe('lists as hash keys', () => {
  it('round-trips every element type through its canonical text', () => {
    const type = listOf(listOf(VARCHAR));
    const rows = [[['a', 'b,c'], null, []], null, [], [['"quoted"', ']']]];
    const encoded = encodeListKeys(column(type, rows), rows.length);
    const back = decodeListKeys(encoded, type);
    expect(rows.map((_, i) => readItem(back, i))).toEqual(rows);
    const wide = listOf(decimal(30, 2));
    const big = [[12345678901234567890123n, -1n]];
    expect(readItem(decodeListKeys(encodeListKeys(column(wide, big), 1), wide), 0)).toEqual(big[0]);
  });

  it('groups equal lists together (-0 and 0, NaNs, NULL elements alike) and gives them back', () => {
    const type = listOf(DOUBLE);
    const rows = [[0, NaN, null], [-0, NaN, null], [1], null, [1], null, []];
    const table = new KeyTable([type, INTEGER]);
    const ids = new Int32Array(rows.length);
    table.findOrInsert(
      table.encode(
        [
          column(type, rows),
          column(
            INTEGER,
            rows.map(() => 1),
          ),
        ],
        rows.length,
      ),
      ids,
    );
    expect([...ids]).toEqual([0, 0, 1, 2, 1, 2, 3]);
    const [keys] = table.keyColumns(0, table.size);
    expect([0, 1, 2, 3].map((i) => readItem(keys, i))).toEqual([[0, NaN, null], [1], null, []]);
  });
});
