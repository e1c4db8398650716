import { describe, expect, it } from 'vitest';
import { ColumnBuilder } from './column-builder.ts';
import { BIGINT, VARCHAR, decimal } from './sql-type.ts';

describe('ColumnBuilder', () => {
  it('appends past its initial capacity, keeping values, nulls and strings', () => {
    const ints = new ColumnBuilder(BIGINT, 8);
    const text = new ColumnBuilder(VARCHAR, 8);
    for (let i = 0; i < 100; i++) {
      if (i % 7 === 3) {
        ints.appendNull();
        text.appendNull();
      } else {
        ints.appendNumber(i * 2 ** 40);
        text.appendString(`row ${i}`);
      }
    }
    const a = ints.finish();
    const b = text.finish();
    expect(a.length).toBe(100);
    expect((a.values as BigInt64Array)[99]).toBe(99n * 2n ** 40n);
    expect(((a.validity as Uint8Array)[0] >> 3) & 1).toBe(0);
    expect(((a.validity as Uint8Array)[12] >> 1) & 1).toBe(1);
    const offsets = b.offsets as Int32Array;
    expect(new TextDecoder().decode((b.values as Uint8Array).subarray(offsets[99], offsets[100]))).toBe(
      'row 99',
    );
    expect(offsets[4]).toBe(offsets[3]);
  });

  it('writes rows by index for scanners and starts over after finish', () => {
    const b = new ColumnBuilder(decimal(38, 2), 16);
    b.setDecimal(0, -5);
    b.setDecimalBig(1, -(10n ** 30n));
    b.setNull(2);
    const first = b.finish(3);
    const words = first.values as Uint32Array;
    expect(words.length).toBe(12);
    expect(words[3]).toBe(0xffffffff);
    expect(first.validity).toBeDefined();
    b.setDecimal(0, 7);
    const second = b.finish(1);
    expect((second.values as Uint32Array)[0]).toBe(7);
    expect(second.validity).toBeUndefined();
  });
});
