import type { ColumnBuffers, SqlType } from '@tributary/common';
import { CARRY_LIMIT, growBytes, growFloat, WORD } from './accumulator-arrays.ts';

/**
 * An exact integer sum per group held as K 32-bit words in float64s (the top one signed),
 * carried whenever a lower word nears 2^52: INTEGER, BIGINT and DECIMAL(p ≤ 18) use 2 words,
 * HUGEINT and wider decimals 4, so sums stay exact to 128 bits as DuckDB's HUGEINT sums do.
 */
export class WideSum {
  acc = new Float64Array(0);
  has = new Uint8Array(0);
  readonly words: 2 | 4;
  constructor(private readonly inputType: SqlType) {
    this.words =
      inputType.kind === 'HUGEINT' || (inputType.kind === 'DECIMAL' && inputType.precision > 18) ? 4 : 2;
  }
  resize(groups: number): void {
    this.acc = growFloat(this.acc, groups * this.words);
    this.has = growBytes(this.has, groups);
  }
  update(ids: Int32Array, column: ColumnBuffers, rows: Uint32Array | null, count: number): void {
    const acc = this.acc;
    const has = this.has;
    const validity = column.validity;
    const kind = this.inputType.kind;
    if (kind === 'INTEGER') {
      const values = column.values as Int32Array;
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
        const g = ids[i];
        const v = values[i];
        has[g] = 1;
        let lo = acc[2 * g] + (v >>> 0);
        if (lo >= CARRY_LIMIT) {
          const c = Math.floor(lo / WORD);
          lo -= c * WORD;
          acc[2 * g + 1] += c;
        }
        acc[2 * g] = lo;
        acc[2 * g + 1] += v >> 31;
      }
      return;
    }
    if (this.words === 2) {
      // BIGINT (Int64) and DECIMAL(p ≤ 18) (Decimal128 whose upper words only extend the sign).
      const v = column.values as BigInt64Array | Uint32Array;
      const stride = kind === 'DECIMAL' ? 4 : 2;
      const halves = new Int32Array(v.buffer, v.byteOffset, column.length * stride);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
        const g = ids[i];
        has[g] = 1;
        let lo = acc[2 * g] + (halves[stride * i] >>> 0);
        if (lo >= CARRY_LIMIT) {
          const c = Math.floor(lo / WORD);
          lo -= c * WORD;
          acc[2 * g + 1] += c;
        }
        acc[2 * g] = lo;
        acc[2 * g + 1] += halves[stride * i + 1];
      }
      return;
    }
    const words = column.values as Uint32Array;
    const signed = new Int32Array(words.buffer, words.byteOffset, column.length * 4);
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      has[g] = 1;
      const at = 4 * g;
      acc[at] += words[4 * i];
      acc[at + 1] += words[4 * i + 1];
      acc[at + 2] += words[4 * i + 2];
      acc[at + 3] += signed[4 * i + 3];
      if (acc[at] >= CARRY_LIMIT || acc[at + 1] >= CARRY_LIMIT || acc[at + 2] >= CARRY_LIMIT)
        this.normalize(g);
    }
  }
  /** Moves carries up so that every word but the top lies in [0, 2^32). */
  normalize(g: number): void {
    const acc = this.acc;
    const at = this.words * g;
    for (let k = 0; k < this.words - 1; k++) {
      const c = Math.floor(acc[at + k] / WORD);
      acc[at + k] -= c * WORD;
      acc[at + k + 1] += c;
    }
  }
  memoryBytes(): number {
    return this.acc.byteLength + this.has.byteLength;
  }
  /** The sum as the nearest-ish double, the same for one value however its words carry. */
  toNumber(g: number): number {
    this.normalize(g);
    const acc = this.acc;
    const at = this.words * g;
    let value = 0;
    for (let k = this.words - 1; k >= 0; k--) value = value * WORD + acc[at + k];
    return value;
  }
  /** Writes group g's sum as 4 little-endian two's-complement words; false on 128-bit overflow. */
  toDecimalWords(g: number, out: Uint32Array, at: number): boolean {
    this.normalize(g);
    const acc = this.acc;
    const base = this.words * g;
    for (let k = 0; k < this.words - 1; k++) out[at + k] = acc[base + k];
    let top = acc[base + this.words - 1];
    for (let k = this.words - 1; k < 3; k++) {
      const high = Math.floor(top / WORD);
      out[at + k] = top - high * WORD;
      top = high;
    }
    if (top < -2147483648 || top > 2147483647) return false;
    out[at + 3] = top;
    return true;
  }
}
