import type { ColumnBuffers, SqlType } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { growBytes, growInt, validityOf } from './accumulator-arrays.ts';

/**
 * bit_and / bit_or / bit_xor of integers: NULLs skipped, NULL for a group without values.
 * Two's complement makes each a word-by-word operation, so every width (TINYINT … HUGEINT)
 * runs on the 32-bit words of its values. Its state is its result: partial results merge
 * by the same update.
 */
export class BitAccumulator implements Accumulator {
  private has = new Uint8Array(0);
  private words = new Int32Array(0);
  private readonly width: number;
  constructor(
    private readonly fn: 'bit_and' | 'bit_or' | 'bit_xor',
    private readonly type: SqlType,
  ) {
    this.width = type.kind === 'HUGEINT' ? 4 : type.kind === 'BIGINT' ? 2 : 1;
  }
  resize(groups: number): void {
    this.has = growBytes(this.has, groups);
    this.words = growInt(this.words, groups * this.width);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const column = args[0];
    if (column.type.kind === 'NULL') return;
    const validity = column.validity;
    const w = this.width;
    const v = column.values as Int32Array | BigInt64Array | Uint32Array;
    const words = new Int32Array(v.buffer, v.byteOffset, column.length * w);
    const { has, words: state, fn } = this;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      for (let j = 0; j < w; j++) {
        const x = words[i * w + j];
        const at = g * w + j;
        if (has[g] === 0) state[at] = x;
        else if (fn === 'bit_and') state[at] &= x;
        else if (fn === 'bit_or') state[at] |= x;
        else state[at] ^= x;
      }
      has[g] = 1;
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const n = end - start;
    const validity = validityOf(this.has, start, end);
    const w = this.width;
    const words = this.words.slice(start * w, end * w);
    const values =
      w === 1 ? words : w === 2 ? new BigInt64Array(words.buffer) : new Uint32Array(words.buffer);
    return [{ type: this.type, length: n, values, validity }];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.has.byteLength + this.words.byteLength;
  }
}
