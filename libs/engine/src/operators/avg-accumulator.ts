import { DOUBLE, decimal, powerOfTen, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { bigintColumn, growFloat, isNullAt, validityOf, WORD } from './accumulator-arrays.ts';
import { SumAccumulator } from './sum-accumulator.ts';
import type { WideSum } from './wide-sum.ts';

/**
 * The type avg's partial sum is carried in: exact to 128 bits like the sum itself, so that a
 * split (or spilled) avg of large BIGINTs cannot overflow where the unsplit one does not.
 */
export function avgSumStateType(inputType: SqlType): SqlType {
  if (inputType.kind === 'DOUBLE') return DOUBLE;
  return decimal(38, inputType.kind === 'DECIMAL' ? inputType.scale : 0);
}

/**
 * avg: an exact (or DOUBLE) sum and a count; DECIMAL averages divide the unscaled sum by the
 * count and then by 10^scale. In merge mode args are [partial sum, partial count].
 */
export class AvgAccumulator implements Accumulator {
  private readonly sum: SumAccumulator;
  private readonly wide?: WideSum;
  private counts = new Float64Array(0);
  private readonly scale: number;
  constructor(
    inputType: SqlType,
    private readonly mode: 'single' | 'partial' | 'final',
  ) {
    this.scale = inputType.kind === 'DECIMAL' ? inputType.scale : 0;
    const sumInput = mode === 'final' ? avgSumStateType(inputType) : inputType;
    this.sum = new SumAccumulator(sumInput, avgSumStateType(inputType));
    this.wide = this.sum.wide;
  }
  resize(groups: number): void {
    this.sum.resize(groups);
    this.counts = growFloat(this.counts, groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    this.sum.update(ids, args, rows, count);
    const counts = this.counts;
    if (this.mode === 'final') {
      const column = args[1];
      const v = column.values as BigInt64Array;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (!isNullAt(column.validity, i)) counts[ids[i]] += halves[2 * i + 1] * WORD + (halves[2 * i] >>> 0);
      }
      return;
    }
    const validity = args[0].validity;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity === undefined || ((validity[i >> 3] >> (i & 7)) & 1) === 1) counts[ids[i]]++;
    }
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return [...this.sum.emit(start, end), bigintColumn(this.counts, start, end, undefined)];
  }
  memoryBytes(): number {
    return this.sum.memoryBytes() + this.counts.byteLength;
  }
  emit(start: number, end: number): ColumnBuffers[] {
    if (this.mode === 'partial') return this.emitState(start, end);
    const n = end - start;
    const values = new Float64Array(n);
    const has = new Uint8Array(n);
    const sums = this.sum.sums;
    const divisor = powerOfTen(this.scale);
    for (let k = 0; k < n; k++) {
      const c = this.counts[start + k];
      if (c === 0) continue;
      has[k] = 1;
      const total = this.wide ? this.wide.toNumber(start + k) : sums[start + k];
      // One division by count·10^scale, as DuckDB does, rather than two roundings.
      values[k] = total / (c * divisor);
    }
    return [{ type: DOUBLE, length: n, values, validity: validityOf(has, 0, n) }];
  }
}
