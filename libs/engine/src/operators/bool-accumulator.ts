import { BOOLEAN, type ColumnBuffers } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { growBytes, validityOf } from './accumulator-arrays.ts';

/**
 * bool_and / bool_or: NULLs skipped, NULL for a group without values. Its state is its
 * result, so partial results merge by the same update.
 */
export class BoolAccumulator implements Accumulator {
  private has = new Uint8Array(0);
  private results = new Uint8Array(0);
  constructor(private readonly isAnd: boolean) {}
  resize(groups: number): void {
    this.has = growBytes(this.has, groups);
    this.results = growBytes(this.results, groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const column = args[0];
    const bits = column.values as Uint8Array;
    const validity = column.validity;
    const has = this.has;
    const results = this.results;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      const v = (bits[i >> 3] >> (i & 7)) & 1;
      if (has[g] === 0) {
        has[g] = 1;
        results[g] = v;
      } else results[g] = this.isAnd ? results[g] & v : results[g] | v;
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const n = end - start;
    const values = new Uint8Array((n + 7) >> 3);
    for (let k = 0; k < n; k++) if (this.results[start + k] === 1) values[k >> 3] |= 1 << (k & 7);
    return [{ type: BOOLEAN, length: n, values, validity: validityOf(this.has, start, end) }];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.has.byteLength + this.results.byteLength;
  }
}
