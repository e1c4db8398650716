import type { ColumnBuffers } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';
import { bigintColumn, growFloat, isNullAt, WORD } from './accumulator-arrays.ts';

/** count(*) (no argument), count(x), or in final mode the sum of partial counts. */
export class CountAccumulator implements Accumulator {
  private counts = new Float64Array(0);
  constructor(
    private readonly hasArg: boolean,
    private readonly merge = false,
  ) {}
  resize(groups: number): void {
    this.counts = growFloat(this.counts, groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const counts = this.counts;
    if (this.merge) {
      const column = args[0];
      const v = column.values as BigInt64Array;
      const halves = new Int32Array(v.buffer, v.byteOffset, v.length * 2);
      for (let k = 0; k < count; k++) {
        const i = rows === null ? k : rows[k];
        if (isNullAt(column.validity, i)) continue;
        counts[ids[i]] += halves[2 * i + 1] * WORD + (halves[2 * i] >>> 0);
      }
      return;
    }
    const validity = this.hasArg ? args[0].validity : undefined;
    if (validity === undefined) {
      for (let k = 0; k < count; k++) counts[ids[rows === null ? k : rows[k]]]++;
      return;
    }
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if ((validity[i >> 3] >> (i & 7)) & 1) counts[ids[i]]++;
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    return [bigintColumn(this.counts, start, end, undefined)];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.counts.byteLength;
  }
}
