import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, type ColumnBuffers, type SqlType } from '@tributary/common';
import type { AggregateCall, Field } from '@tributary/plan';
import { KeyTable } from '../hash/key-table.ts';
import { createAccumulator, type Accumulator, type AggregateMode } from './hash-aggregate-accumulators.ts';

const OUTPUT_BATCH_ROWS = 65536;

export type ColumnFn = (batch: RecordBatch) => ColumnBuffers;

/** How a batch feeds the groups: its key columns and each aggregate's argument columns. */
export interface AggregateInputs {
  readonly keyFns: readonly ColumnFn[];
  readonly argFns: readonly (readonly ColumnFn[])[];
}

/**
 * The groups of one aggregation pass: a KeyTable of the group keys (none for a global
 * aggregate, which has one group) and one typed-array accumulator per aggregate, indexed by
 * group id. A spilling HashAggregate starts a fresh one after writing the last one out.
 */
export class AggregateGroups {
  private readonly table: KeyTable | undefined;
  private readonly accumulators: Accumulator[];
  private ids = new Int32Array(0);

  constructor(keyTypes: readonly SqlType[], aggregates: readonly AggregateCall[], mode: AggregateMode) {
    this.table = keyTypes.length > 0 ? new KeyTable(keyTypes) : undefined;
    this.accumulators = aggregates.map((a) => createAccumulator(a, mode));
    if (!this.table) for (const a of this.accumulators) a.resize(1);
  }

  /** The number of groups (1 for a global aggregate, even before any row). */
  get size(): number {
    return this.table ? this.table.size : 1;
  }

  add(batch: RecordBatch, inputs: AggregateInputs): void {
    const n = batch.numRows;
    if (this.ids.length < n) this.ids = new Int32Array(n);
    const ids = this.ids;
    if (this.table) {
      const keys = this.table.encode(
        inputs.keyFns.map((f) => f(batch)),
        n,
      );
      this.table.findOrInsert(keys, ids);
      for (const a of this.accumulators) a.resize(this.table.size);
    } else ids.fill(0, 0, n);
    // Shared arguments (sum(x), avg(x)) are evaluated once per batch.
    const evaluated = new Map<ColumnFn, ColumnBuffers>();
    const evaluate = (f: ColumnFn): ColumnBuffers => {
      let c = evaluated.get(f);
      if (!c) {
        c = f(batch);
        evaluated.set(f, c);
      }
      return c;
    };
    for (let a = 0; a < this.accumulators.length; a++)
      this.accumulators[a].update(ids, inputs.argFns[a].map(evaluate), null, n);
  }

  /** Creates the groups of these key rows where missing, with initial states (no row counted). */
  ensure(batch: RecordBatch, inputs: AggregateInputs): void {
    if (!this.table) return;
    const n = batch.numRows;
    const keys = this.table.encode(
      inputs.keyFns.map((f) => f(batch)),
      n,
    );
    this.table.findOrInsert(keys, new Int32Array(n));
    for (const a of this.accumulators) a.resize(this.table.size);
  }

  /** Bytes of the key table, the accumulators and the id scratch. */
  memoryBytes(): number {
    let bytes = this.ids.byteLength + (this.table?.memoryBytes() ?? 0);
    for (const a of this.accumulators) bytes += a.memoryBytes();
    return bytes;
  }

  /** The result (or in partial mode the states) of every group, in batches of `schema`. */
  *emit(schema: readonly Field[]): Generator<RecordBatch> {
    const groups = this.size;
    for (let start = 0; start < groups; start += OUTPUT_BATCH_ROWS) {
      const end = Math.min(groups, start + OUTPUT_BATCH_ROWS);
      const columns = [
        ...(this.table ? this.table.keyColumns(start, end) : []),
        ...this.accumulators.flatMap((a) => a.emit(start, end)),
      ];
      yield makeRecordBatch(schema, columns, end - start);
    }
  }

  /** Keys and states (partialAggregateSchema's layout) of groups start..end. */
  stateColumns(start: number, end: number): ColumnBuffers[] {
    return [
      ...(this.table ? this.table.keyColumns(start, end) : []),
      ...this.accumulators.flatMap((a) => a.emitState(start, end)),
    ];
  }

  /** The key hash of every group, by id (grouped aggregations only). */
  keyHashes(): Int32Array {
    return this.table ? this.table.keyHashesView() : new Int32Array(1);
  }
}
