import { BOOLEAN, INTEGER, InternalError, type ColumnBuffers, type SqlType } from '@tributary/common';
import { KeyTable } from '../hash/key-table.ts';
import { take } from '../kernels/take.ts';
import { columnValue } from './column-value.ts';
import type { Accumulator } from './accumulator.ts';

/**
 * Feeds the inner accumulator only the first occurrence of each (group, value) pair, through a
 * KeyTable over (group id, value). NULL values are dropped, as aggregates skip them anyway,
 * unless `keepNulls` (list(DISTINCT x) keeps one). With `filterAt`, the argument there is a
 * FILTER's condition: rows it does not pass are left out before any value counts as seen.
 */
export class DistinctAccumulator implements Accumulator {
  private readonly seen: KeyTable;
  private distinctIds = new Int32Array(0);
  private selected = new Uint32Array(0);
  private passing = new Uint32Array(0);
  constructor(
    private readonly inner: Accumulator,
    argType: SqlType,
    private readonly keepNulls = false,
    private readonly filterAt?: number,
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
      this.passing = new Uint32Array(count);
    }
    // The rows that count, when a FILTER leaves some out: the pairs are made of those only.
    let passing: Uint32Array | undefined;
    let n = count;
    if (this.filterAt !== undefined) {
      const condition = args[this.filterAt];
      passing = this.passing;
      n = 0;
      for (let i = 0; i < count; i++) if (columnValue(condition, BOOLEAN, i) === true) passing[n++] = i;
    }
    const groups = passing ? Int32Array.from(passing.subarray(0, n), (i) => ids[i]) : ids.subarray(0, n);
    const groupColumn: ColumnBuffers = { type: INTEGER, length: n, values: groups };
    const values = passing ? take(args[0], passing, n) : args[0];
    const keys = this.seen.encode([groupColumn, values], n);
    let expected = this.seen.findOrInsert(keys, this.distinctIds, !this.keepNulls);
    let selectedCount = 0;
    for (let k = 0; k < n; k++) {
      if (this.distinctIds[k] === expected) {
        this.selected[selectedCount++] = passing ? passing[k] : k;
        expected++;
      }
    }
    this.inner.update(ids, args, this.selected, selectedCount);
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
      this.selected.byteLength +
      this.passing.byteLength
    );
  }
}
