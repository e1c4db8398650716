import type { ColumnBuffers, SqlType } from '@tributary/common';
import { ColumnBuilder, isFloat } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { columnValue, compareRowValues, rowValueBytes, type RowValue } from './column-value.ts';

const MICROS_PER_DAY = 86_400_000_000;

/**
 * median, quantile_cont and quantile_disc: keeps every non-NULL value of a group and picks the
 * quantile at the end, so all of a group's rows must reach one accumulator (the plan shuffles
 * rows by group, see needsAllValues). Positions follow DuckDB: continuous at (n-1)·q between
 * its neighbours (DECIMAL steps truncated, TIMESTAMP rounded), discrete at
 * max(1, n - floor(n - q·n)) - 1, among the values in ascending order or, asked for, descending.
 */
export class QuantileAccumulator implements Accumulator {
  private values: (RowValue[] | undefined)[] = [];
  private bytes = 0;
  constructor(
    private readonly inputType: SqlType,
    private readonly outputType: SqlType,
    private readonly fraction: number,
    private readonly continuous: boolean,
    /** The quantile among the values in descending order (percentile_cont(f) WITHIN GROUP (ORDER BY x DESC)). */
    private readonly descending = false,
  ) {}
  resize(groups: number): void {
    while (this.values.length < groups) this.values.push(undefined);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const column = args[0];
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      const v = columnValue(column, this.inputType, i);
      if (v === null) continue;
      const g = ids[i];
      const list = this.values[g];
      if (list) list.push(v);
      else this.values[g] = [v];
      this.bytes += rowValueBytes(v);
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const out = new ColumnBuilder(this.outputType, end - start);
    for (let g = start; g < end; g++) {
      const list = this.values[g];
      if (!list || list.length === 0) {
        out.appendNull();
        continue;
      }
      list.sort(this.descending ? (a, b) => compareRowValues(b, a) : compareRowValues);
      const v = this.continuous ? this.interpolate(list) : list[discreteIndex(list.length, this.fraction)];
      if (typeof v === 'string') out.appendString(v);
      else out.appendNumber(v as number);
    }
    return [out.finish()];
  }
  private interpolate(sorted: readonly RowValue[]): RowValue {
    const position = (sorted.length - 1) * this.fraction;
    const below = Math.floor(position);
    const above = Math.ceil(position);
    const asOutput = (v: RowValue): number =>
      this.inputType.kind === 'DATE' && this.outputType.kind === 'TIMESTAMP'
        ? (v as number) * MICROS_PER_DAY
        : (v as number);
    const lo = asOutput(sorted[below]);
    if (below === above) return lo;
    const hi = asOutput(sorted[above]);
    const step = (hi - lo) * (position - below);
    switch (this.outputType.kind) {
      case 'DECIMAL':
        return lo + Math.trunc(step);
      case 'TIMESTAMP':
      case 'TIME':
        return Math.round(lo + step);
      default:
        // A FLOAT interpolates as DuckDB's float does: the difference in 32 bits, the result rounded to them.
        return isFloat(this.outputType)
          ? Math.fround(lo + Math.fround(hi - lo) * (position - below))
          : lo + step;
    }
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.bytes + 8 * this.values.length;
  }
}

/** DuckDB's index of a discrete quantile among n sorted values. */
export function discreteIndex(n: number, fraction: number): number {
  return Math.max(1, n - Math.floor(n - fraction * n)) - 1;
}
