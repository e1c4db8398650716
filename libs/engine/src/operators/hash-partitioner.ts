import type { RecordBatch } from 'apache-arrow';
import type { ColumnBuffers } from '@tributary/common';
import type { Expr, Field } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { KeyTable } from '../hash/key-table.ts';
import { batchColumn } from './record-batch-column.ts';

/**
 * Cuts batches into `partitions` parts by a hash of key expressions: the writing side of a
 * shuffle. Equal keys (NULL included) always land in the same partition, in every process,
 * because the hash is KeyTable's deterministic hash of the key's typed value. The partition
 * is taken from the hash's high bits, remixed, so the hash tables downstream (which index by
 * the low bits of the same hash) do not see only a fraction of their slots.
 */
export class HashPartitioner {
  private readonly keyFns: ((batch: RecordBatch) => ColumnBuffers)[];
  private readonly table: KeyTable;

  constructor(
    keys: readonly Expr[],
    schema: readonly Field[],
    readonly partitions: number,
  ) {
    this.keyFns = keys.map((k) => {
      if (k.kind === 'column') return (batch) => batchColumn(batch, k.index, schema[k.index].type);
      const fn = compileExpression(k, schema);
      return (batch) => fn(batch);
    });
    this.table = new KeyTable(keys.map((k) => k.type));
  }

  /** Each row's partition. */
  partitionOf(batch: RecordBatch): Uint32Array {
    const n = batch.numRows;
    const hashes = this.table.encode(
      this.keyFns.map((f) => f(batch)),
      n,
    ).hashes;
    const out = new Uint32Array(n);
    const p = this.partitions;
    for (let i = 0; i < n; i++) {
      let h = hashes[i];
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
      h ^= h >>> 12;
      out[i] = Math.floor(((h >>> 0) * p) / 4294967296);
    }
    return out;
  }

  /**
   * The batch's rows grouped by partition, each group in the order the rows came: partition
   * `p`'s rows are `order[bounds[p]..bounds[p + 1])`.
   */
  route(batch: RecordBatch): { order: Uint32Array; bounds: Uint32Array } {
    const n = batch.numRows;
    const p = this.partitions;
    const ids = this.partitionOf(batch);
    const bounds = new Uint32Array(p + 1);
    for (let i = 0; i < n; i++) bounds[ids[i] + 1]++;
    for (let k = 0; k < p; k++) bounds[k + 1] += bounds[k];
    const order = new Uint32Array(n);
    const next = bounds.slice(0, p);
    for (let i = 0; i < n; i++) order[next[ids[i]]++] = i;
    return { order, bounds };
  }
}
