import { BOOLEAN, ColumnBuilder, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { Accumulator, AggregateMode } from './accumulator.ts';
import {
  appendRowValue,
  columnValue,
  compareExactValues,
  exactColumnValue,
  rowValueBytes,
  type ExactValue,
} from './column-value.ts';

/** The aggregates that keep one row's value of a group. */
export type PickKind = 'any_value' | 'first' | 'last' | 'arg_max' | 'arg_min';

/** The state columns of a pick: first/last also say whether a row was seen (their value may be NULL). */
export function pickStateTypes(kind: PickKind, valueType: SqlType, byType: SqlType | undefined): SqlType[] {
  if (kind === 'first' || kind === 'last') return [valueType, BOOLEAN];
  if (kind === 'arg_max' || kind === 'arg_min') return [valueType, byType!];
  return [valueType];
}

/**
 * any_value (the first non-NULL value), first and last (the first or last row's value, NULL
 * included), arg_max/arg_min (the value of the row with the greatest/least `by`, rows with
 * either NULL skipped, the first such row on ties), as DuckDB defines them. Which row is
 * "first" follows the input order the accumulator sees, so over several splits it is one
 * of the candidates, as in DuckDB's parallel aggregation. Partial states merge by the same
 * rules: a state is a row. first/last take a second, BOOLEAN argument (a FILTER condition,
 * or a partial state's `seen`): rows where it is not true are skipped.
 */
export class PickAccumulator implements Accumulator {
  private values: ExactValue[] = [];
  private keys: ExactValue[] = [];
  private seen = new Uint8Array(0);
  private bytes = 0;
  constructor(
    private readonly kind: PickKind,
    private readonly valueType: SqlType,
    private readonly byType: SqlType | undefined,
    private readonly mode: AggregateMode,
  ) {}
  resize(groups: number): void {
    while (this.values.length < groups) {
      this.values.push(null);
      this.keys.push(null);
    }
    if (this.seen.length < groups) {
      const seen = new Uint8Array(Math.max(groups, this.seen.length * 2));
      seen.set(this.seen);
      this.seen = seen;
    }
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const [valueColumn, second] = args;
    const kind = this.kind;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      const g = ids[i];
      if (kind === 'first' || kind === 'last') {
        // A merged state counts only where its group saw a row; a FILTER's condition likewise.
        if (second !== undefined && columnValue(second, BOOLEAN, i) !== true) continue;
        if (kind === 'first' && this.seen[g] === 1) continue;
        this.set(g, exactColumnValue(valueColumn, this.valueType, i), null);
      } else if (kind === 'any_value') {
        if (this.seen[g] === 1) continue;
        const v = exactColumnValue(valueColumn, this.valueType, i);
        if (v !== null) this.set(g, v, null);
      } else {
        const by = exactColumnValue(second, this.byType!, i);
        if (by === null) continue;
        const v = exactColumnValue(valueColumn, this.valueType, i);
        if (v === null) continue;
        if (this.seen[g] === 1) {
          const order = compareExactValues(by, this.keys[g]);
          if (kind === 'arg_max' ? order <= 0 : order >= 0) continue;
        }
        this.set(g, v, by);
      }
    }
  }
  private set(g: number, value: ExactValue, key: ExactValue): void {
    // An overwritten value (last, arg_max) frees what it held.
    if (this.seen[g] === 1) this.bytes -= rowValueBytes(this.values[g]) + rowValueBytes(this.keys[g]);
    this.bytes += rowValueBytes(value) + rowValueBytes(key);
    this.values[g] = value;
    this.keys[g] = key;
    this.seen[g] = 1;
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    const values = new ColumnBuilder(this.valueType, end - start);
    for (let g = start; g < end; g++) appendRowValue(values, this.seen[g] === 1 ? this.values[g] : null);
    if (this.kind === 'any_value') return [values.finish()];
    if (this.kind === 'first' || this.kind === 'last') {
      const seen = new ColumnBuilder(BOOLEAN, end - start);
      for (let g = start; g < end; g++) seen.appendBoolean(this.seen[g] === 1);
      return [values.finish(), seen.finish()];
    }
    const keys = new ColumnBuilder(this.byType!, end - start);
    for (let g = start; g < end; g++) appendRowValue(keys, this.seen[g] === 1 ? this.keys[g] : null);
    return [values.finish(), keys.finish()];
  }
  emit(start: number, end: number): ColumnBuffers[] {
    if (this.mode === 'partial') return this.emitState(start, end);
    return this.emitState(start, end).slice(0, 1);
  }
  memoryBytes(): number {
    return this.bytes + 16 * this.values.length + this.seen.byteLength;
  }
}
