import { DOUBLE, DataError, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { growBytes, growFloat, validityOf } from './accumulator-arrays.ts';
import { WideSum } from './wide-sum.ts';

function overflow(what: string): DataError {
  return new DataError('NUMERIC_OVERFLOW', `${what} is out of the range of its result type`);
}

/** sum over INTEGER, BIGINT, HUGEINT, DECIMAL (exact) or DOUBLE; NULL for a group without values. */
export class SumAccumulator implements Accumulator {
  /** Read by AvgAccumulator: the exact sum, or for DOUBLE `sums`. */
  readonly wide?: WideSum;
  sums = new Float64Array(0);
  private has = new Uint8Array(0);
  constructor(
    inputType: SqlType,
    private readonly outputType: SqlType,
  ) {
    if (inputType.kind !== 'DOUBLE') this.wide = new WideSum(inputType);
  }
  resize(groups: number): void {
    if (this.wide) this.wide.resize(groups);
    else {
      this.sums = growFloat(this.sums, groups);
      this.has = growBytes(this.has, groups);
    }
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    if (this.wide) {
      this.wide.update(ids, args[0], rows, count);
      return;
    }
    const column = args[0];
    const values = column.values as Float64Array;
    const validity = column.validity;
    const sums = this.sums;
    const has = this.has;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      sums[g] += values[i];
      has[g] = 1;
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const n = end - start;
    const wide = this.wide;
    if (!wide)
      return [
        {
          type: DOUBLE,
          length: n,
          values: this.sums.slice(start, end),
          validity: validityOf(this.has, start, end),
        },
      ];
    const validity = validityOf(wide.has, start, end);
    const words = new Uint32Array(4 * n);
    for (let k = 0; k < n; k++) {
      if (wide.has[start + k] === 1 && !wide.toDecimalWords(start + k, words, 4 * k)) throw overflow('sum');
    }
    if (this.outputType.kind === 'DECIMAL' || this.outputType.kind === 'HUGEINT')
      return [{ type: this.outputType, length: n, values: words, validity }];
    if (this.outputType.kind === 'DOUBLE') {
      const values = new Float64Array(n);
      for (let k = 0; k < n; k++) values[k] = wide.toNumber(start + k);
      return [{ type: DOUBLE, length: n, values, validity }];
    }
    // BIGINT: the upper two words must only extend the sign of the lower two.
    const values = new BigInt64Array(n);
    const halves = new Int32Array(values.buffer);
    const signed = new Int32Array(words.buffer);
    for (let k = 0; k < n; k++) {
      const hi = signed[4 * k + 1];
      const extension = hi < 0 ? -1 : 0;
      if (signed[4 * k + 2] !== extension || signed[4 * k + 3] !== extension) throw overflow('sum');
      halves[2 * k] = signed[4 * k];
      halves[2 * k + 1] = hi;
    }
    return [{ type: this.outputType, length: n, values, validity }];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return (this.wide?.memoryBytes() ?? 0) + this.sums.byteLength + this.has.byteLength;
  }
}
