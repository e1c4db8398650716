import type { RecordBatch } from 'apache-arrow';
import { makeRecordBatch, type ColumnBuffers } from '@tributary/common';
import type { Expr, Field } from '@tributary/plan';
import { compileExpression } from '../expression/compile-expression.ts';
import { KeyTable } from '../hash/key-table.ts';
import { take } from '../kernels/take.ts';
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
    private readonly schema: readonly Field[],
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

  /** The batch's rows of each partition, as one batch per partition (undefined when none). */
  split(batch: RecordBatch): (RecordBatch | undefined)[] {
    const n = batch.numRows;
    const p = this.partitions;
    if (p === 1) return [n > 0 ? batch : undefined];
    const ids = this.partitionOf(batch);
    const counts = new Uint32Array(p + 1);
    for (let i = 0; i < n; i++) counts[ids[i] + 1]++;
    for (let k = 0; k < p; k++) counts[k + 1] += counts[k];
    const order = new Uint32Array(n);
    const next = counts.slice(0, p);
    for (let i = 0; i < n; i++) order[next[ids[i]]++] = i;
    const columns = this.schema.map((f, i) => batchColumn(batch, i, f.type));
    const out: (RecordBatch | undefined)[] = [];
    for (let k = 0; k < p; k++) {
      const count = counts[k + 1] - counts[k];
      if (count === 0) {
        out.push(undefined);
        continue;
      }
      const rows = order.subarray(counts[k], counts[k + 1]);
      out.push(
        makeRecordBatch(
          this.schema,
          columns.map((c) => take(c, rows, count)),
          count,
        ),
      );
    }
    return out;
  }
}
