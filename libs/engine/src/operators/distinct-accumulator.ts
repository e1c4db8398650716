import { INTEGER, InternalError, type ColumnBuffers, type SqlType } from '@tributary/common';
import { KeyTable } from '../hash/key-table.ts';
import type { Accumulator } from './accumulator.ts';

/**
 * Feeds the inner accumulator only the first occurrence of each (group, value) pair, through a
 * KeyTable over (group id, value); NULL values are dropped as aggregates skip them anyway.
 */
export class DistinctAccumulator implements Accumulator {
  private readonly seen: KeyTable;
  private distinctIds = new Int32Array(0);
  private selected = new Uint32Array(0);
  constructor(
    private readonly inner: Accumulator,
    argType: SqlType,
  ) {
    this.seen = new KeyTable([INTEGER, argType]);
  }
  resize(groups: number): void {
    this.inner.resize(groups);
  }
  update(ids: Int32Array, args: readonly ColumnBuffers[], rows: Uint32Array | null, count: number): void {
    if (rows !== null) throw new InternalError('distinct aggregates take whole batches');
    if (this.distinctIds.length < count) {
      this.distinctIds = new Int32Array(count);
      this.selected = new Uint32Array(count);
    }
    const groupColumn: ColumnBuffers = { type: INTEGER, length: count, values: ids.subarray(0, count) };
    const keys = this.seen.encode([groupColumn, args[0]], count);
    let expected = this.seen.findOrInsert(keys, this.distinctIds, true);
    let n = 0;
    for (let i = 0; i < count; i++) {
      if (this.distinctIds[i] === expected) {
        this.selected[n++] = i;
        expected++;
      }
    }
    this.inner.update(ids, args, this.selected, n);
  }
  emit(start: number, end: number): ColumnBuffers[] {
    return this.inner.emit(start, end);
  }
  emitState(): ColumnBuffers[] {
    throw new InternalError('DISTINCT aggregates have no mergeable state');
  }
  memoryBytes(): number {
    return (
      this.inner.memoryBytes() +
      this.seen.memoryBytes() +
      this.distinctIds.byteLength +
      this.selected.byteLength
    );
  }
}
