import {
  BOOLEAN,
  ColumnBuilder,
  compareItems,
  listAt,
  readItem,
  type ColumnBuffers,
  type ListItem,
  type SqlType,
} from '@tributary/common';
import type { AggregateOrderKey } from '@tributary/plan';
import type { Accumulator, AggregateMode } from './accumulator.ts';
import { columnValue } from './column-value.ts';

/** A value of an ordered list() with its order keys and arrival (ties keep it). */
interface Entry {
  readonly item: ListItem;
  readonly keys: ListItem[];
  readonly seq: number;
}

/**
 * list(x) / array_agg(x): every value of a group, NULLs included, in arrival order (DuckDB's
 * semantics: a group of no rows gives NULL). The state is the list so far, so partial lists
 * merge by concatenation: 'final' mode reads lists and appends their elements. With an ORDER
 * BY (`array_agg(x ORDER BY k)`) it keeps each value's keys and sorts at the end; all of a
 * group's rows then reach one accumulator (needsAllValues). A FILTER comes as a second
 * argument saying which rows count (the values themselves may be NULL).
 */
export class ListAggAccumulator implements Accumulator {
  private lists: (ListItem[] | undefined)[] = [];
  private entries: (Entry[] | undefined)[] = [];
  private bytes = 0;
  private seq = 0;

  constructor(
    private readonly type: SqlType,
    private readonly mode: AggregateMode,
    private readonly orderBy: readonly AggregateOrderKey[] = [],
    /** Whether the argument after the value is a FILTER's condition (read before 'final' mode). */
    private readonly filtered = false,
  ) {}

  resize(groups: number): void {
    while (this.lists.length < groups) this.lists.push(undefined);
    while (this.entries.length < groups) this.entries.push(undefined);
  }

  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    const merging = this.mode === 'final';
    const [column, ...rest] = args;
    const condition = this.filtered && !merging ? rest.shift() : undefined;
    if (this.orderBy.length > 0) {
      this.updateOrdered(ids, column, condition, rest, rows, count);
      return;
    }
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (condition && columnValue(condition, BOOLEAN, i) !== true) continue;
      const g = ids[i];
      // A partial state of no rows (NULL) leaves the group without a list: NULL, not [].
      const part = merging ? listAt(column, i) : undefined;
      if (part === null) continue;
      let list = this.lists[g];
      if (list === undefined) list = this.lists[g] = [];
      if (part !== undefined) {
        for (const item of part) list.push(item);
        this.bytes += 16 * part.length;
      } else {
        const item = readItem(column, i);
        list.push(item);
        this.bytes += typeof item === 'string' ? 40 + 2 * item.length : 16;
      }
    }
  }

  private updateOrdered(
    ids: Int32Array,
    values: ColumnBuffers,
    condition: ColumnBuffers | undefined,
    keyColumns: readonly ColumnBuffers[],
    rows: Uint32Array | null,
    count: number,
  ) {
    for (let k = 0; k < count; k++) {
      const i = rows === null ? k : rows[k];
      if (condition && columnValue(condition, BOOLEAN, i) !== true) continue;
      const g = ids[i];
      const entry: Entry = {
        item: readItem(values, i),
        keys: keyColumns.map((c) => readItem(c, i)),
        seq: this.seq++,
      };
      const list = this.entries[g];
      if (list) list.push(entry);
      else this.entries[g] = [entry];
      this.bytes += 64 + 16 * entry.keys.length;
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
      const c = compareItems(x, y);
      if (c !== 0) return ascending ? c : -c;
    }
    return a.seq - b.seq;
  };

  emit(start: number, end: number): ColumnBuffers[] {
    if (this.orderBy.length > 0) {
      for (let g = start; g < end; g++) {
        const entries = this.entries[g];
        if (entries !== undefined) this.lists[g] = entries.sort(this.compare).map((e) => e.item);
      }
    }
    const out = new ColumnBuilder(this.type, end - start);
    for (let g = start; g < end; g++) {
      const list = this.lists[g];
      if (list === undefined) out.appendNull();
      else out.appendList(list);
    }
    return [out.finish()];
  }

  emitState(start: number, end: number): ColumnBuffers[] {
    return this.emit(start, end);
  }

  memoryBytes(): number {
    return this.bytes + 8 * this.lists.length;
  }
}
