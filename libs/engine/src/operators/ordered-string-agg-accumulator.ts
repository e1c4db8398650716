import { ColumnBuilder, VARCHAR, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { AggregateOrderKey } from '@tributary/plan';
import type { Accumulator } from './accumulator.ts';
import { columnValue, compareRowValues, rowValueBytes, type RowValue } from './column-value.ts';

interface Entry {
  readonly text: string;
  readonly keys: RowValue[];
  /** Arrival order, so that ties keep it (a stable sort). */
  readonly seq: number;
}

/**
 * string_agg(x, sep ORDER BY k…): keeps every value of a group with its order keys and joins
 * them sorted at the end, so all of a group's rows must reach one accumulator (the plan
 * shuffles rows by group, see needsAllValues). Its memory is counted by its bytes.
 */
export class OrderedStringAggAccumulator implements Accumulator {
  private entries: (Entry[] | undefined)[] = [];
  private bytes = 0;
  private seq = 0;
  constructor(
    private readonly separator: string,
    private readonly orderBy: readonly AggregateOrderKey[],
  ) {}
  resize(groups: number): void {
    while (this.entries.length < groups) this.entries.push(undefined);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const [values, ...keyColumns] = args;
    const keyTypes: SqlType[] = this.orderBy.map((k) => k.expr.type);
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      const text = columnValue(values, VARCHAR, i);
      if (text === null) continue;
      const keys = keyColumns.map((c, j) => columnValue(c, keyTypes[j], i));
      const g = ids[i];
      const entry: Entry = { text: text as string, keys, seq: this.seq++ };
      const list = this.entries[g];
      if (list) list.push(entry);
      else this.entries[g] = [entry];
      this.bytes += 48 + rowValueBytes(text) + keys.reduce<number>((sum, v) => sum + rowValueBytes(v), 0);
    }
  }
  private compare = (a: Entry, b: Entry): number => {
    for (let j = 0; j < this.orderBy.length; j++) {
      const { ascending, nullsFirst } = this.orderBy[j];
      const x = a.keys[j];
      const y = b.keys[j];
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === nullsFirst ? -1 : 1;
      }
      const c = compareRowValues(x, y);
      if (c !== 0) return ascending ? c : -c;
    }
    return a.seq - b.seq;
  };
  emit(start: number, end: number): ColumnBuffers[] {
    const out = new ColumnBuilder(VARCHAR, end - start);
    for (let g = start; g < end; g++) {
      const list = this.entries[g];
      if (!list) {
        out.appendNull();
        continue;
      }
      list.sort(this.compare);
      out.appendString(list.map((e) => e.text).join(this.separator));
    }
    return [out.finish()];
  }
  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }
  memoryBytes(): number {
    return this.bytes + 8 * this.entries.length;
  }
}
