import type { RecordBatch } from 'apache-arrow';
import type { Field } from '@tributary/plan';
import { takeBatch } from '../kernels/take.ts';
import type { PhysicalOperator } from '../physical/physical-operator.ts';
import { batchColumn } from './record-batch-column.ts';

/** Output rows gathered at most per batch, so a row with a huge count streams. */
const MAX_BATCH_ROWS = 65_536;

/**
 * Each row as many times as its last column (BIGINT) says, without that column: the ALL
 * variants of INTERSECT and EXCEPT, after an aggregate has counted each row on both sides.
 */
export class ReplicateExec implements PhysicalOperator {
  readonly name = 'Replicate';
  readonly children: readonly PhysicalOperator[];

  constructor(
    readonly input: PhysicalOperator,
    readonly schema: readonly Field[],
  ) {
    this.children = [input];
  }

  describe(): string {
    return `count=${this.input.schema[this.input.schema.length - 1].name}`;
  }

  async *execute(signal: AbortSignal): AsyncIterable<RecordBatch> {
    const countIndex = this.input.schema.length - 1;
    const countType = this.input.schema[countIndex].type;
    let indices = new Uint32Array(MAX_BATCH_ROWS);
    for await (const batch of this.input.execute(signal)) {
      signal.throwIfAborted();
      const counts = batchColumn(batch, countIndex, countType);
      const read = countReader(counts.values, countType.kind);
      let n = 0;
      for (let row = 0; row < batch.numRows; row++) {
        if (counts.validity && !((counts.validity[row >> 3] >> (row & 7)) & 1)) continue;
        for (let c = read(row); c > 0; c--) {
          if (n === indices.length) {
            yield takeBatch(batch, this.schema, indices, n);
            signal.throwIfAborted();
            indices = new Uint32Array(MAX_BATCH_ROWS);
            n = 0;
          }
          indices[n++] = row;
        }
      }
      if (n > 0) yield takeBatch(batch, this.schema, indices, n);
    }
  }
}

function countReader(values: ArrayLike<number | bigint> | unknown, kind: string): (row: number) => number {
  if (kind === 'BIGINT') {
    const v = values as BigInt64Array;
    return (row) => Number(v[row]);
  }
  const v = values as ArrayLike<number>;
  return (row) => v[row];
}
