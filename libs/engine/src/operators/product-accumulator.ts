import { DOUBLE, type ColumnBuffers } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { growBytes, growFloat, validityOf } from './accumulator-arrays.ts';

/**
 * product(x) over DOUBLE (as DuckDB computes it): NULLs skipped, NULL for a group without
 * values. Its state is its result, so partial products merge by the same update.
 */
export class ProductAccumulator implements Accumulator {
  private has = new Uint8Array(0);
  private products = new Float64Array(0);
  resize(groups: number): void {
    const before = this.products.length;
    this.has = growBytes(this.has, groups);
    this.products = growFloat(this.products, groups);
    this.products.fill(1, before);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const column = args[0];
    const values = column.values as Float64Array;
    const validity = column.validity;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      this.has[g] = 1;
      this.products[g] *= values[i];
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    return [
      {
        type: DOUBLE,
        length: end - start,
        values: this.products.slice(start, end),
        validity: validityOf(this.has, start, end),
      },
    ];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.has.byteLength + this.products.byteLength;
  }
}
