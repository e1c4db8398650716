import { ColumnBuilder, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import {
  appendRowValue,
  compareExactValues,
  exactColumnValue,
  rowValueBytes,
  type ExactValue,
} from './column-value.ts';

/**
 * mode(x): the most frequent non-NULL value of a group, the first seen on ties, or the first
 * in x's order when asked (mode() WITHIN GROUP (ORDER BY x [DESC])). Counts every distinct
 * value, so all of a group's rows must reach one accumulator (needsAllValues).
 */
export class ModeAccumulator implements Accumulator {
  private counts: (Map<ExactValue, number> | undefined)[] = [];
  private bytes = 0;
  constructor(
    private readonly type: SqlType,
    /** Ties go to the smallest (1) or the largest (-1) value; undefined: to the first seen. */
    private readonly tieOrder?: 1 | -1,
  ) {}
  resize(groups: number): void {
    while (this.counts.length < groups) this.counts.push(undefined);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const column = args[0];
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      const v = exactColumnValue(column, this.type, i);
      if (v === null) continue;
      const g = ids[i];
      let counts = this.counts[g];
      if (!counts) {
        counts = new Map();
        this.counts[g] = counts;
      }
      const n = counts.get(v);
      if (n === undefined) this.bytes += rowValueBytes(v) + 32;
      counts.set(v, (n ?? 0) + 1);
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const out = new ColumnBuilder(this.type, end - start);
    for (let g = start; g < end; g++) {
      let best: ExactValue = null;
      let most = 0;
      // A Map iterates in insertion order: the first value seen wins a tie.
      for (const [v, n] of this.counts[g] ?? []) {
        const tie = n === most && this.tieOrder !== undefined;
        if (n > most || (tie && compareExactValues(v, best) * this.tieOrder! < 0)) {
          most = n;
          best = v;
        }
      }
      appendRowValue(out, best);
    }
    return [out.finish()];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.bytes + 8 * this.counts.length;
  }
}
