import { ColumnBuilder, VARCHAR, type ColumnBuffers } from '@tributary/common';
import type { Accumulator } from './accumulator.ts';

const decoder = new TextDecoder();

/**
 * string_agg(x, sep) without ORDER BY: each group's non-NULL values joined by `sep` in arrival
 * order (any order is right: SQL leaves it open). The state is the text joined so far, so
 * partial results merge by the same update: joining partial texts with `sep`.
 */
export class StringAggAccumulator implements Accumulator {
  private parts: (string[] | undefined)[] = [];
  private bytes = 0;
  constructor(private readonly separator: string) {}
  resize(groups: number): void {
    while (this.parts.length < groups) this.parts.push(undefined);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const column = args[0];
    const offsets = column.offsets as Int32Array;
    const data = column.values as Uint8Array;
    const validity = column.validity;
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (validity !== undefined && ((validity[i >> 3] >> (i & 7)) & 1) === 0) continue;
      const g = ids[i];
      const text = decoder.decode(data.subarray(offsets[i], offsets[i + 1]));
      const list = this.parts[g];
      if (list) list.push(text);
      else this.parts[g] = [text];
      this.bytes += 40 + 2 * text.length + 2 * this.separator.length;
    }
  }
  emit(start: number, end: number): ColumnBuffers[] {
    const out = new ColumnBuilder(VARCHAR, end - start);
    for (let g = start; g < end; g++) {
      const list = this.parts[g];
      if (list) out.appendString(list.join(this.separator));
      else out.appendNull();
    }
    return [out.finish()];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.bytes + 8 * this.parts.length;
  }
}
