import { describe, expect, it } from 'vitest';
import { bitHelpers as H } from './bit-helpers.ts';

// Expected values and errors as DuckDB 1.5 gives them for the same operands.
describe("DuckDB's shifts and bit counts", () => {
  it('shifts right arithmetically, to 0 beyond the width or by a negative count', () => {
    expect([
      H.shiftRight(-8, 1, 32),
      H.shiftRight(8, 40, 32),
      H.shiftRight(-8, 40, 32),
      H.shiftRight(5, -1, 32),
    ]).toEqual([-4, 0, 0, 0]);
    expect(H.shiftRight(-128, 7, 8)).toBe(-1);
    expect(H.shiftRightBig(-(2n ** 62n), 61n, 64)).toBe(-2n);
  });

  it('shifts left within the width, and fails where DuckDB does', () => {
    expect(H.shiftLeft(1, 30, 32)).toBe(2 ** 30);
    expect(H.shiftLeft(0, 40, 32)).toBe(0);
    expect(H.shiftLeftBig(1n, 62n, 64)).toBe(4611686018427387904n);
    expect(H.shiftLeftBig(1n, 100n, 128)).toBe(2n ** 100n);
    expect(() => H.shiftLeft(1, 31, 32)).toThrow('Overflow in left shift (1 << 31)');
    expect(() => H.shiftLeft(64, 1, 8)).toThrow('Overflow in left shift (64 << 1)');
    expect(() => H.shiftLeft(1, -1, 32)).toThrow('Cannot left-shift by negative number -1');
    expect(() => H.shiftLeft(1, 40, 32)).toThrow('Left-shift value 40 is out of range');
    expect(() => H.shiftLeftBig(-1n, 62n, 64)).toThrow('Cannot left-shift negative number -1');
    expect(() => H.shiftLeftBig(3n, 62n, 64)).toThrow('Overflow in left shift (3 << 62)');
  });

  it("counts the set bits of the two's complement form", () => {
    expect([H.bitCount(7, 32), H.bitCount(-1, 32), H.bitCount(-1, 8), H.bitCount(-1, 16)]).toEqual([
      3, 32, 8, 16,
    ]);
    expect([H.bitCountBig(-1n, 64), H.bitCountBig(5n, 128), H.bitCountBig(-1n, 128)]).toEqual([64, 2, 128]);
  });
});
