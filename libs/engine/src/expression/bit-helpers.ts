import { DataError } from '@tributary/common';

/**
 * DuckDB's shifts and bit counts on integers `bits` wide: INTEGER, SMALLINT and TINYINT held
 * in doubles, BIGINT and HUGEINT in bigints. A left shift that would not fit, of a negative
 * number, or by a negative or too large count fails (DuckDB's Out of Range errors); a right
 * shift is arithmetic, and 0 when the count is negative or not below the width.
 */
function shiftLeftCheck<T extends number | bigint>(a: T, s: T, bits: number): void {
  const zero = (typeof a === 'bigint' ? 0n : 0) as T;
  if (a < zero) throw new DataError('NUMERIC_OUT_OF_RANGE', `Cannot left-shift negative number ${a}`);
  if (s < zero) throw new DataError('NUMERIC_OUT_OF_RANGE', `Cannot left-shift by negative number ${s}`);
  if (s >= bits && a !== zero)
    throw new DataError('NUMERIC_OUT_OF_RANGE', `Left-shift value ${s} is out of range`);
}

function overflow(a: number | bigint, s: number | bigint): never {
  throw new DataError('NUMERIC_OVERFLOW', `Overflow in left shift (${a} << ${s})`);
}

/** How many of the bits of a 32-bit pattern are set. */
function popCount32(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export const bitHelpers = {
  shiftLeft(a: number, s: number, bits: number): number {
    shiftLeftCheck(a, s, bits);
    if (a === 0 || s === 0) return a;
    if (a > 2 ** (bits - 1 - s) - 1) overflow(a, s);
    return a * 2 ** s;
  },
  shiftLeftBig(a: bigint, s: bigint, bits: number): bigint {
    shiftLeftCheck(a, s, bits);
    if (a === 0n || s === 0n) return a;
    if (a > (1n << (BigInt(bits) - 1n - s)) - 1n) overflow(a, s);
    return a << s;
  },
  shiftRight(a: number, s: number, bits: number): number {
    return s < 0 || s >= bits ? 0 : a >> s;
  },
  shiftRightBig(a: bigint, s: bigint, bits: number): bigint {
    return s < 0n || s >= BigInt(bits) ? 0n : a >> s;
  },
  /** The set bits of an integer's two's complement form `bits` wide. */
  bitCount(a: number, bits: number): number {
    return popCount32(bits === 32 ? a | 0 : a & ((1 << bits) - 1));
  },
  bitCountBig(a: bigint, bits: number): number {
    let v = BigInt.asUintN(bits, a);
    let count = 0;
    while (v !== 0n) {
      count += popCount32(Number(v & 0xffffffffn));
      v >>= 32n;
    }
    return count;
  },
};
